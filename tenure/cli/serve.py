"""`tenure serve`: run the web application."""

import socket
from typing import Annotated

import typer
import uvicorn

from tenure.cli.context import workspace_of
from tenure.core.errors import ConfigurationError
from tenure.core.workspace import Workspace
from tenure.web.app import create_app


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port to listen on.")
    ] = 8000,
) -> None:
    """Serve the web application and the APIs until interrupted."""
    serve_workspace(workspace_of(ctx), host=host, port=port)


def serve_workspace(workspace: Workspace, *, host: str, port: int) -> None:
    """Serve one workspace until interrupted, once the address is known to be free."""
    listener = bind_listener(host=host, port=port)
    app = create_app(workspace)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    typer.echo(f"Tenure is serving at http://{host}:{port}/ (Ctrl+C stops it)")
    with listener:
        server.run(sockets=[listener])


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
