"""`tenure churn reasons`: churned and contracted ARR by stated reason."""

import json
from typing import Annotated

import typer

from tenure.accounts.churn_reasons import ChurnReasonReport, churn_reasons
from tenure.cli.context import OutputFormat, settings_of, workspace_of
from tenure.cli.listing import AsOf, Format, day_or_today, print_rows
from tenure.core.db import make_session_factory
from tenure.core.money import minor_digits
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions

churn_app = typer.Typer(
    help="Why accounts churned or contracted.", no_args_is_help=True
)

COLUMNS = (
    "reason",
    "label",
    "accounts",
    "churned_arr",
    "contracted_arr",
    "lost_arr",
    "currency",
)


def _major(cents: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{cents / 10**digits:.{digits}f}"


def _json(report: ChurnReasonReport) -> dict[str, object]:
    return {
        "period": report.period.label,
        "currency": report.currency,
        "churned_arr_cents": report.churned_arr_cents,
        "contracted_arr_cents": report.contracted_arr_cents,
        "reasons": [
            {
                "reason": t.reason,
                "label": t.label,
                "accounts": t.accounts,
                "churned_arr_cents": t.churned_arr_cents,
                "contracted_arr_cents": t.contracted_arr_cents,
                "lost_arr_cents": t.lost_arr_cents,
            }
            for t in report.reasons
        ],
        "accounts": [
            {
                "account_id": a.account_id,
                "name": a.name,
                "movement": a.movement,
                "arr_cents": a.arr_cents,
                "reasons": list(a.reasons),
                "source": a.source,
            }
            for a in report.accounts
        ],
    }


@churn_app.command("reasons")
def reasons_command(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option("--period", help="2024, 2024-Q1, 2024-03 or A..B.")
    ],
    as_of: AsOf = None,
    fmt: Format = OutputFormat.table,
) -> None:
    """Churned and contracted ARR of a period grouped by the reason accounts gave."""
    chosen = parse_period(period)
    settings = settings_of(ctx)
    options = MetricOptions(
        timezone=settings.timezone,
        reporting_currency=settings.reporting_currency,
        as_of=day_or_today(ctx, as_of).isoformat(),
    )
    workspace = workspace_of(ctx)
    service = MetricService.from_engine(workspace.engine, options)
    with make_session_factory(workspace.engine)() as session:
        report = churn_reasons(session, service, chosen)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(_json(report), indent=2))
        return
    currency = report.currency
    rows = [
        (
            t.reason,
            t.label,
            t.accounts,
            _major(t.churned_arr_cents, currency),
            _major(t.contracted_arr_cents, currency),
            _major(t.lost_arr_cents, currency),
            currency,
        )
        for t in report.reasons
    ]
    print_rows(COLUMNS, rows, fmt)
    if fmt is OutputFormat.table:
        typer.echo(
            f"{report.period.label}: churned "
            f"{_major(report.churned_arr_cents, currency)} and contracted "
            f"{_major(report.contracted_arr_cents, currency)} {currency} ARR"
        )
