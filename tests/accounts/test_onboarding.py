from datetime import date

import pytest

from tenure.accounts.errors import InvalidMilestone
from tenure.accounts.onboarding import (
    onboarding_statuses,
    overdue_milestones,
    set_milestone_status,
    set_template,
    template_for,
)
from tenure.core.db import transaction
from tenure.revenue.models import ContractLine

from .builders import make_account


def _line(account_id, line_id, starts_on):
    return ContractLine(
        id=line_id,
        account_id=account_id,
        starts_on=starts_on,
        interval="month",
        amount_cents=100_00,
        currency="USD",
    )


def test_default_template_has_the_five_milestones(engine):
    with transaction(engine) as session:
        assert template_for(session, None) == [
            ("kick_off", 7),
            ("technical_setup", 21),
            ("first_value", 45),
            ("training", 60),
            ("done", 90),
        ]


def test_milestones_count_from_the_first_contract_line(engine):
    with transaction(engine) as session:
        make_account(session, "a1", created_on=date(2024, 1, 1))
        session.add_all(
            [
                _line("a1", "l2", date(2024, 3, 1)),
                _line("a1", "l1", date(2024, 2, 1)),
            ]
        )
        make_account(session, "a2", created_on=date(2024, 1, 10))
        session.flush()
        due = {(m.account_id, m.name): m.due_on for m in onboarding_statuses(session)}
    # a1 starts on its first line, 2024-02-01; a2 has none, so its creation day.
    assert due[("a1", "kick_off")] == date(2024, 2, 8)
    assert due[("a1", "done")] == date(2024, 5, 1)
    assert due[("a2", "technical_setup")] == date(2024, 1, 31)


def test_overdue_lists_pending_milestones_due_before_as_of(engine):
    with transaction(engine) as session:
        make_account(session, "a1", created_on=date(2024, 1, 1), csm_id=None)
        set_milestone_status(
            session, "a1", "kick_off", status="done", done_on=date(2024, 1, 5)
        )
        set_milestone_status(session, "a1", "technical_setup", status="skipped")
        overdue = overdue_milestones(session, as_of=date(2024, 2, 15))
    # Due: kick_off 01-08 (done), technical_setup 01-22 (skipped),
    # first_value 02-15 (due that day, not yet overdue).
    assert overdue == []
    with transaction(engine) as session:
        overdue = overdue_milestones(session, as_of=date(2024, 3, 2))
    assert [(m.name, m.due_on) for m in overdue] == [
        ("first_value", date(2024, 2, 15)),
        ("training", date(2024, 3, 1)),
    ]


def test_a_finished_onboarding_has_nothing_overdue(engine):
    with transaction(engine) as session:
        make_account(session, "a1", created_on=date(2020, 1, 1))
        make_account(
            session, "a2", created_on=date(2020, 1, 1), onboarding_stage="Live"
        )
        set_milestone_status(
            session, "a1", "done", status="done", done_on=date(2020, 4, 1)
        )
        assert overdue_milestones(session, as_of=date(2024, 1, 1)) == []


def test_a_segment_template_replaces_the_default(engine):
    with transaction(engine) as session:
        set_template(session, "Enterprise", [("kick_off", 14), ("security_review", 30)])
        make_account(session, "a1", segment="enterprise", created_on=date(2024, 1, 1))
        overdue = overdue_milestones(session, as_of=date(2024, 2, 1))
    assert [(m.name, m.due_on) for m in overdue] == [
        ("kick_off", date(2024, 1, 15)),
        ("security_review", date(2024, 1, 31)),
    ]


@pytest.mark.parametrize(
    ("name", "status", "done_on", "message"),
    [
        ("kick_off", "finished", None, "status 'finished' is unknown"),
        ("launch", "done", date(2024, 1, 2), "has no milestone 'launch'"),
        ("kick_off", "done", None, "is done but has no day"),
    ],
)
def test_bad_milestone_updates_say_what_to_fix(engine, name, status, done_on, message):
    with transaction(engine) as session:
        make_account(session, "a1")
        with pytest.raises(InvalidMilestone, match=message):
            set_milestone_status(session, "a1", name, status=status, done_on=done_on)


def test_started_since_leaves_out_older_onboardings(engine):
    with transaction(engine) as session:
        make_account(session, "old", created_on=date(2021, 1, 1))
        make_account(session, "new", created_on=date(2024, 1, 1))
        overdue = overdue_milestones(
            session, as_of=date(2024, 1, 9), started_since=date(2023, 1, 1)
        )
    assert [(m.account_id, m.name) for m in overdue] == [("new", "kick_off")]
