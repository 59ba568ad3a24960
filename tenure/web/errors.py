"""One JSON error shape for every failure the API reports."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from tenure.core.errors import InvalidInput, NotFound, TenureError


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, **extra}}, status_code=status
    )


def _status_of(exc: TenureError) -> tuple[int, str]:
    if isinstance(exc, NotFound):
        return 404, "not_found"
    if isinstance(exc, InvalidInput):
        return 422, "invalid_input"
    return 400, "bad_request"


async def _on_tenure_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TenureError)
    status, code = _status_of(exc)
    return _error(status, code, str(exc))


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, "http_error", str(exc.detail))


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(part) for part in error["loc"]), "reason": error["msg"]}
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"field": "", "reason": "invalid request"}
    message = f"{first['field']}: {first['reason']}"
    return _error(422, "invalid_request", message, problems=problems)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TenureError, _on_tenure_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
