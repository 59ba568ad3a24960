"""`tenure onboarding`: milestones per account and the overdue list."""

from datetime import datetime
from typing import Annotated

import typer

from tenure.accounts.onboarding import (
    onboarding_statuses,
    overdue_milestones,
    set_milestone_status,
)
from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows
from tenure.core.db import transaction

onboarding_app = typer.Typer(help="Onboarding milestones.", no_args_is_help=True)


@onboarding_app.command("list")
def onboarding_list(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only overdue ones.")
    ] = False,
    account: Annotated[
        str | None, typer.Option("--account", help="One account.")
    ] = None,
    as_of: AsOf = None,
    started_since: Annotated[
        datetime | None,
        typer.Option(
            "--started-since",
            formats=["%Y-%m-%d"],
            help="Only onboardings that started on or after this day.",
        ),
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """List milestones with due day and status, or only the overdue ones."""
    day = day_or_today(ctx, as_of)
    since = started_since.date() if started_since else None
    with transaction(workspace_of(ctx).engine) as session:
        if overdue:
            milestones = overdue_milestones(session, as_of=day, started_since=since)
            if account is not None:
                milestones = [m for m in milestones if m.account_id == account]
        else:
            ids = [account] if account is not None else None
            milestones = onboarding_statuses(session, account_ids=ids)
    rows = [
        (
            m.account_id,
            m.csm_id,
            m.name,
            m.due_on,
            "overdue" if m.is_overdue(day) else m.status,
            m.done_on,
        )
        for m in milestones
    ]
    print_rows(
        ("account", "csm", "milestone", "due_on", "status", "done_on"), rows, fmt
    )


@onboarding_app.command("set")
def onboarding_set(
    ctx: typer.Context,
    account_id: str,
    milestone: str,
    status: Annotated[str, typer.Option("--status", help="done, skipped or pending.")],
    on: Annotated[
        datetime | None,
        typer.Option(
            "--on", formats=["%Y-%m-%d"], help="Day it was done; default today."
        ),
    ] = None,
) -> None:
    """Mark a milestone of an account done, skipped or pending."""
    done_on = day_or_today(ctx, on) if status == "done" else None
    with transaction(workspace_of(ctx).engine) as session:
        set_milestone_status(
            session, account_id, milestone, status=status, done_on=done_on
        )
    typer.echo(f"{account_id} {milestone}: {status}")
