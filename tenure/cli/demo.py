"""`tenure demo`: generate a believable demo company in the canonical format."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tenure.cli.context import settings_of
from tenure.demo.generator import (
    DEFAULT_ACCOUNTS,
    DEFAULT_END_ON,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    GeneratedCompany,
    generate_company,
)

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


@demo_app.callback()
def demo(ctx: typer.Context) -> None:
    """Generate the demo company into <home>/demo-data."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_of(ctx)
    _generate(
        settings.home / "demo-data",
        accounts=DEFAULT_ACCOUNTS,
        months=DEFAULT_MONTHS,
        seed=DEFAULT_SEED,
        end_on=DEFAULT_END_ON,
    )


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
