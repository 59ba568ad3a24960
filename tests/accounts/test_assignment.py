from datetime import date

import pytest
from sqlalchemy import func, select

from tenure.accounts.assignment import (
    accounts_without_csm,
    assign_account,
    assign_unassigned_accounts,
    reassign_book,
    record_departure,
)
from tenure.accounts.assignment_history import (
    assignment_history,
    book_of_business,
    csm_on,
)
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.assignment_rules import add_rule, list_rules, remove_rule
from tenure.accounts.errors import CapacityExhausted, InvalidRule, NoCsmAvailable
from tenure.accounts.models import Account, User
from tenure.core.db import transaction

from .builders import make_account, make_csm

AS_OF = date(2024, 4, 1)


def _csm_of(session, account_id):
    return session.get(Account, account_id).csm_id


def test_a_new_store_has_one_default_rule_balancing_by_count(engine):
    with transaction(engine) as session:
        rules = list_rules(session)
    assert [(r.name, r.strategy, r.is_default) for r in rules] == [
        ("default", "balance_count", True)
    ]


def test_segment_rule_beats_the_default_rule(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        add_rule(session, name="enterprise", segment="enterprise", csm_ids=["bo"])
        make_account(session, "a1", segment="Enterprise")
        make_account(session, "a2", segment="enterprise")
        report = assign_unassigned_accounts(session, as_of=AS_OF)
        assert _csm_of(session, "a1") == "bo"
        assert _csm_of(session, "a2") == "bo"
    assert {m.rule for m in report.moves} == {"enterprise"}


def test_first_matching_rule_by_priority_wins(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_csm(session, "cy")
        add_rule(session, name="germany", priority=20, country="DE", csm_ids=["bo"])
        add_rule(
            session,
            name="smb-dach",
            priority=10,
            country="DE, AT",
            plan="smb",
            csm_ids=["cy"],
        )
        make_account(session, "a1", country="DE", plan="smb")
        make_account(session, "a2", country="DE", plan="pro")
        make_account(session, "a3", country="FR", plan="smb")
        assign_unassigned_accounts(session, as_of=AS_OF)
        owners = {a: _csm_of(session, a) for a in ("a1", "a2", "a3")}
    # a3 matches neither country rule and falls to the default (fewest accounts).
    assert owners == {"a1": "cy", "a2": "bo", "a3": "ada"}


def test_balance_by_count_spreads_accounts_evenly(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_csm(session, "cy")
        make_account(session, "old", csm_id="ada")
        for index in range(5):
            make_account(session, f"n{index}")
        assign_unassigned_accounts(session, as_of=AS_OF)
        counts = dict(
            session.execute(
                select(Account.csm_id, func.count()).group_by(Account.csm_id)
            ).all()
        )
    # 6 accounts over 3 CSMs; ada already had one, so she gets one new account.
    assert counts == {"ada": 2, "bo": 2, "cy": 2}


def test_balance_by_arr_gives_the_next_account_to_the_lightest_book(engine):
    arr = {"big": 90_000_00, "mid": 50_000_00, "s1": 30_000_00, "s2": 20_000_00}
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        add_rule(session, name="by-arr", priority=1, strategy="balance_arr")
        for account_id in ("big", "mid", "s1", "s2"):
            make_account(session, account_id)
        assign_unassigned_accounts(session, as_of=AS_OF, arr_by_account=arr)
        owners = {a: _csm_of(session, a) for a in arr}
    # In creation order: big→ada (0 vs 0, by id); mid→bo (90k vs 0);
    # s1→bo (90k vs 50k); s2→bo (90k vs 80k), ending 90k against 100k.
    assert owners == {"big": "ada", "mid": "bo", "s1": "bo", "s2": "bo"}


def test_round_robin_takes_turns_across_runs(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_csm(session, "cy")
        add_rule(session, name="turns", priority=1, strategy="round_robin")
        make_account(session, "a1", created_on=date(2024, 1, 1))
        make_account(session, "a2", created_on=date(2024, 1, 2))
        assign_unassigned_accounts(session, as_of=AS_OF)
        make_account(session, "a3", created_on=date(2024, 1, 3))
        make_account(session, "a4", created_on=date(2024, 1, 4))
        assign_unassigned_accounts(session, as_of=AS_OF)
        owners = [_csm_of(session, a) for a in ("a1", "a2", "a3", "a4")]
    assert owners == ["ada", "bo", "cy", "ada"]


def test_capacity_exhaustion_names_rule_and_csms_and_assigns_nothing(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", capacity_accounts=1)
        make_csm(session, "bo", capacity_accounts=1)
        add_rule(session, name="emea", country="DE", csm_ids=["ada", "bo"])
        for account_id in ("a1", "a2", "a3"):
            make_account(session, account_id, country="DE")
    with pytest.raises(CapacityExhausted) as raised, transaction(engine) as session:
        assign_unassigned_accounts(session, as_of=AS_OF)
    message = str(raised.value)
    assert "rule 'emea'" in message
    assert "account 'a3'" in message
    assert "ada has 1/1 accounts" in message and "bo has 1/1 accounts" in message
    with transaction(engine) as session:
        assert accounts_without_csm(session) == ["a1", "a2", "a3"]
        assert session.scalar(select(func.count()).select_from(CsmAssignment)) == 0


def test_arr_capacity_counts_the_account_being_placed(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", capacity_arr_cents=100_00)
        make_account(session, "a1")
        with pytest.raises(CapacityExhausted, match=r"\(ARR 15000 cents\)"):
            assign_unassigned_accounts(
                session, as_of=AS_OF, arr_by_account={"a1": 150_00}
            )


def test_without_any_csm_accounts_stay_unassigned_and_are_reported(engine):
    with transaction(engine) as session:
        make_account(session, "a1")
        report = assign_unassigned_accounts(session, as_of=AS_OF)
    assert report.moves == []
    assert [u.account_id for u in report.unassigned] == ["a1"]
    assert "no active CSM" in report.unassigned[0].reason


def test_removing_the_default_rule_leaves_unmatched_accounts_reported(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        remove_rule(session, "default")
        make_account(session, "a1", segment="smb")
        report = assign_unassigned_accounts(session, as_of=AS_OF)
    assert "no assignment rule matches segment=smb" in report.unassigned[0].reason


def test_coverage_limits_which_csms_a_rule_without_pool_picks(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", territories=["FR"])
        make_csm(session, "bo", segments=["enterprise"], territories=["de", "at"])
        make_account(session, "a1", country="AT", segment="Enterprise")
        make_account(session, "a2", country="FR", segment="smb")
        assign_unassigned_accounts(session, as_of=AS_OF)
        assert (_csm_of(session, "a1"), _csm_of(session, "a2")) == ("bo", "ada")


def test_csms_not_yet_joined_or_already_gone_get_nothing(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", joined_on=date(2024, 5, 1))
        gone = make_csm(session, "bo")
        gone.left_on = date(2024, 4, 1)
        make_csm(session, "cy")
        make_account(session, "a1")
        make_account(session, "a2")
        assign_unassigned_accounts(session, as_of=AS_OF)
        assert {_csm_of(session, "a1"), _csm_of(session, "a2")} == {"cy"}


def test_departure_reassigns_the_whole_book_after_a_preview(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_csm(session, "cy")
        for index in range(6):
            make_account(session, f"a{index}")
        assign_unassigned_accounts(session, as_of=date(2024, 3, 1))
        book = book_of_business(session, "ada", as_of=date(2024, 3, 1))
    assert book == ["a0", "a3"]

    with transaction(engine) as session:
        preview = record_departure(
            session, "ada", left_on=date(2024, 6, 1), dry_run=True
        )
    with transaction(engine) as session:
        assert session.get(Account, "a0").csm_id == "ada"
        assert session.get(User, "ada").left_on is None
        done = record_departure(session, "ada", left_on=date(2024, 6, 1), dry_run=False)
    assert [m.account_id for m in preview.moves] == ["a0", "a3"]
    assert preview.moves == done.moves
    with transaction(engine) as session:
        assert accounts_without_csm(session) == []
        assert book_of_business(session, "ada", as_of=date(2024, 6, 1)) == []
        assert book_of_business(session, "ada", as_of=date(2024, 5, 31)) == book
        moved_to = {_csm_of(session, a) for a in book}
    assert moved_to <= {"bo", "cy"} and len(moved_to) == 2


def test_reassign_refuses_to_strand_accounts_and_moves_nothing(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_account(session, "a1")
        assign_unassigned_accounts(session, as_of=AS_OF)
    stranded = "'a1' would be left without"
    with pytest.raises(NoCsmAvailable, match=stranded), transaction(engine) as s:
        reassign_book(s, "ada", as_of=date(2024, 6, 1), dry_run=False)
    with transaction(engine) as session:
        assert _csm_of(session, "a1") == "ada"


def test_history_answers_who_had_an_account_on_a_past_date(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_account(session, "a1")
        assign_unassigned_accounts(session, as_of=date(2024, 3, 1))
        assign_account(
            session,
            "a1",
            "bo",
            as_of=date(2024, 5, 15),
            reason="customer asked for a German speaker",
            changed_by="lead",
        )
        assert csm_on(session, "a1", date(2024, 2, 29)) is None
        assert csm_on(session, "a1", date(2024, 3, 1)) == "ada"
        assert csm_on(session, "a1", date(2024, 5, 14)) == "ada"
        assert csm_on(session, "a1", date(2024, 5, 15)) == "bo"
        history = [
            (h.csm_id, h.starts_on, h.ends_on, h.changed_by)
            for h in assignment_history(session, "a1")
        ]
    assert history == [
        ("ada", date(2024, 3, 1), date(2024, 5, 15), "rules"),
        ("bo", date(2024, 5, 15), None, "lead"),
    ]


def test_manual_override_refuses_a_date_before_the_current_stretch(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_account(session, "a1")
        assign_unassigned_accounts(session, as_of=date(2024, 3, 1))
        with pytest.raises(InvalidRule, match="since 2024-03-01"):
            assign_account(session, "a1", "bo", as_of=date(2024, 2, 1), reason="x")


def test_imported_csm_gets_a_history_stretch_from_account_creation(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_account(session, "a1", csm_id="ada", created_on=date(2023, 7, 1))
        report = assign_unassigned_accounts(session, as_of=AS_OF)
        assert report.recorded == ["a1"]
        assert csm_on(session, "a1", date(2023, 7, 1)) == "ada"
        again = assign_unassigned_accounts(session, as_of=AS_OF)
    assert again.recorded == [] and again.moves == []


def test_a_csm_changed_by_a_later_import_closes_the_old_stretch(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_csm(session, "bo")
        make_account(session, "a1", csm_id="ada", created_on=date(2023, 7, 1))
        assign_unassigned_accounts(session, as_of=AS_OF)
        session.get(Account, "a1").csm_id = "bo"
        report = assign_unassigned_accounts(session, as_of=date(2024, 9, 1))
        assert report.recorded == ["a1"]
        assert csm_on(session, "a1", date(2024, 8, 31)) == "ada"
        assert csm_on(session, "a1", date(2024, 9, 1)) == "bo"


def test_a_failed_run_does_not_record_imported_csms_either(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", capacity_accounts=1)
        make_account(session, "old", csm_id="ada")
        make_account(session, "new")
        with pytest.raises(CapacityExhausted, match="ada has 1/1 accounts"):
            assign_unassigned_accounts(session, as_of=AS_OF)
        assert session.scalar(select(func.count()).select_from(CsmAssignment)) == 0


def test_a_dry_run_reports_the_moves_and_writes_nothing(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_account(session, "a1")
        preview = assign_unassigned_accounts(session, as_of=AS_OF, dry_run=True)
        assert accounts_without_csm(session) == ["a1"]
    assert [(m.account_id, m.to_csm_id) for m in preview.moves] == [("a1", "ada")]


def test_a_rule_pool_takes_only_csms(engine):
    with transaction(engine) as session:
        make_csm(session, "lee", role="leader")
        with pytest.raises(InvalidRule, match="'lee' in the pool of rule 'vip' is a"):
            add_rule(session, name="vip", segment="vip", csm_ids=["lee"])
