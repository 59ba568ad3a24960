"""`tenure demo`: the whole job on a generated company, and the generator alone."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tenure.cli.context import settings_of
from tenure.cli.demo_summary import print_summary
from tenure.cli.serve import serve_workspace
from tenure.demo.generator import (
    DEFAULT_ACCOUNTS,
    DEFAULT_END_ON,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    GeneratedCompany,
    generate_company,
)
from tenure.demo.pipeline import DEMO_PASSWORD, run_demo

demo_app = typer.Typer(
    name="demo",
    help="Generate a demo company to explore Tenure with.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _parse_end_on(value: str | None) -> date:
    if value is None:
        return DEFAULT_END_ON
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30"
        ) from exc


def _generate(
    out_dir: Path, *, accounts: int, months: int, seed: int, end_on: date
) -> GeneratedCompany:
    with typer.progressbar(length=accounts, label="generating accounts") as bar:
        company = generate_company(
            out_dir,
            accounts=accounts,
            months=months,
            seed=seed,
            end_on=end_on,
            on_progress=bar.update,
        )
    typer.echo(f"wrote demo data to {company.out_dir}")
    for entity, count in company.counts().items():
        typer.echo(f"  {entity:<18}{count:>12,}")
    return company


# TODO: the demo regenerates the workspace even while `tenure serve` has it
#   open — that server keeps showing, and writing to, the deleted database.
@demo_app.callback()
def demo(
    ctx: typer.Context,
    accounts: Annotated[
        int, typer.Option("--accounts", min=1, help="Number of accounts.")
    ] = DEFAULT_ACCOUNTS,
    seed: Annotated[
        int, typer.Option("--seed", help="Same seed, same company.")
    ] = DEFAULT_SEED,
    months: Annotated[
        int, typer.Option("--months", min=3, max=120, help="Months of history.")
    ] = DEFAULT_MONTHS,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for the web app.")] = 8000,
) -> None:
    """Run Tenure end to end on a generated company, then serve it.

    Generates the company into <home>/demo-data, imports it into a fresh
    workspace in <home>, computes the metric suite for the last four quarters,
    prints a summary and serves the web application on 127.0.0.1.
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_of(ctx)
    with typer.progressbar(length=accounts, label="generating accounts") as bar:
        run = run_demo(
            settings,
            accounts=accounts,
            months=months,
            seed=seed,
            end_on=DEFAULT_END_ON,
            now=datetime.now(UTC),
            on_progress=bar.update,
        )
    console = Console()
    print_summary(run, console)
    if serve:
        console.print(
            f"Sign in as {run.sign_in_email} with the password {DEMO_PASSWORD!r}."
        )
        serve_workspace(run.workspace, host="127.0.0.1", port=port)


@demo_app.command("generate")
def generate(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder to write the canonical files into.")
    ],
    accounts: Annotated[
        int, typer.Option("--accounts", min=1, help="Number of accounts.")
    ] = DEFAULT_ACCOUNTS,
    months: Annotated[
        int, typer.Option("--months", min=1, max=120, help="Months of history.")
    ] = DEFAULT_MONTHS,
    seed: Annotated[
        int, typer.Option("--seed", help="Same seed, byte-identical files.")
    ] = DEFAULT_SEED,
    end_on: Annotated[
        str | None,
        typer.Option(
            "--end-on",
            help=f"Last day of history, YYYY-MM-DD \\[default {DEFAULT_END_ON}].",
        ),
    ] = None,
) -> None:
    """Write a seeded demo company as canonical import files."""
    _generate(
        out_dir,
        accounts=accounts,
        months=months,
        seed=seed,
        end_on=_parse_end_on(end_on),
    )
