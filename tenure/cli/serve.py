"""`tenure serve`: run the web application."""

from typing import Annotated

import typer
import uvicorn

from tenure.cli.context import workspace_of
from tenure.core.workspace import Workspace
from tenure.web.app import create_app


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web application and the APIs until interrupted."""
    serve_workspace(workspace_of(ctx), host=host, port=port)


def serve_workspace(workspace: Workspace, *, host: str, port: int) -> None:
    """Serve one workspace until interrupted."""
    app = create_app(workspace)
    typer.echo(f"Tenure is serving at http://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
