"""Small builders for roster and account tests; every default is plain."""

from datetime import date

from sqlalchemy.orm import Session

from tenure.accounts.models import Account
from tenure.accounts.roster import add_user


def make_csm(session: Session, user_id: str, **overrides):
    values = {
        "user_id": user_id,
        "email": f"{user_id}@example.test",
        "name": f"CSM {user_id}",
        "role": "csm",
        "joined_on": date(2024, 1, 1),
    }
    values.update(overrides)
    return add_user(session, **values)


def make_account(session: Session, account_id: str, **overrides) -> Account:
    values = {
        "id": account_id,
        "name": f"Account {account_id}",
        "created_on": date(2024, 3, 1),
    }
    values.update(overrides)
    account = Account(**values)
    session.add(account)
    session.flush()
    return account
