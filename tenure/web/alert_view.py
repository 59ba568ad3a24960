"""What the alerts inbox, the account page and the API show of alerts."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, User
from tenure.alerts.models import LIVE_STATUSES, Alert, AlertRule

RECENT_DAYS = 90
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class AlertFilter:
    """Statuses, CSM, account and page of an alerts list."""

    statuses: tuple[str, ...] = LIVE_STATUSES
    csm_id: str | None = None
    account_id: str | None = None
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class AlertRow:
    """An alert with the names people read next to it."""

    alert: Alert
    rule_name: str
    account_name: str
    assignee_name: str | None


@dataclass(frozen=True)
class AlertPage:
    rows: list[AlertRow]
    total: int
    page: int
    pages: int


def _names(
    session: Session, model: type[AlertRule] | type[Account] | type[User], ids: set[str]
) -> dict[str, str]:
    query = select(model.id, model.name).where(model.id.in_(sorted(ids)))
    return {row_id: name for row_id, name in session.execute(query)}


def _rows(session: Session, alerts: list[Alert]) -> list[AlertRow]:
    """The alerts with the names of their rules, accounts and assignees."""
    rule_ids = {a.rule_id for a in alerts}
    account_ids = {a.account_id for a in alerts}
    user_ids = {a.assignee_id for a in alerts if a.assignee_id}
    rules = _names(session, AlertRule, rule_ids)
    accounts = _names(session, Account, account_ids)
    users = _names(session, User, {u for u in user_ids if u})
    return [
        AlertRow(
            alert=a,
            rule_name=rules.get(a.rule_id, a.rule_id),
            account_name=accounts.get(a.account_id, a.account_id),
            assignee_name=users.get(a.assignee_id) if a.assignee_id else None,
        )
        for a in alerts
    ]


def list_alert_page(session: Session, wanted: AlertFilter) -> AlertPage:
    """One page of the matching alerts, newest first."""
    query = select(Alert).where(Alert.status.in_(wanted.statuses))
    if wanted.csm_id:
        query = query.where(Alert.assignee_id == wanted.csm_id)
    if wanted.account_id:
        query = query.where(Alert.account_id == wanted.account_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    per_page = max(1, min(wanted.per_page, MAX_PER_PAGE))
    pages = max(1, -(-total // per_page))
    page = max(1, min(wanted.page, pages))
    alerts = session.scalars(
        query.order_by(Alert.fired_on.desc(), Alert.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return AlertPage(_rows(session, list(alerts)), total, page, pages)


def account_alerts(session: Session, account_id: str, *, as_of: date) -> list[AlertRow]:
    """The account's live alerts and those fired in the last 90 days."""
    since = as_of - timedelta(days=RECENT_DAYS)
    query = (
        select(Alert)
        .where(
            Alert.account_id == account_id,
            Alert.status.in_(LIVE_STATUSES) | (Alert.fired_on >= since),
        )
        .order_by(Alert.fired_on.desc(), Alert.id.desc())
    )
    return _rows(session, list(session.scalars(query)))


def open_alert_count(session: Session, user: User) -> int:
    """Open alerts a user sees in the nav: a CSM their own, everyone else all."""
    query = select(func.count(Alert.id)).where(Alert.status == "open")
    if user.role == "csm":
        query = query.where(Alert.assignee_id == user.id)
    return session.scalar(query) or 0


def alert_row(session: Session, alert: Alert) -> AlertRow:
    return _rows(session, [alert])[0]
