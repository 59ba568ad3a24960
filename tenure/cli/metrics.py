"""`tenure metrics`: the metric suite by period and slice, and what is behind it."""

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from tenure.cli.context import OutputFormat, settings_of, workspace_of
from tenure.cli.formatting import format_figure
from tenure.core.errors import InvalidInput
from tenure.core.time import Grain, Period, parse_period
from tenure.metrics.result import MetricResult
from tenure.metrics.service import (
    SLICES,
    MetricRunner,
    MetricService,
    registered_metrics,
)
from tenure.metrics.spark import LOCAL_MASTER, SparkMetricRunner, spark_session
from tenure.revenue.policy import MetricOptions

app = typer.Typer(
    help="The customer-success metric suite (NRR, GRR, churn, NPS, LTV, ...).",
    invoke_without_command=True,
    no_args_is_help=False,
)

SUMMARY_COLUMNS = (
    "metric",
    "label",
    "unit",
    "period",
    "slice",
    "value",
    "numerator",
    "denominator",
    "reason",
)

PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="2024, 2024-Q1, 2024-03 or 2024-01-01..2024-02-15."),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Slice by segment, csm, plan or cohort.")
]
OptionOption = Annotated[
    list[str] | None,
    typer.Option("--option", help="A policy as NAME=VALUE, e.g. grace_days=14."),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table, json or csv.")
]


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="duckdb (in process, from the store) or spark (from a Parquet export).",
    ),
]
SparkMasterOption = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="Spark master URL: local[2], spark://host:7077, yarn, k8s://...",
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Directory or URI (hdfs://, s3a://) of a tenure export (--engine spark).",
    ),
]


class MissingPeriod(InvalidInput):
    """The command needs --period."""


def _options(ctx: typer.Context, pairs: list[str] | None) -> MetricOptions:
    settings = settings_of(ctx)
    base = MetricOptions(
        timezone=settings.timezone, reporting_currency=settings.reporting_currency
    )
    values: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(
                f"--option {pair!r} is not NAME=VALUE; write for example "
                "--option grace_days=14"
            )
        values[name.strip()] = value.strip()
    # The edge reads the clock once: figures are as of today unless told otherwise.
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    values.setdefault("as_of", today.isoformat())
    return base.with_values(values)


def _periods(text: str | None, grain: str | None) -> list[Period]:
    if text is None:
        raise MissingPeriod("--period is required; write for example --period 2024-Q1")
    period = parse_period(text)
    if grain is None:
        return [period]
    if grain not in ("month", "quarter", "year"):
        raise InvalidInput(
            f"--grain {grain!r} is not known; use month, quarter or year"
        )
    chosen: Grain = grain  # type: ignore[assignment]
    return period.split(chosen)


def _service(
    ctx: typer.Context,
    pairs: list[str] | None,
    engine: Engine = Engine.duckdb,
    master: str = LOCAL_MASTER,
    source: str | None = None,
) -> MetricRunner:
    options = _options(ctx, pairs)
    if engine == Engine.spark:
        if source is None:
            raise InvalidInput(
                "--engine spark reads a Parquet export; pass --from DIR, written by "
                "tenure export --format parquet DIR"
            )
        return SparkMetricRunner(spark_session(master), source, options)
    if source is not None:
        raise InvalidInput(
            "--from is read by --engine spark only; add --engine spark or drop --from"
        )
    workspace = workspace_of(ctx)
    try:
        return MetricService.from_engine(workspace.engine, options)
    finally:
        workspace.engine.dispose()


def _emit(rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[str]) -> None:
    if fmt == OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    if fmt == OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue().rstrip("\n"))
        return
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    typer.echo(
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
    )
    for line in cells:
        typer.echo(
            "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
        )


def _table_row(result: MetricResult) -> dict[str, Any]:
    row = result.to_dict(with_rows=False)
    for key in ("value", "numerator", "denominator"):
        row[key] = format_figure(row[key], result.unit if key == "value" else "")
    row["slice"] = row["slice"] or ""
    row["reason"] = row["reason"] or ""
    return row


@app.callback()
def metrics(
    ctx: typer.Context,
    metric: Annotated[
        list[str] | None,
        typer.Option("--metric", help="Metric slug, label or alias; repeatable."),
    ] = None,
    period: PeriodOption = None,
    grain: Annotated[
        str | None, typer.Option("--grain", help="Split into month, quarter or year.")
    ] = None,
    by: ByOption = None,
    option: OptionOption = None,
    fmt: FormatOption = OutputFormat.table,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = LOCAL_MASTER,
    source: FromOption = None,
) -> None:
    """Compute metrics for a period (all registered metrics unless --metric)."""
    if ctx.invoked_subcommand is not None:
        return
    names = metric or [spec.slug for spec in registered_metrics()]
    periods = _periods(period, grain)
    service = _service(ctx, option, engine, spark_master, source)
    results = [r for p in periods for r in service.compute(names, p, by=by)]
    if fmt == OutputFormat.json:
        payload = {
            "options": asdict(service.options),
            "results": [r.to_dict(with_rows=False) for r in results],
        }
        typer.echo(json.dumps(payload, indent=2, default=str))
        return
    rows = [
        r.to_dict(with_rows=False) if fmt == OutputFormat.csv else _table_row(r)
        for r in results
    ]
    _emit(rows, fmt, list(SUMMARY_COLUMNS))


@app.command()
def explain(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Metric slug, label or alias.")],
    period: PeriodOption = None,
    by: ByOption = None,
    option: OptionOption = None,
    fmt: FormatOption = OutputFormat.table,
    engine: EngineOption = Engine.duckdb,
    spark_master: SparkMasterOption = LOCAL_MASTER,
    source: FromOption = None,
) -> None:
    """List the accounts, renewals or responses behind a figure."""
    periods = _periods(period, None)
    service = _service(ctx, option, engine, spark_master, source)
    results = service.compute([slug], periods[0], by=by)
    if fmt == OutputFormat.json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2, default=str))
        return
    for result in results:
        if fmt == OutputFormat.table:
            head = _table_row(result)
            typer.echo(
                f"{result.label} {result.period}"
                f"{' ' + result.slice if result.slice else ''}: {head['value']}"
                f" = {head['numerator']} / {head['denominator']}"
                f"{' (' + result.reason + ')' if result.reason else ''}"
            )
        rows = result.to_dict()["rows"]
        columns = list(dict.fromkeys(k for row in rows for k in row))
        if rows:
            _emit(rows, fmt, columns)
        elif fmt == OutputFormat.table:
            typer.echo("(no rows)")


__all__ = ["SLICES", "app"]
