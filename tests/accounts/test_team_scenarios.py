"""Whole-team scenarios: a departure on RavenStack, and two imports at once."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from tenure.accounts.assignment import record_departure
from tenure.accounts.assignment_history import csm_on
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.assignment_rules import list_rules, update_rule
from tenure.accounts.errors import CapacityExhausted, NoCsmAvailable
from tenure.accounts.models import Account
from tenure.core.db import make_session_factory, transaction
from tenure.revenue.service import arr_by_account
from tests.accounts.builders import make_csm
from tests.ingest.conftest import dump, run_import, write_files
from tests.ingest.test_import_assignment import AS_OF, MAPPINGS, _ravenstack_roster

LEFT_ON = date(2024, 9, 1)


def _csms(workspace) -> dict[str, str | None]:
    with make_session_factory(workspace.engine)() as session:
        return {a: c for a, c in session.execute(select(Account.id, Account.csm_id))}


@pytest.fixture
def ravenstack(workspace, shared_data):
    with transaction(workspace.engine) as session:
        _ravenstack_roster(session)
    run_import(
        workspace,
        shared_data / "ravenstack",
        mapping_path=MAPPINGS / "ravenstack.yaml",
        as_of=AS_OF,
    )
    return workspace


def _leave(workspace, csm_id: str) -> None:
    with transaction(workspace.engine) as session:
        record_departure(
            session,
            csm_id,
            left_on=LEFT_ON,
            dry_run=False,
            arr_by_account=arr_by_account(session, on=LEFT_ON),
        )


def test_a_departure_without_room_is_refused_and_moves_nothing(ravenstack):
    """csm-a holds about half of the 340 non-Enterprise accounts; csm-b, the only
    other CSM of that rule, has room for 175 in all, so the book cannot move."""
    before = dump(ravenstack)

    with pytest.raises((CapacityExhausted, NoCsmAvailable)) as refused:
        _leave(ravenstack, "csm-a")

    assert "at capacity" in str(refused.value) or "without a CSM" in str(refused.value)
    assert "nothing was" in str(refused.value)
    assert dump(ravenstack) == before


def test_a_departure_on_ravenstack_leaves_no_account_without_a_csm(ravenstack):
    book = sorted(a for a, c in _csms(ravenstack).items() if c == "csm-a")
    with transaction(ravenstack.engine) as session:
        make_csm(session, "csm-c", capacity_accounts=200)
        others = next(r for r in list_rules(session) if r.name == "others")
        update_rule(
            session,
            others.id,
            name="others",
            priority=others.priority,
            segment=None,
            country=None,
            plan=None,
            strategy="balance_arr",
            csm_ids=["csm-a", "csm-b", "csm-c"],
        )

    _leave(ravenstack, "csm-a")

    after = _csms(ravenstack)
    assert None not in after.values()
    assert "csm-a" not in after.values()
    assert {after[a] for a in book} <= {"csm-b", "csm-c"}
    with make_session_factory(ravenstack.engine)() as session:
        assert {csm_on(session, a, date(2024, 8, 31)) for a in book} == {"csm-a"}
        assert {csm_on(session, a, LEFT_ON) for a in book} <= {"csm-b", "csm-c"}
        counts = Counter(
            session.scalars(
                select(CsmAssignment.account_id).where(CsmAssignment.ends_on.is_(None))
            )
        )
    assert set(counts.values()) == {1} and len(counts) == 500


def _accounts_csv(prefix: str, count: int) -> str:
    rows = [
        f"{prefix}{index:03d},Test Co {prefix}{index},2024-01-01"
        for index in range(count)
    ]
    return "id,name,created_on\n" + "\n".join(rows) + "\n"


def test_two_imports_in_two_processes_give_each_account_exactly_one_csm(
    workspace, tmp_path
):
    with transaction(workspace.engine) as session:
        make_csm(session, "ada", capacity_accounts=150)
        make_csm(session, "bo", capacity_accounts=150)
    folders = [
        write_files(tmp_path / name, {"accounts.csv": _accounts_csv(name, 120)})
        for name in ("n", "s")
    ]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TENURE_")},
        "TENURE_HOME": str(workspace.settings.home),
        "TENURE_DATABASE_URL": workspace.settings.resolved_database_url,
    }
    command = [sys.executable, "-m", "tenure.cli.main", "import"]
    runs = [
        subprocess.Popen(
            [*command, str(folder), "--as-of", "2024-03-01"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]

    assert [code for code, _, _ in results] == [0, 0], results
    csms = _csms(workspace)
    assert len(csms) == 240 and None not in csms.values()
    assert Counter(csms.values()) == {"ada": 120, "bo": 120}
    with make_session_factory(workspace.engine)() as session:
        open_stretches = session.scalar(
            select(func.count())
            .select_from(CsmAssignment)
            .where(CsmAssignment.ends_on.is_(None))
        )
        distinct = session.scalar(
            select(func.count(func.distinct(CsmAssignment.account_id)))
        )
    assert open_stretches == distinct == 240
