"""One JSON error shape for every failure the API reports; pages get an HTML page."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from tenure.core.errors import InvalidInput, NotFound, TenureError


class NotSignedIn(TenureError):
    """The request carries no live session or API token."""


class NotAllowed(TenureError, PermissionError):
    """The signed-in user's role does not allow the action."""


class CsrfRejected(NotAllowed):
    """A form or request arrived without this session's CSRF token."""


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, **extra}}, status_code=status
    )


def _status_of(exc: TenureError) -> tuple[int, str]:
    if isinstance(exc, NotSignedIn):
        return 401, "not_signed_in"
    if isinstance(exc, CsrfRejected):
        return 403, "csrf_rejected"
    if isinstance(exc, NotAllowed):
        return 403, "not_allowed"
    if isinstance(exc, NotFound):
        return 404, "not_found"
    if isinstance(exc, InvalidInput):
        return 422, "invalid_input"
    return 400, "bad_request"


def _is_api(request: Request) -> bool:
    """The JSON API and the tracking API answer in JSON; pages answer in HTML."""
    return request.url.path.startswith(("/api/", "/v1/"))


def _page(request: Request, status: int, message: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "user": None},
        status_code=status,
    )


async def _on_tenure_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TenureError)
    status, code = _status_of(exc)
    if _is_api(request):
        problems = getattr(exc, "problems", None)
        if isinstance(problems, dict):
            listed = [{"field": f, "reason": r} for f, r in problems.items()]
            return _error(status, code, str(exc), problems=listed)
        return _error(status, code, str(exc))
    if isinstance(exc, NotSignedIn):
        return RedirectResponse("/login", status_code=303)
    return _page(request, status, str(exc))


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not _is_api(request) and exc.status_code == 404:
        return _page(request, 404, "There is no page at this address.")
    if not _is_api(request) and isinstance(exc.detail, str):
        return HTMLResponse(exc.detail, status_code=exc.status_code)
    return _error(exc.status_code, "http_error", str(exc.detail))


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(part) for part in error["loc"]), "reason": error["msg"]}
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"field": "", "reason": "invalid request"}
    message = f"{first['field']}: {first['reason']}"
    if not _is_api(request):
        return _page(request, 422, message)
    return _error(422, "invalid_request", message, problems=problems)


async def refuse_nul_in_address(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """A NUL character in the path or query can never name anything, and some
    databases refuse it in a query; answer 400 before any handler runs."""
    if "\x00" in request.url.path or "%00" in request.url.query.lower():
        message = "the address contains a NUL character (%00); remove it"
        if _is_api(request):
            return _error(400, "bad_request", message)
        return _page(request, 400, message)
    return await call_next(request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TenureError, _on_tenure_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
