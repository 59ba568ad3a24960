"""`tenure serve`: run the web application and schedule the named jobs."""

import socket
from datetime import UTC, date, datetime
from typing import Annotated

import typer
import uvicorn

from tenure.cli.context import workspace_of
from tenure.core.errors import ConfigurationError
from tenure.core.jobs import JobScheduler
from tenure.core.workspace import Workspace
from tenure.web.app import create_app

# In this order: health reads the rollups, alerts read the health scores.
SCHEDULED_JOBS = ("rollups", "health", "alerts", "surveys")
DEFAULT_JOBS_EVERY_MINUTES = 60.0


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    jobs_every: Annotated[
        float,
        typer.Option(
            min=0.01,
            envvar="TENURE_JOBS_EVERY_MINUTES",
            help="Minutes between runs of the jobs (rollups, health, alerts, surveys); "
            "they also run once at start.",
        ),
    ] = DEFAULT_JOBS_EVERY_MINUTES,
    jobs: Annotated[
        bool,
        typer.Option("--jobs/--no-jobs", help="Run the scheduled jobs in-process."),
    ] = True,
) -> None:
    """Serve the web application and the APIs until interrupted, running the
    rollups, health, alerts and surveys jobs every --jobs-every minutes."""
    serve_workspace(
        workspace_of(ctx),
        host=host,
        port=port,
        jobs_every_minutes=jobs_every if jobs else None,
    )


def _today() -> date:
    return datetime.now(UTC).date()


def serve_workspace(
    workspace: Workspace,
    *,
    host: str,
    port: int,
    jobs_every_minutes: float | None = None,
) -> None:
    """Serve one workspace until interrupted, once the address is known to be free;
    with `jobs_every_minutes`, the scheduled jobs run in a background thread."""
    listener = bind_listener(host=host, port=port)
    app = create_app(workspace)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    scheduler = None
    if jobs_every_minutes is not None:
        scheduler = JobScheduler(
            workspace,
            names=SCHEDULED_JOBS,
            every_seconds=jobs_every_minutes * 60,
            today=_today,
        )
    typer.echo(f"Tenure is serving at http://{host}:{port}/ (Ctrl+C stops it)")
    if scheduler is not None:
        typer.echo(
            f"Jobs {', '.join(SCHEDULED_JOBS)} run now and every "
            f"{jobs_every_minutes:g} minutes (--no-jobs turns them off)"
        )
        scheduler.start()
    try:
        with listener:
            server.run(sockets=[listener])
    finally:
        if scheduler is not None:
            scheduler.stop(timeout=30)


def bind_listener(*, host: str, port: int) -> socket.socket:
    """A socket bound to the address, or a sentence saying why it cannot be."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        listener = socket.socket(family, socket.SOCK_STREAM)
    except (OSError, OverflowError) as exc:
        raise ConfigurationError(
            f"cannot listen on {host}:{port} ({exc}); pass --host with an address "
            "of this machine"
        ) from exc
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise ConfigurationError(
            f"cannot listen on {host}:{port} ({exc.strerror}); stop what uses the "
            "port or pass --port with another one"
        ) from exc
    listener.set_inheritable(True)
    return listener
