"""`tenure keys`: write keys for the tracking API."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from tenure.activity.keys import create_write_key, list_write_keys, revoke_write_key
from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.listing import Format, print_rows
from tenure.core.db import transaction

keys_app = typer.Typer(help="Write keys for the tracking API.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Which app sends with it.")],
) -> None:
    """Create a write key; the key itself is printed on the last line, once."""
    with transaction(workspace_of(ctx).engine) as session:
        key, secret = create_write_key(session, name=name, now=datetime.now(UTC))
        key_id = key.id
    typer.echo(f"write key {key_id} created for {name!r}; store it now:")
    typer.echo(secret)


@keys_app.command("list")
def keys_list(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List write keys by id with the first characters of each key."""
    with transaction(workspace_of(ctx).engine) as session:
        rows = [
            (
                key.id,
                key.name,
                key.key_prefix + "…",
                key.created_at.isoformat(timespec="seconds"),
                "revoked" if key.revoked_at is not None else "active",
            )
            for key in list_write_keys(session)
        ]
    print_rows(("id", "name", "key", "created_at", "status"), rows, fmt)


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: str) -> None:
    """Revoke a write key: requests sending it are refused from now on."""
    with transaction(workspace_of(ctx).engine) as session:
        key = revoke_write_key(session, key_id, now=datetime.now(UTC))
        revoked_at = key.revoked_at
    assert revoked_at is not None
    typer.echo(f"write key {key_id} revoked at {revoked_at.isoformat()}")
