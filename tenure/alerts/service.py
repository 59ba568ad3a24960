"""Alert rules run daily: fire, de-duplicate, cool down, auto-close, route."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenure.activity.store import EventStore
from tenure.alerts.digest import queue_digests
from tenure.alerts.errors import AlertRuleNotFound
from tenure.alerts.expression import Condition, Value, parse_condition
from tenure.alerts.models import LIVE_STATUSES, Alert, AlertEvent, AlertRule, AlertRun
from tenure.alerts.values import KNOWN_VALUES, account_values
from tenure.core.db import transaction
from tenure.core.workspace import Workspace
from tenure.health.inputs import load_health_inputs
from tenure.health.service import load_scorecard, read_activity

log = structlog.get_logger()

SYSTEM = "system"
DEFAULT_DIGEST_CHANNELS = ("email", "in_app")


@dataclass
class RunSummary:
    as_of: date
    fired: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)
    reopened: list[Alert] = field(default_factory=list)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def parsed_rules(
    session: Session, rule_id: str | None = None
) -> list[tuple[AlertRule, Condition]]:
    """Active rules (or the one named) with their conditions parsed and checked."""
    query = select(AlertRule).order_by(AlertRule.id)
    if rule_id is not None:
        query = query.where(AlertRule.id == rule_id)
    else:
        query = query.where(AlertRule.is_active.is_(True))
    rules = list(session.scalars(query))
    if rule_id is not None and not rules:
        raise AlertRuleNotFound(
            f"no alert rule {rule_id!r}; `tenure alerts rules` lists them"
        )
    return [
        (rule, parse_condition(rule.condition, known=KNOWN_VALUES)) for rule in rules
    ]


def record_event(session: Session, alert: Alert, *, actor: str, at: datetime) -> None:
    session.add(
        AlertEvent(alert_id=alert.id, status=alert.status, actor=actor, occurred_at=at)
    )


def _last_run_before(session: Session, as_of: date) -> date | None:
    return session.scalar(
        select(func.max(AlertRun.as_of)).where(AlertRun.as_of < as_of)
    )


def _live_alerts(session: Session) -> dict[tuple[str, str], Alert]:
    alerts = session.scalars(select(Alert).where(Alert.status.in_(LIVE_STATUSES)))
    return {(alert.rule_id, alert.account_id): alert for alert in alerts}


def _cooling_down(
    session: Session, rules: Sequence[AlertRule], *, as_of: date
) -> set[tuple[str, str]]:
    """(rule, account) pairs whose last alert was resolved within the cooldown."""
    cooling = set()
    resolved = session.scalars(select(Alert).where(Alert.status == "resolved"))
    cooldown = {rule.id: rule.cooldown_days for rule in rules}
    for alert in resolved:
        days = cooldown.get(alert.rule_id, 0)
        if alert.resolved_at is None or days <= 0:
            continue
        if midnight(as_of) < _as_utc(alert.resolved_at) + timedelta(days=days):
            cooling.add((alert.rule_id, alert.account_id))
    return cooling


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def run_alert_rules(
    session: Session,
    *,
    as_of: date,
    store: EventStore | None = None,
    digest_channels: Sequence[str] = DEFAULT_DIGEST_CHANNELS,
) -> RunSummary:
    """Evaluate every active rule for every account on `as_of` and queue digests."""
    rules = parsed_rules(session)
    scorecard = load_scorecard(session)
    data = load_health_inputs(session)
    since = _last_run_before(session, as_of) or as_of - timedelta(days=1)
    activity = read_activity(store, as_of=as_of, event_names=scorecard.activity_events)
    values = account_values(
        data, scorecard, as_of=as_of, since=since, activity=activity
    )
    csm_of = {account.id: account.csm_id for account in data.accounts}
    summary = RunSummary(as_of)
    live = _live_alerts(session)
    _wake_snoozed(session, live.values(), as_of=as_of, summary=summary)
    cooling = _cooling_down(session, [rule for rule, _ in rules], as_of=as_of)
    for rule, condition in rules:
        for account_id, row in values.items():
            key = (rule.id, account_id)
            if condition.matches(row):
                if key not in live and key not in cooling:
                    alert = _new_alert(
                        rule, account_id, row, csm_of[account_id], as_of, condition
                    )
                    summary.fired.append(alert)
            elif key in live and rule.is_auto_closed:
                _close(session, live[key], as_of=as_of)
                summary.resolved.append(live[key])
    _record_fired(session, summary.fired, as_of=as_of)
    session.merge(AlertRun(as_of=as_of))
    queue_digests(session, summary.fired, on=as_of, channels=digest_channels)
    log.info(
        "alerts.rules_run",
        as_of=as_of.isoformat(),
        rules=len(rules),
        fired=len(summary.fired),
        resolved=len(summary.resolved),
    )
    return summary


def _new_alert(
    rule: AlertRule,
    account_id: str,
    row: dict[str, Value],
    csm_id: str | None,
    as_of: date,
    condition: Condition,
) -> Alert:
    return Alert(
        rule_id=rule.id,
        account_id=account_id,
        severity=rule.severity,
        status="open",
        assignee_id=csm_id,
        fired_on=as_of,
        values={name: row.get(name) for name in sorted(condition.names)},
    )


def _record_fired(session: Session, fired: Sequence[Alert], *, as_of: date) -> None:
    """Store the run's new alerts in one flush, then their first lifecycle step."""
    session.add_all(fired)
    session.flush()
    for alert in fired:
        record_event(session, alert, actor=SYSTEM, at=midnight(as_of))
        log.info(
            "alerts.alert_fired",
            alert=alert.id,
            rule=alert.rule_id,
            account=alert.account_id,
        )


def _close(session: Session, alert: Alert, *, as_of: date) -> None:
    alert.status = "resolved"
    alert.resolved_by = SYSTEM
    alert.resolved_at = midnight(as_of)
    record_event(session, alert, actor=SYSTEM, at=midnight(as_of))
    log.info("alerts.alert_resolved", alert=alert.id, by=SYSTEM)


def _wake_snoozed(
    session: Session, alerts: Iterable[Alert], *, as_of: date, summary: RunSummary
) -> None:
    for alert in alerts:
        until = alert.snoozed_until
        if alert.status == "snoozed" and until is not None and until <= as_of:
            alert.status = "open"
            record_event(session, alert, actor=SYSTEM, at=midnight(as_of))
            summary.reopened.append(alert)


def alerts_by_assignee(alerts: Sequence[Alert]) -> dict[str | None, list[Alert]]:
    grouped: dict[str | None, list[Alert]] = defaultdict(list)
    for alert in alerts:
        grouped[alert.assignee_id].append(alert)
    return dict(grouped)


def run_alerts_job(workspace: Workspace, *, as_of: date) -> dict[str, int]:
    """The `alerts` job: evaluate every active alert rule on `as_of`."""
    store = EventStore(workspace.settings.event_store_path)
    with transaction(workspace.engine) as session:
        summary = run_alert_rules(session, as_of=as_of, store=store)
    return {
        "alerts_fired": len(summary.fired),
        "alerts_resolved": len(summary.resolved),
        "alerts_reopened": len(summary.reopened),
    }
