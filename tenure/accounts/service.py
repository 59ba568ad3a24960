"""Account queries: one account with its CSM and contract lines, or a list."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.errors import AccountNotFound
from tenure.accounts.models import Account, User
from tenure.revenue.models import ContractLine


@dataclass(frozen=True)
class AccountDetail:
    account: Account
    csm: User | None
    contract_lines: list[ContractLine]


def get_account(session: Session, account_id: str) -> AccountDetail | None:
    """The account with its CSM and contract lines (by start date), or None."""
    account = session.get(Account, account_id)
    if account is None:
        return None
    csm = session.get(User, account.csm_id) if account.csm_id else None
    lines = session.scalars(
        select(ContractLine)
        .where(ContractLine.account_id == account_id)
        .order_by(ContractLine.starts_on, ContractLine.id)
    )
    return AccountDetail(account, csm, list(lines))


def get_account_or_raise(session: Session, account_id: str) -> AccountDetail:
    detail = get_account(session, account_id)
    if detail is None:
        raise AccountNotFound(
            f"no account has the id {account_id!r}; "
            "`tenure accounts list` shows the ids"
        )
    return detail


def list_accounts(session: Session, *, segment: str | None = None) -> list[Account]:
    """Accounts ordered by name, optionally only those of one segment."""
    query = select(Account).order_by(Account.name, Account.id)
    if segment is not None:
        query = query.where(Account.segment == segment)
    return list(session.scalars(query))
