"""Imports give every account without a CSM one, by the rules, in one transaction."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tenure.accounts.assignment import assign_account
from tenure.accounts.assignment_history import assignment_history, csm_on
from tenure.accounts.assignment_rules import add_rule
from tenure.accounts.errors import CapacityExhausted
from tenure.accounts.models import Account
from tenure.core.db import make_session_factory, transaction
from tenure.revenue.service import arr_by_account
from tests.accounts.builders import make_csm
from tests.ingest.conftest import dump, run_import, write_files

MAPPINGS = Path(__file__).resolve().parents[2] / "examples" / "mappings"
AS_OF = date(2024, 6, 30)

# Four smb accounts created in order; a1 pays ten times what the others pay.
SMB_FILES = {
    "accounts.csv": (
        "id,name,segment,created_on\n"
        "a1,Alder Test Co,smb,2024-01-01\n"
        "a2,Birch Test Co,smb,2024-01-02\n"
        "a3,Cedar Test Co,smb,2024-01-03\n"
        "a4,Dogwood Test Co,smb,2024-01-04\n"
    ),
    "contract_lines.csv": (
        "id,account_id,starts_on,interval,amount_cents,currency\n"
        "l1,a1,2024-01-01,month,100000,USD\n"
        "l2,a2,2024-01-02,month,10000,USD\n"
        "l3,a3,2024-01-03,month,10000,USD\n"
        "l4,a4,2024-01-04,month,10000,USD\n"
    ),
    "events.jsonl": (
        '{"message_id": "m1", "account_id": "a1", "name": "login", '
        '"occurred_at": "2024-03-01T09:00:00Z"}\n'
    ),
}


def _csms_of(workspace) -> dict[str, str | None]:
    with make_session_factory(workspace.engine)() as session:
        return dict(session.execute(select(Account.id, Account.csm_id)).all())


def test_without_csms_accounts_stay_unassigned_and_the_summary_warns(
    workspace, tmp_path
):
    report = run_import(workspace, write_files(tmp_path / "in", SMB_FILES))

    assert report.is_written
    assert set(_csms_of(workspace).values()) == {None}
    assert report.assignment is None
    assert report.notices == [
        "4 account(s) have no CSM because no CSM is on the roster on 2025-03-01; "
        "add CSMs with `tenure users add` and run `tenure assignment run`"
    ]
    saved = (report.report_dir / "problems.txt").read_text(encoding="utf-8")
    assert saved == f"warning: {report.notices[0]}\n"


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        # By ARR: a1 alone weighs more than the three others together.
        ("balance_arr", {"a1": "x", "a2": "y", "a3": "y", "a4": "y"}),
        ("balance_count", {"a1": "x", "a2": "y", "a3": "y", "a4": "x"}),
    ],
)
def test_segment_rule_balances_by_arr_on_the_import_date(
    workspace, tmp_path, strategy, expected
):
    with transaction(workspace.engine) as session:
        make_csm(session, "x")
        make_csm(session, "y")
        add_rule(session, name="smb", segment="smb", strategy=strategy)

    report = run_import(workspace, write_files(tmp_path / "in", SMB_FILES), as_of=AS_OF)

    assert _csms_of(workspace) == expected
    assert report.assignment is not None
    assert {move.rule for move in report.assignment.moves} == {"smb"}
    assert report.notices == []


def test_capacity_exhaustion_fails_the_import_and_leaves_the_store_as_it_was(
    workspace, tmp_path
):
    with transaction(workspace.engine) as session:
        make_csm(session, "x", capacity_accounts=3)
        add_rule(session, name="smb", segment="smb")
    before = dump(workspace)

    with pytest.raises(CapacityExhausted, match="the import was not written"):
        run_import(workspace, write_files(tmp_path / "in", SMB_FILES), as_of=AS_OF)

    assert dump(workspace) == before


def test_reimport_keeps_the_csms_tenure_assigned(workspace, tmp_path):
    with transaction(workspace.engine) as session:
        make_csm(session, "x")
        make_csm(session, "y")
    folder = write_files(tmp_path / "in", SMB_FILES)
    run_import(workspace, folder, as_of=AS_OF)
    assigned = _csms_of(workspace)

    again = run_import(workspace, folder, as_of=date(2024, 9, 1))

    assert _csms_of(workspace) == assigned
    assert again.summary("accounts").unchanged == 4
    assert again.assignment is not None and again.assignment.moves == []


def _ravenstack_roster(session) -> None:
    """Three CSMs: one for the Enterprise tier, two sharing everyone else.

    The export has no segment, so the tier is the attribute the rule keys on.
    """
    make_csm(session, "csm-ent", capacity_accounts=160)
    make_csm(session, "csm-a", capacity_accounts=175, capacity_arr_cents=500_000_000)
    make_csm(session, "csm-b", capacity_accounts=175, capacity_arr_cents=500_000_000)
    add_rule(
        session,
        name="enterprise",
        plan="Enterprise",
        strategy="balance_arr",
        csm_ids=["csm-ent"],
    )
    add_rule(
        session,
        name="others",
        priority=200,
        strategy="balance_arr",
        csm_ids=["csm-a", "csm-b"],
    )


def test_ravenstack_import_gives_every_account_a_csm_within_capacity(
    workspace, shared_data
):
    with transaction(workspace.engine) as session:
        _ravenstack_roster(session)

    report = run_import(
        workspace,
        shared_data / "ravenstack",
        mapping_path=MAPPINGS / "ravenstack.yaml",
        as_of=AS_OF,
    )

    with make_session_factory(workspace.engine)() as session:
        accounts = list(session.scalars(select(Account)))
        arr = arr_by_account(session, on=AS_OF)
    books = Counter(account.csm_id for account in accounts)
    book_arr = Counter()
    for account in accounts:
        book_arr[account.csm_id] += arr.get(account.id, 0)
    assert report.notices == []
    assert len(report.assignment.moves) == 500
    assert None not in books
    assert books["csm-ent"] == sum(a.plan == "Enterprise" for a in accounts)
    assert books["csm-ent"] <= 160
    assert books["csm-a"] <= 175 and books["csm-b"] <= 175
    assert book_arr["csm-a"] <= 500_000_000 and book_arr["csm-b"] <= 500_000_000
    # Balanced by ARR: the two shared books end within one account's ARR.
    largest = max(arr.get(a.id, 0) for a in accounts if a.plan != "Enterprise")
    assert abs(book_arr["csm-a"] - book_arr["csm-b"]) <= largest


def test_history_answers_who_had_an_account_on_a_past_day(workspace, shared_data):
    with transaction(workspace.engine) as session:
        _ravenstack_roster(session)
    run_import(
        workspace,
        shared_data / "ravenstack",
        mapping_path=MAPPINGS / "ravenstack.yaml",
        as_of=AS_OF,
    )
    with transaction(workspace.engine) as session:
        first = session.get(Account, "A-2e4581").csm_id
        other = "csm-a" if first != "csm-a" else "csm-b"
        assign_account(
            session,
            "A-2e4581",
            other,
            as_of=date(2024, 9, 1),
            reason="moved to a CSM nearer the account",
        )

    with make_session_factory(workspace.engine)() as session:
        owners = [
            csm_on(session, "A-2e4581", day)
            for day in (date(2024, 6, 29), AS_OF, date(2024, 8, 31), date(2024, 9, 1))
        ]
        stretches = [
            (s.csm_id, s.starts_on, s.ends_on, s.changed_by)
            for s in assignment_history(session, "A-2e4581")
        ]
    assert owners == [None, first, first, other]
    assert stretches == [
        (first, AS_OF, date(2024, 9, 1), "rules"),
        (other, date(2024, 9, 1), None, "manual"),
    ]
