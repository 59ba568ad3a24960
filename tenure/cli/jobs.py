"""`tenure jobs`: run background jobs by name."""

import typer

from tenure.cli.context import workspace_of
from tenure.cli.listing import AsOf, day_or_today
from tenure.core.jobs import JOBS, run_job

jobs_app = typer.Typer(help="Background jobs (rollups, ...).", no_args_is_help=True)


@jobs_app.command("run")
def jobs_run(ctx: typer.Context, name: str, as_of: AsOf = None) -> None:
    """Run one job now and print its counts."""
    counts = run_job(name, workspace_of(ctx), as_of=day_or_today(ctx, as_of))
    details = ", ".join(f"{key} {value:,}" for key, value in counts.items())
    typer.echo(f"job {name} finished: {details}")


@jobs_app.command("list")
def jobs_list() -> None:
    """List the jobs that can be run."""
    for name in sorted(JOBS):
        typer.echo(name)
