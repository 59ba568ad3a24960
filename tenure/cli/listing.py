"""Helpers every listing command shares: days from options and row output."""

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from tenure.cli.context import OutputFormat, settings_of

AsOf = Annotated[
    datetime | None,
    typer.Option(
        "--as-of", formats=["%Y-%m-%d"], help="Day (YYYY-MM-DD); default today."
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", help="table, json or csv.")]


def today(ctx: typer.Context) -> date:
    """Today in the workspace time zone: the CLI is the edge that reads the clock."""
    return datetime.now(ZoneInfo(settings_of(ctx).timezone)).date()


def day_or_today(ctx: typer.Context, value: datetime | None) -> date:
    return value.date() if value is not None else today(ctx)


def print_rows(
    headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: OutputFormat
) -> None:
    """Print rows as an aligned table, JSON records or CSV."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([dict(zip(headers, row, strict=True)) for row in cells]))
        return
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([list(headers), *cells])
        return
    widths = [
        max(len(x) for x in column) for column in zip(headers, *cells, strict=True)
    ]
    for row in [list(headers), *cells]:
        typer.echo(
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        )
