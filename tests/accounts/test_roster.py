from datetime import date
from decimal import Decimal

import pytest

from tenure.accounts.errors import InvalidRosterEntry, UserNotFound
from tenure.accounts.roster import (
    active_csms,
    add_user,
    coverage_of,
    list_users,
    set_capacity,
    set_role,
)
from tenure.core.db import transaction

from .builders import make_csm


def test_added_users_keep_role_fte_capacity_and_coverage(engine):
    with transaction(engine) as session:
        add_user(
            session,
            user_id="ada",
            email="ada@example.test",
            name="Ada",
            fte=Decimal("0.5"),
            joined_on=date(2024, 1, 1),
            capacity_accounts=40,
            capacity_arr_cents=2_000_000_00,
            segments=["Enterprise"],
            territories=["DE", " at "],
        )
    with transaction(engine) as session:
        (user,) = list_users(session)
        coverage = coverage_of(session, ["ada"])["ada"]
    assert (user.role, user.fte, user.capacity_accounts) == ("csm", Decimal("0.50"), 40)
    assert coverage.segments == {"Enterprise"}
    assert coverage.territories == {"DE", "at"}
    assert coverage.covers(segment="ENTERPRISE", country="AT")
    assert not coverage.covers(segment="enterprise", country=None)


def test_active_csms_are_csms_between_joining_and_leaving(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", joined_on=date(2024, 2, 1))
        gone = make_csm(session, "bo")
        gone.left_on = date(2024, 3, 1)
        make_csm(session, "cy", role="leader")
        make_csm(session, "di", joined_on=None)
        on_day = {
            day: [u.id for u in active_csms(session, on=day)]
            for day in (date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 1))
        }
    assert on_day == {
        date(2024, 1, 31): ["bo", "di"],
        date(2024, 2, 29): ["ada", "bo", "di"],
        date(2024, 3, 1): ["ada", "di"],
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"user_id": "ada"}, "a user with id 'ada' exists already"),
        ({"email": "ada@example.test"}, "user 'ada' has that e-mail already"),
        ({"email": "ADA@Example.test"}, "user 'ada' has that e-mail already"),
        ({"email": "bo.example.test"}, "'bo.example.test' is not an e-mail address"),
        ({"email": "bo@localhost"}, "'bo@localhost' is not an e-mail address"),
        ({"role": "owner"}, "role 'owner' is unknown; use one of admin, leader"),
        ({"fte": Decimal("1.5")}, r"user 'bo', field fte: FTE 1.5 is out of range"),
        ({"capacity_accounts": -1}, "user 'bo', field capacity_accounts: .* negative"),
    ],
)
def test_bad_roster_entries_say_what_to_fix(engine, overrides, message):
    values = {"user_id": "bo", "email": "bo@example.test", "name": "Bo"}
    values.update(overrides)
    with transaction(engine) as session:
        make_csm(session, "ada")
        with pytest.raises(InvalidRosterEntry, match=message):
            add_user(session, **values)


def test_set_role_changes_the_role_and_refuses_unknown_users(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        set_role(session, "ada", "leader")
        assert list_users(session, role="leader")[0].id == "ada"
        with pytest.raises(UserNotFound, match="no user with id 'zed'"):
            set_role(session, "zed", "csm")


def test_the_last_admin_keeps_the_role_until_another_admin_exists(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        set_role(session, "ada", "admin")
        with pytest.raises(InvalidRosterEntry, match="'ada' is the last admin"):
            set_role(session, "ada", "viewer")
        set_role(session, "bo", "admin")
        set_role(session, "ada", "viewer")
        assert [u.id for u in list_users(session, role="admin")] == ["bo"]


def test_capacity_changes_keep_what_is_not_given(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", capacity_accounts=10, capacity_arr_cents=500_00)
        set_capacity(session, "ada", capacity_accounts=12)
        (user,) = list_users(session)
        assert (user.capacity_accounts, user.capacity_arr_cents) == (12, 500_00)
        set_capacity(session, "ada", clear_limits=True, fte=Decimal("0.8"))
        assert (user.capacity_accounts, user.capacity_arr_cents) == (None, None)
        assert user.fte == Decimal("0.8")
        with pytest.raises(
            InvalidRosterEntry, match="user 'ada', field fte: FTE 0 is out"
        ):
            set_capacity(session, "ada", fte=Decimal(0))
