"""The alerts inbox page, an account's health in the API, and alert actions."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import User
from tenure.accounts.service import get_account_or_raise
from tenure.alerts.lifecycle import (
    acknowledge_alert,
    get_alert_or_raise,
    resolve_alert,
    snooze_alert,
)
from tenure.alerts.models import ALERT_STATUSES, LIVE_STATUSES, Alert
from tenure.web.alert_view import AlertFilter, AlertRow, alert_row, list_alert_page
from tenure.web.deps import AsOf, Caller, Db
from tenure.web.health_view import health_panel_or_raise
from tenure.web.rendering import render_page
from tenure.web.schemas import AlertList, AlertOut, ErrorOut, HealthOut, SnoozeIn
from tenure.web.security import (
    Identity,
    can_handle_alert,
    check_csrf,
    now_utc,
    require_alert_handler,
)

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
api_router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
page_router = APIRouter(include_in_schema=False)

Status = Literal["open", "acknowledged", "snoozed", "resolved"]
Action = Literal["acknowledge", "snooze", "resolve"]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The alert's id.")]
EVERYONE = "all"


def _alert_out(row: AlertRow) -> AlertOut:
    a = row.alert
    return AlertOut(
        id=a.id,
        rule_id=a.rule_id,
        rule_name=row.rule_name,
        account_id=a.account_id,
        account_name=row.account_name,
        severity=a.severity,
        status=a.status,
        assignee_id=a.assignee_id,
        assignee_name=row.assignee_name,
        fired_on=a.fired_on,
        values=dict(a.values or {}),
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=a.acknowledged_at,
        snoozed_by=a.snoozed_by,
        snoozed_until=a.snoozed_until,
        resolved_by=a.resolved_by,
        resolved_at=a.resolved_at,
    )


def _change(
    db: Session,
    caller: Identity,
    alert_id: int,
    action: Action,
    until: date | None = None,
) -> Alert:
    """Apply one lifecycle step as the caller, after the role check."""
    alert = get_alert_or_raise(db, alert_id)
    require_alert_handler(caller.user, alert.id, alert.assignee_id)
    by, at = caller.user.id, now_utc()
    steps: dict[Action, Callable[[], Alert]] = {
        "acknowledge": lambda: acknowledge_alert(db, alert_id, by=by, at=at),
        "resolve": lambda: resolve_alert(db, alert_id, by=by, at=at),
        "snooze": lambda: snooze_alert(
            db, alert_id, until=until or at.date() + timedelta(days=7), by=by, at=at
        ),
    }
    changed = steps[action]()
    db.commit()
    return changed


@api_router.get("/accounts/{account_id}/health")
def get_account_health(
    db: Db, caller: Caller, as_of: AsOf, account_id: str
) -> HealthOut:
    """The account's latest kept health score on or before as_of, explained.

    Each measure shows its value, points, weight and contribution; a measure
    without data has `is_missing: true` and a null value (never 0).
    `week_ago` compares with the score kept 7 days earlier. 404 when the
    account does not exist or has never been scored.
    """
    get_account_or_raise(db, account_id)
    panel = health_panel_or_raise(db, account_id, as_of=as_of)
    return HealthOut.model_validate(panel.__dict__)


@api_router.get("/alerts")
def list_alerts(
    db: Db,
    caller: Caller,
    status: Annotated[
        list[Status] | None,
        Query(description="Repeatable; every status when left out."),
    ] = None,
    csm: Annotated[
        str | None, Query(max_length=64, description="The assignee's user id.")
    ] = None,
    account: Annotated[
        str | None, Query(max_length=64, description="An account id.")
    ] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> AlertList:
    """Alerts, newest first, with their rule, account and assignee names."""
    listing = list_alert_page(
        db,
        AlertFilter(
            statuses=tuple(status) if status else ALERT_STATUSES,
            csm_id=csm or None,
            account_id=account or None,
            page=page,
            per_page=per_page,
        ),
    )
    return AlertList(
        items=[_alert_out(row) for row in listing.rows],
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
    )


@api_router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request, db: Db, caller: Caller, alert_id: AlertId
) -> AlertOut:
    """Say you have seen the alert and are on it; who and when are recorded.

    CSMs may change alerts routed to them, leaders and admins any, viewers
    none. Session callers send the `X-CSRF-Token` header.
    """
    check_csrf(caller, request.headers.get("x-csrf-token"))
    return _alert_out(alert_row(db, _change(db, caller, alert_id, "acknowledge")))


@api_router.post("/alerts/{alert_id}/snooze")
def snooze(
    request: Request, db: Db, caller: Caller, alert_id: AlertId, body: SnoozeIn
) -> AlertOut:
    """Hide the alert until a day after today; the first rule run on or after
    that day reopens it. Same roles as acknowledging."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    changed = _change(db, caller, alert_id, "snooze", until=body.until)
    return _alert_out(alert_row(db, changed))


@api_router.post("/alerts/{alert_id}/resolve")
def resolve(request: Request, db: Db, caller: Caller, alert_id: AlertId) -> AlertOut:
    """Close the alert; its rule may fire again for the account after the
    rule's cooldown. Same roles as acknowledging."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    return _alert_out(alert_row(db, _change(db, caller, alert_id, "resolve")))


def _inbox_csm(caller: Identity, csm: str | None) -> str | None:
    """A CSM sees their own alerts unless they pick another CSM or everyone."""
    if csm == EVERYONE:
        return None
    if csm:
        return csm
    return caller.user.id if caller.user.role == "csm" else None


@page_router.get("/alerts")
def alerts_inbox(
    request: Request,
    db: Db,
    caller: Caller,
    status: Annotated[
        str | None, Query(pattern=r"^(open|acknowledged|snoozed)?$")
    ] = None,
    csm: Annotated[str | None, Query(max_length=64)] = None,
    account: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> Response:
    csm_id = _inbox_csm(caller, csm)
    wanted = AlertFilter(
        statuses=(status,) if status else LIVE_STATUSES,
        csm_id=csm_id,
        account_id=account or None,
        page=page,
    )
    return render_page(
        request,
        "alerts.html",
        caller,
        listing=list_alert_page(db, wanted),
        status=status or "",
        csm=csm_id or EVERYONE,
        account=account or "",
        csms=list(db.scalars(select(User).where(User.role == "csm"))),
        tomorrow=now_utc().date() + timedelta(days=1),
        can_handle=lambda row: can_handle_alert(caller.user, row.alert.assignee_id),
    )


@page_router.post("/alerts/{alert_id}/{action}")
def change_alert(
    request: Request,
    db: Db,
    caller: Caller,
    alert_id: AlertId,
    action: Action,
    csrf_token: Annotated[str, Form()] = "",
    until: Annotated[date | None, Form()] = None,
) -> Response:
    check_csrf(caller, csrf_token or request.headers.get("x-csrf-token"))
    changed = _change(db, caller, alert_id, action, until=until)
    if request.headers.get("hx-request"):
        return render_page(
            request,
            "_alert_row.html",
            caller,
            row=alert_row(db, changed),
            tomorrow=now_utc().date() + timedelta(days=1),
            can_handle=lambda row: can_handle_alert(caller.user, row.alert.assignee_id),
        )
    return RedirectResponse("/alerts", status_code=303)
