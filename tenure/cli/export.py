"""`tenure export`: the tables behind the metric suite, for other engines."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tenure.cli.context import workspace_of
from tenure.cli.metrics import OptionOption, _options
from tenure.exports.parquet import export_parquet
from tenure.metrics.service import MetricService


class ExportFormat(StrEnum):
    parquet = "parquet"


def export_command(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="New or empty directory to write the export to.")
    ],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="parquet (the only format).")
    ] = ExportFormat.parquet,
    force: Annotated[
        bool, typer.Option("--force", help="Replace what a non-empty DIR holds.")
    ] = False,
    option: OptionOption = None,
) -> None:
    """Write every table the metrics read (store, ARR segments, renewals) as Parquet."""
    options = _options(ctx, option)
    workspace = workspace_of(ctx)
    try:
        service = MetricService.from_engine(workspace.engine, options)
    finally:
        workspace.engine.dispose()
    summary = export_parquet(
        service.contents,
        service.inputs,
        options,
        directory,
        force=force,
        workspace_home=workspace.settings.home,
    )
    total = sum(summary.tables.values())
    typer.echo(
        f"exported {len(summary.tables)} tables ({total} rows) as {fmt.value} to "
        f"{summary.directory}"
    )
