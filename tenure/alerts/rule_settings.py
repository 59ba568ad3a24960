"""Create, edit, enable and disable alert rules, checked field by field.

The condition is checked by the rule language's own parser, so the message a
person sees beside the field is the parser's. Each change is kept with who
made it and when; it takes effect on the next run of the rules.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.alerts.errors import AlertRuleNotFound
from tenure.alerts.expression import InvalidCondition, parse_condition
from tenure.alerts.models import SEVERITIES, AlertRule, AlertRuleChange
from tenure.alerts.values import KNOWN_VALUES
from tenure.core.errors import InvalidInput

log = structlog.get_logger()

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_COOLDOWN_DAYS = 3650


class InvalidAlertRule(InvalidInput):
    """One or more fields of an alert rule cannot be used; `problems` maps each
    field to one sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        field, message = next(iter(self.problems.items()))
        more = len(self.problems) - 1
        suffix = f" (and {more} more field{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{field}: {message}{suffix}")


@dataclass(frozen=True)
class RuleSettings:
    """The editable fields of an alert rule."""

    name: str
    condition: str
    severity: str = "medium"
    cooldown_days: int = 7
    is_active: bool = True
    is_auto_closed: bool = True


def get_rule_or_raise(session: Session, rule_id: str) -> AlertRule:
    rule = session.get(AlertRule, rule_id)
    if rule is None:
        raise AlertRuleNotFound(
            f"no alert rule {rule_id!r}; the alert rules settings page lists them"
        )
    return rule


def list_rules(session: Session) -> list[AlertRule]:
    return list(session.scalars(select(AlertRule).order_by(AlertRule.id)))


def rule_changes(
    session: Session, rule_id: str, *, limit: int = 20
) -> list[AlertRuleChange]:
    """The latest changes of a rule, newest first."""
    return list(
        session.scalars(
            select(AlertRuleChange)
            .where(AlertRuleChange.rule_id == rule_id)
            .order_by(AlertRuleChange.id.desc())
            .limit(limit)
        )
    )


def check_rule_settings(settings: RuleSettings) -> dict[str, str]:
    """Every problem of the fields, one sentence per field; empty when usable."""
    problems: dict[str, str] = {}
    if not settings.name.strip() or len(settings.name) > 200:
        problems["name"] = "give the rule a name of 1 to 200 characters"
    if len(settings.condition) > 2000:
        problems["condition"] = "the condition is longer than 2,000 characters"
    else:
        try:
            parse_condition(settings.condition, known=KNOWN_VALUES)
        except InvalidCondition as exc:
            problems["condition"] = str(exc)
    if settings.severity not in SEVERITIES:
        problems["severity"] = (
            f"severity {settings.severity!r} is unknown; use one of "
            f"{', '.join(SEVERITIES)}"
        )
    if not 0 <= settings.cooldown_days <= MAX_COOLDOWN_DAYS:
        problems["cooldown_days"] = (
            f"{settings.cooldown_days} days is outside 0–{MAX_COOLDOWN_DAYS}; give "
            "the days to wait after a resolved alert before firing again"
        )
    return problems


def _fields(rule: AlertRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "condition": rule.condition,
        "severity": rule.severity,
        "cooldown_days": rule.cooldown_days,
        "is_active": rule.is_active,
        "is_auto_closed": rule.is_auto_closed,
    }


def _record(
    session: Session,
    rule: AlertRule,
    before: dict[str, Any] | None,
    *,
    changed_by: str,
    changed_at: datetime,
) -> AlertRuleChange:
    change = AlertRuleChange(
        rule_id=rule.id,
        changed_by=changed_by,
        changed_at=changed_at,
        before=before,
        after=_fields(rule),
    )
    session.add(change)
    session.flush()
    log.info("alerts.rule_changed", rule=rule.id, by=changed_by)
    return change


def create_rule(
    session: Session,
    rule_id: str,
    settings: RuleSettings,
    *,
    changed_by: str,
    changed_at: datetime,
) -> AlertRule:
    """Add a rule under a new id (lower-case letters, digits, `_` and `-`)."""
    problems = {}
    if not RULE_ID.match(rule_id):
        problems["id"] = (
            "use 1 to 64 lower-case letters, digits, '_' or '-', starting with a "
            "letter or digit"
        )
    elif session.get(AlertRule, rule_id) is not None:
        problems["id"] = f"a rule {rule_id!r} exists already; choose another id"
    problems.update(check_rule_settings(settings))
    if problems:
        raise InvalidAlertRule(problems)

    rule = AlertRule(id=rule_id, **asdict(settings))
    rule.name = settings.name.strip()
    session.add(rule)
    session.flush()
    _record(session, rule, None, changed_by=changed_by, changed_at=changed_at)
    return rule


def update_rule(
    session: Session,
    rule_id: str,
    settings: RuleSettings,
    *,
    changed_by: str,
    changed_at: datetime,
) -> AlertRule:
    """Change every editable field of a rule at once."""
    rule = get_rule_or_raise(session, rule_id)
    problems = check_rule_settings(settings)
    if problems:
        raise InvalidAlertRule(problems)

    before = _fields(rule)
    for field, value in asdict(settings).items():
        setattr(rule, field, value)
    rule.name = settings.name.strip()
    _record(session, rule, before, changed_by=changed_by, changed_at=changed_at)
    return rule


def set_rule_active(
    session: Session,
    rule_id: str,
    *,
    is_active: bool,
    changed_by: str,
    changed_at: datetime,
) -> AlertRule:
    """Enable or disable a rule; a disabled rule fires nothing and closes nothing."""
    rule = get_rule_or_raise(session, rule_id)
    if rule.is_active != is_active:
        before = _fields(rule)
        rule.is_active = is_active
        _record(session, rule, before, changed_by=changed_by, changed_at=changed_at)
    return rule


def describe_rule_change(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> list[str]:
    """What a rule change did, one short phrase per field."""
    if before is None:
        return ["created"]
    said = []
    for field, value in after.items():
        if before.get(field) == value:
            continue
        if field == "is_active":
            said.append("enabled" if value else "disabled")
        elif field == "is_auto_closed":
            said.append("auto-close on" if value else "auto-close off")
        else:
            said.append(f"{field.replace('_', ' ')} {before.get(field)} → {value}")
    return said or ["saved without changes"]
