"""`tenure alerts`: run the rules, list and act on alerts, dry-run a rule."""

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy import select

from tenure.activity.store import EventStore
from tenure.alerts.channels import configured_channels
from tenure.alerts.history import dry_run_rule
from tenure.alerts.lifecycle import (
    acknowledge_alert,
    list_alerts,
    resolve_alert,
    snooze_alert,
)
from tenure.alerts.models import AlertRule
from tenure.alerts.outbox import deliver_notifications
from tenure.alerts.service import run_alert_rules
from tenure.alerts.settings import NotificationSettings
from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.health import parse_days
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows
from tenure.core.db import make_session_factory, transaction

alerts_app = typer.Typer(help="Alert rules and alerts.", no_args_is_help=True)

By = Annotated[str, typer.Option("--by", help="Who acts (a user id).")]


@alerts_app.command("run")
def alerts_run(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Evaluate every active rule for the day and queue the CSM digests."""
    day = day_or_today(ctx, as_of)
    workspace = workspace_of(ctx)
    channels = ["email", "in_app"]
    if NotificationSettings().slack_webhook_url:
        channels.append("slack")
    with transaction(workspace.engine) as session:
        summary = run_alert_rules(
            session,
            as_of=day,
            store=EventStore(workspace.settings.event_store_path),
            digest_channels=channels,
        )
        fired, resolved = len(summary.fired), len(summary.resolved)
    typer.echo(f"{day}: {fired} alert(s) fired, {resolved} resolved")


@alerts_app.command("deliver")
def alerts_deliver(ctx: typer.Context) -> None:
    """Send the notifications that are due (e-mail, Slack, in-app)."""
    workspace = workspace_of(ctx)
    with make_session_factory(workspace.engine)() as session:
        channels = configured_channels(NotificationSettings(), session)
        summary = deliver_notifications(
            session, now=datetime.now(UTC), channels=channels
        )
    typer.echo(
        f"{len(summary.sent)} sent, {len(summary.retrying)} to retry, "
        f"{len(summary.failed)} failed"
    )


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status")] = None,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """List alerts, newest first."""
    with transaction(workspace_of(ctx).engine) as session:
        alerts = list_alerts(session, status=status, assignee_id=assignee)
        rows = [
            (
                a.id,
                a.rule_id,
                a.account_id,
                a.severity,
                a.status,
                a.assignee_id,
                a.fired_on.isoformat(),
                a.snoozed_until.isoformat() if a.snoozed_until else None,
                json.dumps(a.values),
            )
            for a in alerts
        ]
    headers = ["id", "rule", "account", "severity", "status", "assignee"]
    print_rows([*headers, "fired_on", "snoozed_until", "values"], rows, fmt)


@alerts_app.command("ack")
def alerts_ack(ctx: typer.Context, alert_id: int, by: By = "cli") -> None:
    """Acknowledge an alert."""
    with transaction(workspace_of(ctx).engine) as session:
        acknowledge_alert(session, alert_id, by=by, at=datetime.now(UTC))
    typer.echo(f"alert {alert_id} acknowledged")


@alerts_app.command("snooze")
def alerts_snooze(
    ctx: typer.Context,
    alert_id: int,
    until: Annotated[datetime, typer.Option("--until", formats=["%Y-%m-%d"])],
    by: By = "cli",
) -> None:
    """Snooze an alert until a day."""
    with transaction(workspace_of(ctx).engine) as session:
        snooze_alert(session, alert_id, until=until.date(), by=by, at=datetime.now(UTC))
    typer.echo(f"alert {alert_id} snoozed until {until.date()}")


@alerts_app.command("resolve")
def alerts_resolve(ctx: typer.Context, alert_id: int, by: By = "cli") -> None:
    """Resolve an alert."""
    with transaction(workspace_of(ctx).engine) as session:
        resolve_alert(session, alert_id, by=by, at=datetime.now(UTC))
    typer.echo(f"alert {alert_id} resolved")


@alerts_app.command("dry-run")
def alerts_dry_run(
    ctx: typer.Context,
    rule: str,
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"])],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"])],
    step: Annotated[str, typer.Option("--step")] = "7d",
    horizon: Annotated[str, typer.Option("--horizon")] = "90d",
    fmt: Format = OutputFormat.table,
) -> None:
    """Show what a rule would have fired over history, and who churned after."""
    workspace = workspace_of(ctx)
    with transaction(workspace.engine) as session:
        report = dry_run_rule(
            session,
            rule,
            start=start.date(),
            end=end.date(),
            store=EventStore(workspace.settings.event_store_path),
            step_days=parse_days(step, option="--step"),
            horizon_days=parse_days(horizon, option="--horizon"),
        )
    rows = [(f.as_of.isoformat(), f.account_id, f.churned_on) for f in report.firings]
    print_rows(["as_of", "account", "churned_on"], rows, fmt)
    if fmt is OutputFormat.table:
        typer.echo(
            f"rule {report.rule_id} ({report.condition}): {len(report.firings)} "
            f"alert(s) on {report.accounts} account(s) over {report.runs} runs; "
            f"{report.churned_accounts} of those accounts churned within the horizon"
        )


@alerts_app.command("rules")
def alerts_rules(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List the alert rules with their conditions."""
    with transaction(workspace_of(ctx).engine) as session:
        rules = session.scalars(select(AlertRule).order_by(AlertRule.id)).all()
        rows = [
            (
                r.id,
                r.name,
                r.condition,
                r.severity,
                r.cooldown_days,
                r.is_active,
                r.is_auto_closed,
            )
            for r in rules
        ]
    headers = ["id", "name", "condition", "severity", "cooldown_days", "active"]
    print_rows([*headers, "auto_close"], rows, fmt)
