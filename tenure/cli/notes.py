"""`tenure notes`: calls, meetings, e-mails and notes on accounts."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from tenure.accounts.notes import (
    add_note,
    add_note_tag,
    list_note_tags,
    list_notes,
    retire_note_tag,
)
from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.listing import Format, print_rows
from tenure.core.db import transaction

notes_app = typer.Typer(help="Notes and conversations.", no_args_is_help=True)
tags_app = typer.Typer(
    help="The reason list notes are tagged with.", no_args_is_help=True
)
notes_app.add_typer(tags_app, name="tags")

INSTANT_FORMATS = [
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]


@notes_app.command("add")
def notes_add(
    ctx: typer.Context,
    account_id: str,
    text: Annotated[str, typer.Option("--text", help="What happened.")],
    kind: Annotated[
        str, typer.Option("--kind", help="call, meeting, email or note.")
    ] = ("note"),
    author: Annotated[str | None, typer.Option("--author", help="User id.")] = None,
    at: Annotated[
        datetime | None,
        typer.Option(
            "--at", formats=INSTANT_FORMATS, help="When (ISO 8601); default now."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Reason; repeat.")
    ] = None,
) -> None:
    """Log a call, meeting, e-mail or note on an account."""
    occurred_at = at if at is not None else datetime.now(UTC)
    with transaction(workspace_of(ctx).engine) as session:
        note = add_note(
            session,
            account_id=account_id,
            author_id=author,
            kind=kind,
            occurred_at=occurred_at,
            text=text,
            tags=tag or (),
        )
    typer.echo(f"added note {note.id}")


@notes_app.command("list")
def notes_list(
    ctx: typer.Context,
    account: Annotated[str | None, typer.Option("--account")] = None,
    author: Annotated[str | None, typer.Option("--author")] = None,
    tag: Annotated[str | None, typer.Option("--tag")] = None,
    limit: Annotated[int | None, typer.Option("--limit")] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """List notes, newest first."""
    with transaction(workspace_of(ctx).engine) as session:
        notes = list_notes(
            session, account_id=account, author_id=author, tag=tag, limit=limit
        )
    rows = [
        (
            n.occurred_at.isoformat(),
            n.account_id,
            n.kind,
            n.author_id,
            ",".join(n.tags),
            n.text,
        )
        for n in notes
    ]
    print_rows(("occurred_at", "account", "kind", "author", "tags", "text"), rows, fmt)


@tags_app.command("list")
def tags_list(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List the reasons notes can be tagged with."""
    with transaction(workspace_of(ctx).engine) as session:
        rows = [(t.name, t.label) for t in list_note_tags(session)]
    print_rows(("name", "label"), rows, fmt)


@tags_app.command("add")
def tags_add(
    ctx: typer.Context,
    name: str,
    label: Annotated[str | None, typer.Option("--label")] = None,
) -> None:
    """Add a reason to the list."""
    with transaction(workspace_of(ctx).engine) as session:
        add_note_tag(session, name, label=label)
    typer.echo(f"added note tag {name}")


@tags_app.command("retire")
def tags_retire(ctx: typer.Context, name: str) -> None:
    """Take a reason off the list; notes tagged with it keep it."""
    with transaction(workspace_of(ctx).engine) as session:
        retire_note_tag(session, name)
    typer.echo(f"retired note tag {name}")
