"""What the users pages and the users API share: adding a user, invitations."""

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.access import deactivate_user, set_password
from tenure.accounts.errors import InvalidRosterEntry
from tenure.accounts.models import User
from tenure.accounts.roster import add_user, get_user_or_raise, set_role
from tenure.web.errors import NotAllowed
from tenure.web.security import invitation_token, now_utc


def _free_id(session: Session, email: str) -> str:
    """`u-<local part>`, with a number added when it is taken."""
    local = re.sub(r"[^a-z0-9]+", "-", email.partition("@")[0].lower()).strip("-")
    base = f"u-{local or 'user'}"[:60]
    taken = set(session.scalars(select(User.id).where(User.id.startswith(base))))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def add_web_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    fte: Decimal,
    user_id: str | None = None,
    password: str | None = None,
    joined_on: date | None = None,
    capacity_accounts: int | None = None,
    capacity_arr_cents: int | None = None,
    segments: Sequence[str] = (),
    territories: Sequence[str] = (),
) -> User:
    """Add a user to the roster, with a first password when one is given."""
    if not name.strip():
        raise InvalidRosterEntry("the name is empty; give the user's name")
    user = add_user(
        session,
        user_id=(user_id or "").strip() or _free_id(session, email),
        email=email,
        name=name.strip(),
        role=role,
        fte=fte,
        joined_on=joined_on,
        capacity_accounts=capacity_accounts,
        capacity_arr_cents=capacity_arr_cents,
        segments=segments,
        territories=territories,
    )
    if password:
        set_password(session, user.email, password)
    return user


def invitation_url(request: Request, user: User) -> str:
    """The link the new user opens to choose a password; valid for 7 days."""
    token = invitation_token(request.app.state.secret_key, user, now=now_utc())
    return str(request.url_for("invitation_form").include_query_params(token=token))


def change_user(
    session: Session,
    admin: User,
    user_id: str,
    *,
    role: str | None = None,
    deactivate: bool = False,
) -> User:
    """Change a user's role or deactivate them; never an admin's own access."""
    user = get_user_or_raise(session, user_id)
    if user.id == admin.id and (deactivate or (role and role != "admin")):
        raise NotAllowed(
            "you cannot take away your own admin access; ask another admin"
        )
    if role is not None and role != user.role:
        set_role(session, user.id, role)
    if deactivate:
        now = now_utc()
        deactivate_user(session, user.id, on=now.date(), now=now)
    return user
