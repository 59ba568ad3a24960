"""Who was an account's CSM when: every change is a `[starts_on, ends_on)` stretch."""

from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.errors import InvalidRule
from tenure.accounts.models import Account


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


def move_account(
    session: Session,
    account: Account,
    csm_id: str,
    *,
    as_of: date,
    reason: str,
    changed_by: str,
    current: CsmAssignment | None = None,
) -> bool:
    """Give an account to a CSM from `as_of` on; False when it is theirs already.

    `current` saves a query when the caller has the open stretch already.
    """
    current = current or current_stretch(session, account.id)
    if current is not None and current.csm_id == csm_id:
        account.csm_id = csm_id
        return False
    if current is not None:
        if as_of < current.starts_on:
            raise InvalidRule(
                f"account {account.id!r} is with CSM {current.csm_id!r} since "
                f"{current.starts_on}; date the change on or after that day"
            )
        current.ends_on = as_of
        session.flush()
    session.add(
        CsmAssignment(
            account_id=account.id,
            csm_id=csm_id,
            starts_on=as_of,
            reason=reason,
            changed_by=changed_by,
        )
    )
    account.csm_id = csm_id
    session.flush()
    return True


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
