"""`tenure activity` and `tenure events`: product activity of accounts."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from tenure.accounts.service import get_account_or_raise
from tenure.activity.rollups import rollup_store, update_rollups
from tenure.activity.service import account_activity, contact_last_seen, event_counts
from tenure.activity.store import EventStore
from tenure.cli.context import OutputFormat, SkipInvalidOption, workspace_of
from tenure.cli.imports import _Bar, _print_summary, print_problems
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows
from tenure.core.db import make_session_factory
from tenure.ingest.errors import ImportRejected
from tenure.ingest.service import EVENT_IMPORT_ENTITIES, import_path

activity_app = typer.Typer(help="Product activity of accounts.", no_args_is_help=True)
events_app = typer.Typer(help="Product events.", no_args_is_help=True)


@activity_app.command("show")
def activity_show(
    ctx: typer.Context,
    account_id: str,
    as_of: AsOf = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Logins, active contacts, seats and events of one account (rolls up new
    events first)."""
    workspace = workspace_of(ctx)
    day = day_or_today(ctx, as_of)
    with make_session_factory(workspace.engine)() as session:
        get_account_or_raise(session, account_id)
    rollups = rollup_store(workspace.settings)
    update_rollups(
        workspace.engine, EventStore(workspace.settings.event_store_path), rollups
    )
    (figures,) = account_activity(
        workspace.engine, rollups, as_of=day, account_ids=[account_id]
    )
    rows = [(name, value) for name, value in vars(figures).items()]
    print_rows(("figure", "value"), rows, fmt)
    if fmt is not OutputFormat.table:
        return
    typer.echo("")
    contacts = contact_last_seen(rollups, as_of=day, account_id=account_id)
    print_rows(
        ("contact", "last_seen_on", "last_login_on"),
        [(c.contact_id, c.last_seen_on, c.last_login_on) for c in contacts],
        fmt,
    )
    typer.echo("")
    counts = event_counts(rollups, account_id=account_id, as_of=day)
    print_rows(("event (last 30 days)", "count"), counts, fmt)


@events_app.command("import")
def events_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An events file or a folder.")],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="Column-mapping file (YAML); see docs/activity.md."
        ),
    ] = None,
    skip_invalid: SkipInvalidOption = False,
) -> None:
    """Import product events, and the contacts a mapping makes for them; nothing
    is written when any row is bad unless --skip-invalid."""
    workspace = workspace_of(ctx)
    bar = _Bar(Progress(console=Console(stderr=True), transient=True))
    try:
        report = import_path(
            workspace,
            path,
            now=datetime.now(UTC),
            mapping_path=mapping,
            skip_invalid=skip_invalid,
            progress=bar,
            entities=EVENT_IMPORT_ENTITIES,
        )
    except ImportRejected as exc:
        print_problems(exc)
        raise
    finally:
        bar.stop()
    _print_summary(report)
