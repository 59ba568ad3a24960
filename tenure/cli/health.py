"""`tenure health`: today's scores with their explanation, and the backtest."""

import json
import re
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer

from tenure.activity.store import EventStore
from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows
from tenure.core.db import transaction
from tenure.core.errors import InvalidInput
from tenure.health.backtest import run_backtest
from tenure.health.service import compute_health_scores, latest_scores

health_app = typer.Typer(help="Health scores and their backtest.")

Day = Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]


@health_app.callback(invoke_without_command=True)
def health(
    ctx: typer.Context,
    as_of: AsOf = None,
    account: Annotated[str | None, typer.Option("--account")] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Score every account on the day (kept as history) and show the scores."""
    if ctx.invoked_subcommand is not None:
        return
    day = day_or_today(ctx, as_of)
    workspace = workspace_of(ctx)
    store = EventStore(workspace.settings.event_store_path)
    with transaction(workspace.engine) as session:
        compute_health_scores(session, as_of=day, store=store)
        scores = latest_scores(session, as_of=day, account_id=account)
        rows = [
            (s.account_id, s.as_of.isoformat(), s.score, s.band, s.parts)
            for s in scores
        ]
    if fmt is OutputFormat.json:
        keys = ("account_id", "as_of", "score", "band", "parts")
        typer.echo(json.dumps([dict(zip(keys, row, strict=True)) for row in rows]))
        return
    print_rows(
        ["account", "as_of", "score", "band", "week_change", "missing"],
        [
            (
                account_id,
                on,
                score,
                band,
                (parts.get("week_ago") or {}).get("score_change"),
                ",".join(p["measure"] for p in parts["measures"] if p["is_missing"]),
            )
            for account_id, on, score, band, parts in rows
        ],
        fmt,
    )
    if account is not None and rows:
        _print_explanation(rows[0][4])


def _print_explanation(parts: dict[str, Any]) -> None:
    typer.echo("")
    print_rows(
        ["measure", "value", "points", "weight", "share", "contribution"],
        [
            (
                p["measure"],
                "missing" if p["is_missing"] else round(p["value"], 3),
                p["points"],
                p["weight"],
                f"{p['weight_share']:.0%}",
                round(p["contribution"], 1),
            )
            for p in parts["measures"]
        ],
        OutputFormat.table,
    )
    for change in parts.get("changes", []):
        typer.echo(
            f"since a week ago: {change['measure']} {change['value_before']} → "
            f"{change['value']} ({change['contribution_change']:+} points)"
        )


def parse_days(text: str, *, option: str) -> int:
    """`90d` or `90` as a number of days."""
    match = re.fullmatch(r"(\d+)d?", text.strip())
    if match is None:
        raise InvalidInput(f"{option} {text!r} is not a number of days; write 90d")
    return int(match.group(1))


@health_app.command("backtest")
def backtest(
    ctx: typer.Context,
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"])],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"])],
    horizon: Annotated[str, typer.Option("--horizon", help="e.g. 90d.")] = "90d",
    step: Annotated[str, typer.Option("--step", help="7d or 30d.")] = "30d",
    activity_event: Annotated[
        list[str] | None,
        typer.Option("--activity-event", help="Event counted as activity; repeat."),
    ] = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Replay the default scorecard over history against churn and contraction."""
    workspace = workspace_of(ctx)
    with transaction(workspace.engine) as session:
        report = run_backtest(
            session,
            start=start.date(),
            end=end.date(),
            horizon_days=parse_days(horizon, option="--horizon"),
            step_days=parse_days(step, option="--step"),
            store=EventStore(workspace.settings.event_store_path),
            activity_events=activity_event or None,
        )
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(asdict(report), default=str))
        return
    typer.echo(
        f"{report.as_of_dates} as-of dates, {report.observations} account scores, "
        f"{report.events} losses within {report.horizon_days} days "
        f"({report.churn_events} churn, {report.contraction_events} contraction)"
    )
    typer.echo(
        f"AUC: {_number(report.auc)} (churn or contraction); "
        f"{_number(report.churn_auc)} (logo churn alone)"
    )
    typer.echo(f"lift of red over green: {_number(report.red_over_green_lift)}")
    typer.echo(f"median lead time: {_number(report.median_lead_time_days)} days")
    print_rows(
        ["band", "scores", "losses", "loss_rate"],
        [
            (b.band, b.observations, b.events, _percent(b.event_rate))
            for b in report.bands
        ],
        OutputFormat.table,
    )
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
