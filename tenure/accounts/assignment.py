"""Give every account a CSM: rule runs, departures and manual overrides.

Each function plans every change first and writes only when the whole plan
holds, inside the caller's transaction; a plan that fails writes nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import structlog
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tenure.accounts.assignment_history import (
    CsmChange,
    move_account,
    move_accounts,
)
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.assignment_planner import Move, Plan, Planner, Unplaced
from tenure.accounts.assignment_rules import record_round_robin
from tenure.accounts.errors import AccountNotFound, InvalidRule, NoCsmAvailable
from tenure.accounts.models import Account
from tenure.accounts.roster import get_user_or_raise, is_active_csm

log = structlog.get_logger()

# Any fixed number works; it names the one lock every assignment change takes.
_ASSIGNMENT_LOCK = 7_356_221


@dataclass
class AssignmentReport:
    """What a run changed (or, on a dry run, would change)."""

    as_of: date
    dry_run: bool = False
    moves: list[Move] = field(default_factory=list)
    unassigned: list[Unplaced] = field(default_factory=list)
    # Accounts that arrived with a CSM and got their first history stretch.
    recorded: list[str] = field(default_factory=list)


def lock_assignments(session: Session) -> None:
    """Serialise assignment changes so two runs never count the same free capacity.

    PostgreSQL takes a transaction-scoped advisory lock. SQLite has one writer
    at a time, so an empty update makes this transaction that writer now,
    before it reads anything it will plan with.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ASSIGNMENT_LOCK}
        )
    elif dialect == "sqlite":
        session.execute(text("UPDATE assignment_rules SET priority = priority WHERE 0"))


def assign_unassigned_accounts(
    session: Session,
    *,
    as_of: date,
    arr_by_account: Mapping[str, int] | None = None,
    dry_run: bool = False,
) -> AssignmentReport:
    """Give each account without a CSM one by the rules, oldest account first.

    `arr_by_account` maps account id to ARR cents for ARR balance and ARR
    capacity; accounts missing from it count 0. A dry run writes nothing.
    """
    lock_assignments(session)
    accounts = list(
        session.scalars(
            select(Account).where(Account.csm_id.is_(None)).with_for_update()
        )
    )
    accounts.sort(key=lambda account: (account.created_on or date.max, account.id))
    planner = Planner(session, as_of=as_of, arr_by_account=arr_by_account or {})
    for account in accounts:
        planner.place(account)

    report = AssignmentReport(
        as_of=as_of,
        dry_run=dry_run,
        moves=planner.plan.moves,
        unassigned=planner.plan.unplaced,
    )
    if dry_run:
        return report
    report.recorded = _record_imported_csms(session, as_of=as_of)
    _apply(session, planner.plan, as_of=as_of, reason="assignment rules")
    for unplaced in report.unassigned:
        log.warning(
            "accounts.account_left_unassigned",
            account_id=unplaced.account_id,
            reason=unplaced.reason,
        )
    log.info(
        "accounts.assignment_run",
        assigned=len(report.moves),
        unassigned=len(report.unassigned),
        recorded=len(report.recorded),
    )
    return report


def _record_imported_csms(session: Session, *, as_of: date) -> list[str]:
    """Bring history in line with CSMs that came with the data (or changed in it)."""
    stretches = {
        stretch.account_id: stretch
        for stretch in session.scalars(
            select(CsmAssignment).where(CsmAssignment.ends_on.is_(None))
        )
    }
    changes = []
    accounts = select(Account).where(Account.csm_id.is_not(None)).order_by(Account.id)
    for account in session.scalars(accounts):
        assert account.csm_id is not None
        current = stretches.get(account.id)
        if current is not None and current.csm_id == account.csm_id:
            continue
        if current is None:
            # The source names today's CSM only; assume they had it from the start.
            created_on = account.created_on
            starts_on = created_on if created_on and created_on <= as_of else as_of
        else:
            starts_on = max(as_of, current.starts_on)
        changes.append(
            CsmChange(account, account.csm_id, starts_on, "CSM named by the import")
        )
    return move_accounts(session, changes, changed_by="import")


def _apply(session: Session, plan: Plan, *, as_of: date, reason: str) -> None:
    changes = []
    for move in plan.moves:
        account = session.get(Account, move.account_id)
        assert account is not None
        changes.append(
            CsmChange(account, move.to_csm_id, as_of, f"{reason} ({move.rule})")
        )
    move_accounts(session, changes, changed_by="rules")
    record_round_robin(session, plan.last_csm_by_rule)
    session.flush()


def reassign_book(
    session: Session,
    csm_id: str,
    *,
    as_of: date,
    dry_run: bool,
    arr_by_account: Mapping[str, int] | None = None,
) -> AssignmentReport:
    """Move a CSM's whole book to other CSMs by the rules, from `as_of` on.

    A dry run returns the same report and writes nothing. A real run refuses,
    writing nothing, when any account would be left without a CSM.
    """
    get_user_or_raise(session, csm_id)
    lock_assignments(session)
    accounts = list(
        session.scalars(
            select(Account)
            .where(Account.csm_id == csm_id)
            .order_by(Account.id)
            .with_for_update()
        )
    )
    planner = Planner(
        session,
        as_of=as_of,
        arr_by_account=arr_by_account or {},
        excluded_csm_ids={csm_id},
    )
    for account in accounts:
        planner.place(account)

    plan = planner.plan
    report = AssignmentReport(
        as_of=as_of, dry_run=dry_run, moves=plan.moves, unassigned=plan.unplaced
    )
    if dry_run:
        return report
    if plan.unplaced:
        first = plan.unplaced[0]
        raise NoCsmAvailable(
            f"cannot move the book of CSM {csm_id!r}: account {first.account_id!r} "
            f"would be left without a CSM ({first.reason}); nothing was moved"
        )
    _apply(session, plan, as_of=as_of, reason=f"book of {csm_id} reassigned")
    log.info("accounts.book_reassigned", csm_id=csm_id, moved=len(plan.moves))
    return report


def record_departure(
    session: Session,
    csm_id: str,
    *,
    left_on: date,
    dry_run: bool,
    arr_by_account: Mapping[str, int] | None = None,
) -> AssignmentReport:
    """Set a CSM's last day (`left_on` is the first day away) and move their book."""
    user = get_user_or_raise(session, csm_id)
    report = reassign_book(
        session, csm_id, as_of=left_on, dry_run=dry_run, arr_by_account=arr_by_account
    )
    if not dry_run:
        user.left_on = left_on
        log.info("accounts.csm_left", csm_id=csm_id, left_on=left_on.isoformat())
    return report


def assign_account(
    session: Session,
    account_id: str,
    csm_id: str,
    *,
    as_of: date,
    reason: str,
    changed_by: str = "manual",
) -> bool:
    """Override the rules for one account; False when the CSM has it already.

    Capacity is advisory here: a person decided, so a full book only warns.
    """
    account = session.get(Account, account_id)
    if account is None:
        raise AccountNotFound(
            f"no account with id {account_id!r}; check the id in `tenure accounts list`"
        )
    user = get_user_or_raise(session, csm_id)
    if not is_active_csm(user, as_of):
        raise InvalidRule(
            f"user {csm_id!r} is not an active CSM on {as_of} (role {user.role}, "
            f"left on {user.left_on}); pick a CSM on the roster that day"
        )
    if not reason.strip():
        raise InvalidRule("a manual assignment needs a reason; say why in a few words")

    lock_assignments(session)
    session.refresh(account, with_for_update=True)
    changed = move_account(
        session, account, csm_id, as_of=as_of, reason=reason, changed_by=changed_by
    )
    _warn_when_over_capacity(session, csm_id=csm_id, account_id=account_id)
    if changed:
        log.info("accounts.account_assigned", account_id=account_id, csm_id=csm_id)
    return changed


def _warn_when_over_capacity(session: Session, *, csm_id: str, account_id: str) -> None:
    user = get_user_or_raise(session, csm_id)
    count = len(
        session.scalars(select(Account.id).where(Account.csm_id == csm_id)).all()
    )
    if user.capacity_accounts is not None and count > user.capacity_accounts:
        log.warning(
            "accounts.csm_over_capacity",
            csm_id=csm_id,
            account_id=account_id,
            accounts=count,
            capacity_accounts=user.capacity_accounts,
        )


def accounts_without_csm(session: Session) -> list[str]:
    """Ids of accounts with no CSM now (each one deserves an alert)."""
    return list(
        session.scalars(
            select(Account.id).where(Account.csm_id.is_(None)).order_by(Account.id)
        )
    )
