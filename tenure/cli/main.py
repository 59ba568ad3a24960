"""The `tenure` command: global options, sub-commands and the one error catch."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DatabaseError

from tenure import __version__
from tenure.cli.context import CliState, settings_of
from tenure.core.errors import TenureError
from tenure.core.logging import configure_logging
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace

app = typer.Typer(
    name="tenure",
    help="Tenure: customer success for B2B SaaS companies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tenure {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Workspace folder \\[env TENURE_HOME; default ./tenure-data].",
        ),
    ] = None,
    log_level: Annotated[
        LogLevel,
        typer.Option("--log-level", case_sensitive=False, help="How much to log."),
    ] = LogLevel.WARNING,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show it."),
    ] = False,
) -> None:
    """Tenure: customer success for B2B SaaS companies."""
    configure_logging(level=log_level.value)
    overrides = {"home": home} if home is not None else {}
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise TenureError(
            f"setting TENURE_{field.upper()} is invalid: "
            f"{first['msg'].removeprefix('Value error, ')}"
        ) from exc
    ctx.obj = CliState(settings=settings)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the workspace (home folder and database) or upgrade it."""
    settings = settings_of(ctx)
    workspace = init_workspace(settings)
    typer.echo(f"workspace ready at {settings.home} ({workspace.engine.url!r})")


def _register_commands() -> None:
    # Sub-command modules are imported here so that `tenure --help` lists them all.
    from tenure.cli.accounts import add_account_commands
    from tenure.cli.activity import activity_app, events_app
    from tenure.cli.alerts import alerts_app
    from tenure.cli.assignment import accounts_app, assignment_app, users_app
    from tenure.cli.churn import churn_app
    from tenure.cli.demo import demo_app
    from tenure.cli.export import export_command
    from tenure.cli.health import health_app
    from tenure.cli.imports import import_command
    from tenure.cli.jobs import jobs_app
    from tenure.cli.keys import keys_app
    from tenure.cli.metrics import app as metrics_app
    from tenure.cli.notes import notes_app
    from tenure.cli.onboarding import onboarding_app
    from tenure.cli.serve import serve
    from tenure.cli.surveys import surveys_app
    from tenure.cli.tokens import tokens_app

    app.add_typer(users_app, name="users")
    app.add_typer(assignment_app, name="assignment")
    app.command("import")(import_command)
    app.add_typer(add_account_commands(accounts_app), name="accounts")
    app.add_typer(onboarding_app, name="onboarding")
    app.add_typer(notes_app, name="notes")
    app.add_typer(churn_app, name="churn")
    app.add_typer(demo_app, name="demo")
    app.add_typer(metrics_app, name="metrics")
    app.command("export")(export_command)
    app.add_typer(health_app, name="health")
    app.add_typer(alerts_app, name="alerts")
    app.command()(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(events_app, name="events")
    app.add_typer(activity_app, name="activity")
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(surveys_app, name="surveys")


_register_commands()


def run() -> None:
    """Entry point: run the app and turn every expected failure into one line."""
    try:
        app()
    except TenureError as exc:
        _fail(str(exc))
    except DatabaseError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc)
        _fail(
            f"the database refused the command ({reason}); check that it is "
            "reachable, then run `tenure init` to bring it up to date"
        )
    except OSError as exc:
        where = f" at {exc.filename}" if exc.filename else ""
        _fail(
            f"the operating system refused{where} ({exc.strerror or exc}); check "
            "the path, free space and permissions"
        )


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    sys.exit(1)


if __name__ == "__main__":
    run()
