"""Onboarding milestones: a template per segment, a status per account.

Due dates are not stored: each milestone is due a template's number of days
after the account's onboarding start, the first day of its first contract
line, or the day the account was created when it has no line yet.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tenure.accounts.errors import AccountNotFound, InvalidMilestone
from tenure.accounts.models import (
    MILESTONE_STATUSES,
    Account,
    OnboardingMilestone,
    OnboardingTemplateStep,
)
from tenure.revenue.models import ContractLine

log = structlog.get_logger()

DEFAULT_SEGMENT = ""
# Imported onboarding stages that mean the account has finished onboarding.
FINISHED_STAGES = frozenset({"done", "complete", "completed", "live", "finished"})


@dataclass(frozen=True)
class MilestoneStatus:
    """One milestone of one account: when it is due and where it stands."""

    account_id: str
    csm_id: str | None
    name: str
    started_on: date
    due_on: date
    status: str
    done_on: date | None

    def is_overdue(self, as_of: date) -> bool:
        return self.status == "pending" and self.due_on < as_of


def template_for(session: Session, segment: str | None) -> list[tuple[str, int]]:
    """(milestone, days after start) for a segment, else the default template."""
    steps = _steps(session, (segment or "").strip().casefold())
    return steps or _steps(session, DEFAULT_SEGMENT)


def _steps(session: Session, segment: str) -> list[tuple[str, int]]:
    rows = session.execute(
        select(OnboardingTemplateStep.name, OnboardingTemplateStep.due_after_days)
        .where(OnboardingTemplateStep.segment == segment)
        .order_by(OnboardingTemplateStep.position, OnboardingTemplateStep.id)
    )
    return [(name, days) for name, days in rows]


def set_template(
    session: Session, segment: str | None, steps: Sequence[tuple[str, int]]
) -> None:
    """Replace a segment's template (None or "" is the default template)."""
    key = (segment or "").strip().casefold()
    names = [name for name, _ in steps]
    if len(set(names)) != len(names) or not all(name.strip() for name in names):
        raise InvalidMilestone(
            f"the template for segment {key or 'default'!r} repeats or leaves out a "
            "milestone name; give each milestone its own name"
        )
    if any(days < 0 for _, days in steps):
        raise InvalidMilestone(
            f"the template for segment {key or 'default'!r} has a negative day "
            "count; give days after onboarding starts, zero or more"
        )
    session.execute(
        delete(OnboardingTemplateStep).where(OnboardingTemplateStep.segment == key)
    )
    session.add_all(
        OnboardingTemplateStep(
            segment=key, name=name.strip(), due_after_days=days, position=index
        )
        for index, (name, days) in enumerate(steps)
    )
    session.flush()
    log.info("accounts.onboarding_template_set", segment=key, steps=len(steps))


def onboarding_statuses(
    session: Session, *, account_ids: Sequence[str] | None = None
) -> list[MilestoneStatus]:
    """Every milestone of the accounts asked for (all by default), by account."""
    query = select(Account).order_by(Account.id)
    if account_ids is not None:
        query = query.where(Account.id.in_(account_ids))
    accounts = list(session.scalars(query))
    starts = _onboarding_starts(session)
    recorded = {
        (row.account_id, row.name): row
        for row in session.scalars(select(OnboardingMilestone))
    }
    templates: dict[str, list[tuple[str, int]]] = {}
    statuses = []
    for account in accounts:
        start = starts.get(account.id) or account.created_on
        if start is None:
            log.warning("accounts.onboarding_start_unknown", account_id=account.id)
            continue
        segment = account.segment or ""
        if segment not in templates:
            templates[segment] = template_for(session, segment)
        for name, days in templates[segment]:
            row = recorded.get((account.id, name))
            statuses.append(
                MilestoneStatus(
                    account_id=account.id,
                    csm_id=account.csm_id,
                    name=name,
                    started_on=start,
                    due_on=start + timedelta(days=days),
                    status=row.status if row else "pending",
                    done_on=row.done_on if row else None,
                )
            )
    return statuses


def _onboarding_starts(session: Session) -> dict[str, date]:
    rows = session.execute(
        select(ContractLine.account_id, func.min(ContractLine.starts_on)).group_by(
            ContractLine.account_id
        )
    )
    return {account_id: starts_on for account_id, starts_on in rows}


# TODO: no command marks the onboarding of many older accounts finished at once —
# after importing years of history, pass `started_since` or set onboarding_stage.
# TODO: milestones of accounts that went live long ago or churned stay overdue —
#   an imported history shows hundreds of overdue milestones from past years.
def overdue_milestones(
    session: Session, *, as_of: date, started_since: date | None = None
) -> list[MilestoneStatus]:
    """Pending milestones whose due day is before `as_of`, oldest due first.

    An account whose last milestone is done or skipped, or whose imported
    onboarding stage says it finished, has nothing overdue; `started_since`
    keeps only milestones of onboardings that started on or after that day.
    """
    statuses = onboarding_statuses(session)
    finished = _finished_accounts(session, statuses)
    overdue = [
        m
        for m in statuses
        if m.account_id not in finished
        and m.is_overdue(as_of)
        and (started_since is None or m.started_on >= started_since)
    ]
    return sorted(overdue, key=lambda m: (m.due_on, m.account_id, m.name))


def _finished_accounts(
    session: Session, statuses: Sequence[MilestoneStatus]
) -> set[str]:
    last: dict[str, MilestoneStatus] = {}
    for milestone in statuses:
        last[milestone.account_id] = milestone
    finished = {a for a, m in last.items() if m.status != "pending"}
    stages = session.execute(
        select(Account.id, Account.onboarding_stage).where(
            Account.onboarding_stage.is_not(None)
        )
    )
    finished.update(
        account_id
        for account_id, stage in stages
        if stage and stage.strip().casefold() in FINISHED_STAGES
    )
    return finished


def set_milestone_status(
    session: Session,
    account_id: str,
    name: str,
    *,
    status: str,
    done_on: date | None = None,
) -> OnboardingMilestone:
    """Mark a milestone done (with its day), skipped or pending again."""
    account = session.get(Account, account_id)
    if account is None:
        raise AccountNotFound(
            f"no account with id {account_id!r}; check the id in `tenure accounts list`"
        )
    _check_status(session, account, name=name, status=status, done_on=done_on)

    row = session.get(OnboardingMilestone, (account_id, name))
    if row is None:
        row = OnboardingMilestone(account_id=account_id, name=name)
        session.add(row)
    row.status = status
    row.done_on = done_on if status == "done" else None
    session.flush()
    log.info(
        "accounts.milestone_updated", account_id=account_id, name=name, status=status
    )
    return row


def _check_status(
    session: Session,
    account: Account,
    *,
    name: str,
    status: str,
    done_on: date | None,
) -> None:
    if status not in MILESTONE_STATUSES:
        raise InvalidMilestone(
            f"status {status!r} is unknown; use one of {', '.join(MILESTONE_STATUSES)}"
        )
    names = [step for step, _ in template_for(session, account.segment)]
    if name not in names:
        raise InvalidMilestone(
            f"account {account.id!r} has no milestone {name!r}; "
            f"its milestones are {', '.join(names)}"
        )
    if status == "done" and done_on is None:
        raise InvalidMilestone(
            f"milestone {name!r} of account {account.id!r} is done but has no day; "
            "give the day it was done"
        )
