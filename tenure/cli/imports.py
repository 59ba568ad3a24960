"""`tenure import PATH`: validate and load a file, a folder or a bundle."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from tenure.cli.context import SkipInvalidOption, workspace_of
from tenure.cli.listing import day_or_today
from tenure.ingest.errors import ImportRejected
from tenure.ingest.service import SHOWN_PROBLEMS, ImportReport, import_path

# Below this many rows a progress bar would only flicker.
_PROGRESS_FROM_ROWS = 5_000


class _Bar:
    """Draws import progress with rich once an import is long enough."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def start(self, description: str, total: int) -> None:
        if total >= _PROGRESS_FROM_ROWS:
            self.progress.start()
            self.task = self.progress.add_task(description, total=total)

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()


def import_command(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(help="A file, a folder with one file per entity, or a bundle."),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="Column-mapping file (YAML); see docs/mappings.md."
        ),
    ] = None,
    skip_invalid: SkipInvalidOption = False,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Day new accounts get their CSM and ARR is read (default today).",
        ),
    ] = None,
) -> None:
    """Import data; nothing is written when any row is bad unless --skip-invalid.

    Accounts without a CSM then get one by the assignment rules.
    """
    workspace = workspace_of(ctx)
    errors = Console(stderr=True)
    bar = _Bar(Progress(console=errors, transient=True))
    try:
        report = import_path(
            workspace,
            path,
            now=datetime.now(UTC),
            as_of=day_or_today(ctx, as_of),
            mapping_path=mapping,
            skip_invalid=skip_invalid,
            progress=bar,
        )
    except ImportRejected as exc:
        print_problems(exc)
        raise
    finally:
        bar.stop()
    _print_summary(report)


def print_problems(exc: ImportRejected) -> None:
    """The first problems of a refused import, on stderr."""
    for line in exc.problems[:SHOWN_PROBLEMS]:
        typer.echo(line, err=True)
    if len(exc.problems) > SHOWN_PROBLEMS:
        typer.echo(f"... and {len(exc.problems) - SHOWN_PROBLEMS} more", err=True)


def _print_summary(report: ImportReport) -> None:
    console = Console()
    for warning in report.warnings[:SHOWN_PROBLEMS]:
        typer.echo(f"warning: {warning.describe()}")
    for notice in report.notices[:SHOWN_PROBLEMS]:
        typer.echo(f"warning: {notice}")
    if len(report.notices) > SHOWN_PROBLEMS:
        typer.echo(f"... and {len(report.notices) - SHOWN_PROBLEMS} more warnings")
    table = Table(title="import summary")
    for heading in ("entity", "read", "new", "changed", "unchanged", "rejected"):
        table.add_column(heading, justify="left" if heading == "entity" else "right")
    for item in report.entities:
        table.add_row(
            item.entity,
            *(
                f"{count:,}"
                for count in (
                    item.read,
                    item.new,
                    item.changed,
                    item.unchanged,
                    item.rejected,
                )
            ),
        )
    console.print(table)
    if report.rejected_path is not None:
        typer.echo(
            f"{len(report.problems)} problem(s); rejected rows saved to "
            f"{report.rejected_path}"
        )
    if report.assignment is not None and report.assignment.moves:
        typer.echo(
            f"{len(report.assignment.moves)} accounts assigned a CSM on "
            f"{report.assignment.as_of}"
        )
    typer.echo(f"report: {report.report_dir}")
