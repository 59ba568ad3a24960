"""The application factory: one FastAPI app per workspace."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from tenure import __version__
from tenure.activity.store import EventStore
from tenure.core.workspace import Workspace
from tenure.web import (
    alert_routes,
    api,
    onboarding_api,
    pages,
    settings_api,
    settings_pages,
    team_api,
    team_pages,
    user_pages,
)
from tenure.web.errors import install_error_handlers, refuse_nul_in_address
from tenure.web.formatting import install_filters
from tenure.web.portfolio_cache import PortfolioCache
from tenure.web.security import load_secret_key
from tenure.web.survey_routes import install_surveys
from tenure.web.tracking import router as tracking_router

HERE = Path(__file__).parent


def create_app(workspace: Workspace) -> FastAPI:
    """Build the web application on an opened workspace."""
    app = FastAPI(
        title="Tenure",
        version=__version__,
        description=(
            "Tenure's JSON API: accounts, the account 360, health scores, alerts, "
            "the metric suite, renewals and notes; scorecards, alert rules, users "
            "and API tokens. Authenticate with `Authorization: Bearer <token>` "
            "(create one on the Tokens page or with `tenure tokens create`) or a "
            "signed-in "
            "browser session; session requests that change data also send the "
            "`X-CSRF-Token` header. Every error has the shape "
            '`{"error": {"code": ..., "message": ...}}`.'
        ),
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.workspace = workspace
    app.state.event_store = EventStore(workspace.settings.event_store_path)
    app.state.portfolios = PortfolioCache(workspace.engine, workspace.settings)
    app.state.secret_key = load_secret_key(workspace.settings.home)
    templates = Jinja2Templates(directory=HERE / "templates")
    install_filters(templates.env, workspace.settings.reporting_currency)
    app.state.templates = templates
    install_error_handlers(app)
    app.middleware("http")(refuse_nul_in_address)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers `ok` with Tenure's version while the server runs."""
        return {"status": "ok", "version": __version__}

    app.include_router(tracking_router)
    app.include_router(api.router)
    app.include_router(alert_routes.api_router)
    app.include_router(team_api.router)
    app.include_router(onboarding_api.router)
    app.include_router(pages.router)
    app.include_router(alert_routes.page_router)
    app.include_router(team_pages.router)
    app.include_router(settings_api.router)
    app.include_router(settings_pages.router)
    app.include_router(user_pages.router)
    install_surveys(app, workspace)
    return app
