"""The application factory: one FastAPI app per workspace."""

from fastapi import FastAPI

from tenure import __version__
from tenure.activity.store import EventStore
from tenure.core.workspace import Workspace
from tenure.web.errors import install_error_handlers
from tenure.web.tracking import router as tracking_router


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
    app.state.event_store = EventStore(workspace.settings.event_store_path)
    install_error_handlers(app)
    app.include_router(tracking_router)

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers `ok` with Tenure's version while the server runs."""
        return {"status": "ok", "version": __version__}

    return app
