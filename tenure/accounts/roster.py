"""The CSM roster: Tenure users with role, FTE, capacity and coverage."""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import CsmCoverage
from tenure.accounts.errors import InvalidRosterEntry, UserNotFound
from tenure.accounts.models import USER_ROLES, User

log = structlog.get_logger()

# One "@" with something on both sides and a dot in the domain; deliverability is
# for the mail server to judge.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Coverage:
    """Segments and territories (countries) a CSM covers; empty means any."""

    segments: frozenset[str] = field(default_factory=frozenset)
    territories: frozenset[str] = field(default_factory=frozenset)

    def covers(self, *, segment: str | None, country: str | None) -> bool:
        return _within(self.segments, segment) and _within(self.territories, country)


def _within(values: frozenset[str], value: str | None) -> bool:
    if not values:
        return True
    key = None if value is None else value.strip().casefold()
    return any(covered.casefold() == key for covered in values)


def is_active_csm(user: User, on: date) -> bool:
    """A CSM who has joined by `on` and not left (`left_on` is the first day out)."""
    return (
        user.role == "csm"
        and (user.joined_on is None or user.joined_on <= on)
        and (user.left_on is None or on < user.left_on)
    )


def get_user(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def get_user_or_raise(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(
            f"no user with id {user_id!r}; list the roster with `tenure users list`"
        )
    return user


def add_user(
    session: Session,
    *,
    user_id: str,
    email: str,
    name: str,
    role: str = "csm",
    fte: Decimal = Decimal(1),
    joined_on: date | None = None,
    capacity_accounts: int | None = None,
    capacity_arr_cents: int | None = None,
    segments: Sequence[str] = (),
    territories: Sequence[str] = (),
) -> User:
    """Add a user to the roster (no password: signing in comes later)."""
    _raise_first(
        user_id,
        user_field_problems(
            user_id=user_id,
            email=email,
            role=role,
            fte=fte,
            capacity_accounts=capacity_accounts,
            capacity_arr_cents=capacity_arr_cents,
        ),
    )
    _check_new_user(session, user_id=user_id, email=email)

    user = User(
        id=user_id,
        email=email.strip(),
        name=name,
        role=role,
        fte=fte,
        joined_on=joined_on,
        capacity_accounts=capacity_accounts,
        capacity_arr_cents=capacity_arr_cents,
    )
    session.add(user)
    session.flush()
    set_coverage(session, user_id, segments=segments, territories=territories)
    log.info("accounts.user_added", user_id=user_id, role=role)
    return user


def user_field_problems(
    *,
    user_id: str | None,
    email: str | None,
    role: str | None,
    fte: Decimal | None,
    capacity_accounts: int | None = None,
    capacity_arr_cents: int | None = None,
) -> list[tuple[str, str]]:
    """(field, reason) for each value a user cannot have; empty when all are fine.

    `tenure users add`, the API and `tenure import` of users all check with this.
    """
    problems: list[tuple[str, str]] = []
    if user_id is not None and not user_id.strip():
        problems.append(("id", "the user id is empty; give a short unique id"))
    if email is not None and not _EMAIL.match(email.strip()):
        problems.append(
            (
                "email",
                f"{email!r} is not an e-mail address; give one such as "
                "name@example.com",
            )
        )
    if role is not None and role not in USER_ROLES:
        problems.append(
            ("role", f"role {role!r} is unknown; use one of {', '.join(USER_ROLES)}")
        )
    if fte is not None and not Decimal(0) < fte <= Decimal(1):
        problems.append(
            ("fte", f"FTE {fte} is out of range; give a number above 0 and at most 1")
        )
    for name, value in (
        ("capacity_accounts", capacity_accounts),
        ("capacity_arr_cents", capacity_arr_cents),
    ):
        if value is not None and value < 0:
            problems.append(
                (
                    name,
                    f"{name} is negative; give zero or more, or leave it empty "
                    "for no limit",
                )
            )
    return problems


def email_key(email: str) -> str:
    """The form two e-mails are compared in: case and outer spaces do not count."""
    return email.strip().casefold()


def _check_new_user(session: Session, *, user_id: str, email: str) -> None:
    if session.get(User, user_id) is not None:
        raise InvalidRosterEntry(
            f"a user with id {user_id!r} exists already; choose another id"
        )
    taken = session.scalar(
        select(User.id).where(func.lower(User.email) == email_key(email))
    )
    if taken is not None:
        raise InvalidRosterEntry(
            f"user {taken!r} has that e-mail already (case does "
            "not count); each user needs their own"
        )


def _raise_first(user_id: str, problems: list[tuple[str, str]]) -> None:
    if problems:
        field, reason = problems[0]
        raise InvalidRosterEntry(f"user {user_id!r}, field {field}: {reason}")


def _check_role(user_id: str, role: str) -> None:
    _raise_first(
        user_id, user_field_problems(user_id=None, email=None, role=role, fte=None)
    )


def _check_numbers(
    user_id: str, *, fte: Decimal, accounts: int | None, arr_cents: int | None
) -> None:
    _raise_first(
        user_id,
        user_field_problems(
            user_id=None,
            email=None,
            role=None,
            fte=fte,
            capacity_accounts=accounts,
            capacity_arr_cents=arr_cents,
        ),
    )


def set_role(session: Session, user_id: str, role: str) -> User:
    user = get_user_or_raise(session, user_id)
    _check_role(user_id, role)
    if user.role == "admin" and role != "admin":
        others = session.scalar(
            select(func.count(User.id)).where(
                User.role == "admin", User.id != user_id, User.left_on.is_(None)
            )
        )
        if not others:
            raise InvalidRosterEntry(
                f"user {user_id!r} is the last admin, and Tenure needs one to "
                "manage users and settings; make another user admin first"
            )
    user.role = role
    log.info("accounts.user_role_changed", user_id=user_id, role=role)
    return user


def set_capacity(
    session: Session,
    user_id: str,
    *,
    fte: Decimal | None = None,
    capacity_accounts: int | None = None,
    capacity_arr_cents: int | None = None,
    clear_limits: bool = False,
) -> User:
    """Change FTE or capacity; None keeps a value, `clear_limits` drops both limits."""
    user = get_user_or_raise(session, user_id)
    if clear_limits:
        user.capacity_accounts = user.capacity_arr_cents = None
    fte = user.fte if fte is None else fte
    accounts = (
        capacity_accounts if capacity_accounts is not None else user.capacity_accounts
    )
    arr_cents = (
        capacity_arr_cents
        if capacity_arr_cents is not None
        else user.capacity_arr_cents
    )
    _check_numbers(user_id, fte=fte, accounts=accounts, arr_cents=arr_cents)
    user.fte, user.capacity_accounts, user.capacity_arr_cents = fte, accounts, arr_cents
    session.flush()
    log.info("accounts.user_capacity_changed", user_id=user_id)
    return user


def set_coverage(
    session: Session,
    user_id: str,
    *,
    segments: Iterable[str] = (),
    territories: Iterable[str] = (),
) -> None:
    """Replace the segments and territories a CSM covers."""
    get_user_or_raise(session, user_id)
    session.execute(delete(CsmCoverage).where(CsmCoverage.user_id == user_id))
    wanted: dict[tuple[str, str], str] = {}
    for dimension, values in (("segment", segments), ("country", territories)):
        for value in values:
            if value.strip():
                wanted.setdefault((dimension, value.strip().casefold()), value.strip())
    session.add_all(
        CsmCoverage(user_id=user_id, dimension=dimension, value=value)
        for (dimension, _), value in sorted(wanted.items())
    )
    session.flush()


def coverage_of(session: Session, user_ids: Iterable[str]) -> dict[str, Coverage]:
    """Coverage per user id; users without rows cover everything."""
    ids = list(user_ids)
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = session.scalars(select(CsmCoverage).where(CsmCoverage.user_id.in_(ids)))
    for row in rows:
        found[row.user_id][row.dimension].add(row.value)
    return {
        user_id: Coverage(
            segments=frozenset(found[user_id]["segment"]),
            territories=frozenset(found[user_id]["country"]),
        )
        for user_id in ids
    }


def list_users(session: Session, *, role: str | None = None) -> list[User]:
    query = select(User).order_by(User.id)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def active_csms(session: Session, *, on: date) -> list[User]:
    """CSMs on the roster on a day, by id."""
    return [user for user in list_users(session, role="csm") if is_active_csm(user, on)]


def stored_user_emails(session: Session) -> dict[str, str]:
    """Every user's e-mail, compared without case, mapped to their id."""
    return {
        email_key(email): user_id
        for user_id, email in session.execute(select(User.id, User.email))
    }
