"""Assignment rules as data: which accounts go to which CSMs, in priority order."""

from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import (
    STRATEGIES,
    AssignmentRule,
    AssignmentRuleCsm,
)
from tenure.accounts.errors import InvalidRule, RuleNotFound
from tenure.accounts.models import Account
from tenure.accounts.roster import get_user_or_raise

log = structlog.get_logger()


@dataclass(frozen=True)
class RuleView:
    """A rule with its CSM pool, detached from the session."""

    id: int
    name: str
    priority: int
    segment: str | None
    country: str | None
    plan: str | None
    strategy: str
    csm_ids: tuple[str, ...]

    @property
    def is_default(self) -> bool:
        return self.segment is None and self.country is None and self.plan is None

    def matches(self, account: Account) -> bool:
        return (
            _matches(self.segment, account.segment)
            and _matches(self.country, account.country)
            and _matches(self.plan, account.plan)
        )

    def describe(self) -> str:
        criteria = [
            f"{label}={value}"
            for label, value in (
                ("segment", self.segment),
                ("country", self.country),
                ("plan", self.plan),
            )
            if value is not None
        ]
        return ", ".join(criteria) or "any account"


def _matches(criterion: str | None, value: str | None) -> bool:
    if criterion is None:
        return True
    if value is None:
        return False
    return value.strip().casefold() in _values(criterion)


def _values(criterion: str) -> set[str]:
    return {part.strip().casefold() for part in criterion.split(",") if part.strip()}


def _clean(criterion: str | None) -> str | None:
    if criterion is None or not _values(criterion):
        return None
    return ",".join(part.strip() for part in criterion.split(",") if part.strip())


def list_rules(session: Session) -> list[RuleView]:
    """Rules in the order they are tried: priority, then id."""
    rules = session.scalars(
        select(AssignmentRule).order_by(AssignmentRule.priority, AssignmentRule.id)
    )
    pools: dict[int, list[str]] = {}
    for member in session.scalars(
        select(AssignmentRuleCsm).order_by(AssignmentRuleCsm.user_id)
    ):
        pools.setdefault(member.rule_id, []).append(member.user_id)
    return [
        RuleView(
            id=rule.id,
            name=rule.name,
            priority=rule.priority,
            segment=rule.segment,
            country=rule.country,
            plan=rule.plan,
            strategy=rule.strategy,
            csm_ids=tuple(pools.get(rule.id, ())),
        )
        for rule in rules
    ]


def add_rule(
    session: Session,
    *,
    name: str,
    priority: int = 100,
    segment: str | None = None,
    country: str | None = None,
    plan: str | None = None,
    strategy: str = "balance_count",
    csm_ids: Sequence[str] = (),
) -> RuleView:
    """Store a rule; without criteria it matches every account (a default rule)."""
    _check_rule(session, name=name, strategy=strategy)
    _check_pool(session, name=name, csm_ids=csm_ids)

    rule = AssignmentRule(
        name=name.strip(),
        priority=priority,
        segment=_clean(segment),
        country=_clean(country),
        plan=_clean(plan),
        strategy=strategy,
    )
    session.add(rule)
    session.flush()
    session.add_all(
        AssignmentRuleCsm(rule_id=rule.id, user_id=csm_id)
        for csm_id in sorted(set(csm_ids))
    )
    session.flush()
    log.info("accounts.assignment_rule_added", rule_id=rule.id, priority=priority)
    return next(view for view in list_rules(session) if view.id == rule.id)


def _check_pool(session: Session, *, name: str, csm_ids: Sequence[str]) -> None:
    for csm_id in csm_ids:
        user = get_user_or_raise(session, csm_id)
        if user.role != "csm":
            raise InvalidRule(
                f"user {csm_id!r} in the pool of rule {name!r} is a {user.role}, not "
                f"a CSM; run `tenure users set-role {csm_id} csm` or leave them out"
            )


def _check_rule(
    session: Session, *, name: str, strategy: str, rule_id: int | None = None
) -> None:
    if not name.strip():
        raise InvalidRule("the rule name is empty; give each rule a short name")
    if strategy not in STRATEGIES:
        raise InvalidRule(
            f"strategy {strategy!r} of rule {name!r} is unknown; "
            f"use one of {', '.join(STRATEGIES)}"
        )
    taken = session.scalar(
        select(AssignmentRule.id).where(AssignmentRule.name == name.strip())
    )
    if taken is not None and taken != rule_id:
        raise InvalidRule(
            f"a rule named {name!r} exists already; remove it first or pick another"
        )


def get_rule_or_raise(session: Session, rule_id: int) -> RuleView:
    found = next((view for view in list_rules(session) if view.id == rule_id), None)
    if found is None:
        raise RuleNotFound(
            f"no assignment rule with id {rule_id}; see `tenure assignment rules list`"
        )
    return found


def update_rule(
    session: Session,
    rule_id: int,
    *,
    name: str,
    priority: int,
    segment: str | None,
    country: str | None,
    plan: str | None,
    strategy: str,
    csm_ids: Sequence[str],
) -> RuleView:
    """Replace every field of a rule; accounts move only at the next run."""
    get_rule_or_raise(session, rule_id)
    _check_rule(session, name=name, strategy=strategy, rule_id=rule_id)
    _check_pool(session, name=name, csm_ids=csm_ids)

    rule = session.get(AssignmentRule, rule_id)
    assert rule is not None
    rule.name = name.strip()
    rule.priority = priority
    rule.segment, rule.country, rule.plan = (
        _clean(segment),
        _clean(country),
        _clean(plan),
    )
    if rule.strategy != strategy:
        rule.last_csm_id = None
    rule.strategy = strategy
    session.execute(
        delete(AssignmentRuleCsm).where(AssignmentRuleCsm.rule_id == rule_id)
    )
    session.add_all(
        AssignmentRuleCsm(rule_id=rule_id, user_id=csm_id)
        for csm_id in sorted(set(csm_ids))
    )
    session.flush()
    log.info("accounts.assignment_rule_changed", rule_id=rule_id, priority=priority)
    return get_rule_or_raise(session, rule_id)


def remove_rule_by_id(session: Session, rule_id: int) -> None:
    remove_rule(session, get_rule_or_raise(session, rule_id).name)


def remove_rule(session: Session, name: str) -> None:
    rule = session.scalar(select(AssignmentRule).where(AssignmentRule.name == name))
    if rule is None:
        raise RuleNotFound(
            f"no assignment rule named {name!r}; see `tenure assignment rules list`"
        )
    session.execute(
        delete(AssignmentRuleCsm).where(AssignmentRuleCsm.rule_id == rule.id)
    )
    session.delete(rule)
    session.flush()
    log.info("accounts.assignment_rule_removed", rule_id=rule.id)


def record_round_robin(session: Session, last_csm_by_rule: dict[int, str]) -> None:
    """Remember who got the last account of each round-robin rule."""
    for rule_id, csm_id in last_csm_by_rule.items():
        rule = session.get(AssignmentRule, rule_id)
        if rule is not None:
            rule.last_csm_id = csm_id


def last_round_robin(session: Session) -> dict[int, str | None]:
    return {
        rule.id: rule.last_csm_id for rule in session.scalars(select(AssignmentRule))
    }
