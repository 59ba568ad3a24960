"""`tenure tokens`: API tokens for the JSON API."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from tenure.accounts.access import create_token
from tenure.cli.context import workspace_of
from tenure.core.db import transaction

tokens_app = typer.Typer(help="API tokens for the JSON API.", no_args_is_help=True)


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="What will use the token.")],
    user: Annotated[str, typer.Option("--user", help="E-mail of the user it acts as.")],
) -> None:
    """Create a bearer token; it is printed once and only its hash is kept."""
    with transaction(workspace_of(ctx).engine) as session:
        plain, token = create_token(
            session, name=name, email=user, now=datetime.now(UTC)
        )
        token_id = token.id
    typer.echo(f"token {token_id} ({name}); send it as 'Authorization: Bearer ...':")
    typer.echo(plain)
