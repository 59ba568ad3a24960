"""The CSM roster: Tenure users with role, FTE, capacity and coverage."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import structlog
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import CsmCoverage
from tenure.accounts.errors import InvalidRosterEntry, UserNotFound
from tenure.accounts.models import USER_ROLES, User

log = structlog.get_logger()


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
    _check_new_user(session, user_id=user_id, email=email)
    _check_role(role)
    _check_numbers(
        user_id, fte=fte, accounts=capacity_accounts, arr_cents=capacity_arr_cents
    )

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


def _check_new_user(session: Session, *, user_id: str, email: str) -> None:
    if not user_id.strip():
        raise InvalidRosterEntry("the user id is empty; give a short unique id")
    if "@" not in email:
        raise InvalidRosterEntry(
            f"the e-mail of user {user_id!r} has no '@'; give a full e-mail address"
        )
    if session.get(User, user_id) is not None:
        raise InvalidRosterEntry(
            f"a user with id {user_id!r} exists already; choose another id"
        )
    taken = session.scalar(select(User.id).where(User.email == email.strip()))
    if taken is not None:
        raise InvalidRosterEntry(
            f"user {taken!r} has that e-mail already; each user needs their own"
        )


def _check_role(role: str) -> None:
    if role not in USER_ROLES:
        raise InvalidRosterEntry(
            f"role {role!r} is unknown; use one of {', '.join(USER_ROLES)}"
        )


def _check_numbers(
    user_id: str, *, fte: Decimal, accounts: int | None, arr_cents: int | None
) -> None:
    if not Decimal(0) < fte <= Decimal(1):
        raise InvalidRosterEntry(
            f"FTE {fte} of user {user_id!r} is out of range; give a number in (0, 1]"
        )
    for label, value in (("accounts", accounts), ("ARR cents", arr_cents)):
        if value is not None and value < 0:
            raise InvalidRosterEntry(
                f"capacity in {label} of user {user_id!r} is negative; "
                "give zero or more, or leave it empty for no limit"
            )


def set_role(session: Session, user_id: str, role: str) -> User:
    user = get_user_or_raise(session, user_id)
    _check_role(role)
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
