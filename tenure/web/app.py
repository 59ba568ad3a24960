"""The application factory: one FastAPI app per workspace."""

from fastapi import FastAPI

from tenure import __version__
from tenure.core.workspace import Workspace
from tenure.web.errors import install_error_handlers


def create_app(workspace: Workspace) -> FastAPI:
    """Build the web application on an opened workspace."""
    app = FastAPI(
        title="Tenure",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.workspace = workspace
    install_error_handlers(app)

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers `ok` with Tenure's version while the server runs."""
        return {"status": "ok", "version": __version__}

    return app
