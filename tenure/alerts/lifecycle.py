"""An alert's lifecycle by hand: acknowledge, snooze until a day, resolve; list."""

from datetime import date, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.alerts.errors import AlertNotFound, InvalidAlertChange
from tenure.alerts.models import ALERT_STATUSES, Alert
from tenure.alerts.service import record_event

log = structlog.get_logger()


def get_alert_or_raise(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise AlertNotFound(f"no alert {alert_id}; `tenure alerts list` shows them")
    return alert


def _refuse_resolved(alert: Alert, action: str) -> None:
    if alert.status == "resolved":
        raise InvalidAlertChange(
            f"alert {alert.id} is already resolved and cannot be {action}"
        )


def acknowledge_alert(
    session: Session, alert_id: int, *, by: str, at: datetime
) -> Alert:
    """Mark that someone has seen the alert and is on it."""
    alert = get_alert_or_raise(session, alert_id)
    _refuse_resolved(alert, "acknowledged")
    alert.status, alert.acknowledged_by, alert.acknowledged_at = "acknowledged", by, at
    record_event(session, alert, actor=by, at=at)
    log.info("alerts.alert_acknowledged", alert=alert.id, by=by)
    return alert


def snooze_alert(
    session: Session, alert_id: int, *, until: date, by: str, at: datetime
) -> Alert:
    """Hide the alert until a day; the first rule run on or after it reopens it."""
    alert = get_alert_or_raise(session, alert_id)
    _refuse_resolved(alert, "snoozed")
    if until <= at.date():
        raise InvalidAlertChange(
            f"cannot snooze alert {alert.id} until {until}: "
            f"pick a day after {at.date()}"
        )
    alert.status, alert.snoozed_by, alert.snoozed_until = "snoozed", by, until
    record_event(session, alert, actor=by, at=at)
    log.info("alerts.alert_snoozed", alert=alert.id, by=by, until=until.isoformat())
    return alert


def resolve_alert(session: Session, alert_id: int, *, by: str, at: datetime) -> Alert:
    """Close the alert; the rule may fire again once its cooldown has passed."""
    alert = get_alert_or_raise(session, alert_id)
    _refuse_resolved(alert, "resolved again")
    alert.status, alert.resolved_by, alert.resolved_at = "resolved", by, at
    record_event(session, alert, actor=by, at=at)
    log.info("alerts.alert_resolved", alert=alert.id, by=by)
    return alert


def list_alerts(
    session: Session, *, status: str | None = None, assignee_id: str | None = None
) -> list[Alert]:
    """Alerts, newest first, optionally of one status or one assignee."""
    query = select(Alert).order_by(Alert.fired_on.desc(), Alert.id.desc())
    if status is not None:
        if status not in ALERT_STATUSES:
            raise InvalidAlertChange(
                f"unknown alert status {status!r}; "
                f"use one of {', '.join(ALERT_STATUSES)}"
            )
        query = query.where(Alert.status == status)
    if assignee_id is not None:
        query = query.where(Alert.assignee_id == assignee_id)
    return list(session.scalars(query))
