"""Who was an account's CSM when: every change is a `[starts_on, ends_on)` stretch."""

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.errors import InvalidRule
from tenure.accounts.models import Account

# Ids per IN (...) query, well under every database's parameter limit.
_CHUNK = 500


def _covering(on: date) -> ColumnElement[bool]:
    return (CsmAssignment.starts_on <= on) & or_(
        CsmAssignment.ends_on.is_(None), CsmAssignment.ends_on > on
    )


def current_stretch(session: Session, account_id: str) -> CsmAssignment | None:
    return session.scalar(
        select(CsmAssignment).where(
            CsmAssignment.account_id == account_id, CsmAssignment.ends_on.is_(None)
        )
    )


class CsmChange(NamedTuple):
    """An account going to a CSM from `starts_on` on, and why."""

    account: Account
    csm_id: str
    starts_on: date
    reason: str


def move_account(
    session: Session,
    account: Account,
    csm_id: str,
    *,
    as_of: date,
    reason: str,
    changed_by: str,
) -> bool:
    """Give an account to a CSM from `as_of` on; False when it is theirs already."""
    change = CsmChange(account, csm_id, as_of, reason)
    return bool(move_accounts(session, [change], changed_by=changed_by))


def move_accounts(
    session: Session, changes: Sequence[CsmChange], *, changed_by: str
) -> list[str]:
    """Apply changes to CSMs and their history; return the ids that moved.

    Checks every change before writing any, and writes in two flushes.
    """
    current = _open_stretches(session, [change.account.id for change in changes])
    wanted = [
        change
        for change in changes
        if change.account.id not in current
        or current[change.account.id].csm_id != change.csm_id
    ]
    for change in wanted:
        stretch = current.get(change.account.id)
        if stretch is not None and change.starts_on < stretch.starts_on:
            raise InvalidRule(
                f"account {change.account.id!r} is with CSM {stretch.csm_id!r} "
                f"since {stretch.starts_on}; date the change on or after that day"
            )

    for change in wanted:
        if change.account.id in current:
            current[change.account.id].ends_on = change.starts_on
    # Closed stretches go first: one open stretch per account is a unique index.
    session.flush()
    session.add_all(
        CsmAssignment(
            account_id=change.account.id,
            csm_id=change.csm_id,
            starts_on=change.starts_on,
            reason=change.reason,
            changed_by=changed_by,
        )
        for change in wanted
    )
    for change in changes:
        change.account.csm_id = change.csm_id
    session.flush()
    return [change.account.id for change in wanted]


def _open_stretches(
    session: Session, account_ids: Sequence[str]
) -> dict[str, CsmAssignment]:
    found: dict[str, CsmAssignment] = {}
    for start in range(0, len(account_ids), _CHUNK):
        chunk = account_ids[start : start + _CHUNK]
        found.update(
            (stretch.account_id, stretch)
            for stretch in session.scalars(
                select(CsmAssignment).where(
                    CsmAssignment.account_id.in_(chunk),
                    CsmAssignment.ends_on.is_(None),
                )
            )
        )
    return found


def csm_on(session: Session, account_id: str, on: date) -> str | None:
    """The id of the account's CSM on a day, or None when it had none."""
    return session.scalar(
        select(CsmAssignment.csm_id).where(
            CsmAssignment.account_id == account_id, _covering(on)
        )
    )


def book_of_business(session: Session, csm_id: str, *, as_of: date) -> list[str]:
    """Ids of the accounts a CSM had on a day, sorted."""
    return list(
        session.scalars(
            select(CsmAssignment.account_id)
            .where(CsmAssignment.csm_id == csm_id, _covering(as_of))
            .order_by(CsmAssignment.account_id)
        )
    )


def assignment_history(session: Session, account_id: str) -> list[CsmAssignment]:
    """Every stretch of an account with a CSM, oldest first."""
    return list(
        session.scalars(
            select(CsmAssignment)
            .where(CsmAssignment.account_id == account_id)
            .order_by(CsmAssignment.starts_on, CsmAssignment.id)
        )
    )
