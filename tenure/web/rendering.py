"""Render a page with what every page needs: the user, the CSRF token, the nav."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from tenure.core.db import make_session_factory
from tenure.web.alert_view import open_alert_count
from tenure.web.security import Identity


def render_page(
    request: Request,
    name: str,
    identity: Identity | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The template with the signed-in user, their CSRF token and open alerts."""
    open_alerts = 0
    if identity is not None:
        with make_session_factory(request.app.state.workspace.engine)() as session:
            open_alerts = open_alert_count(session, identity.user)
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request,
        name,
        {
            "user": identity.user if identity else None,
            "csrf_token": identity.csrf_token if identity else None,
            "open_alerts": open_alerts,
            **context,
        },
        status_code=status_code,
    )
