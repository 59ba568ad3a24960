"""Two assignment runs at once must not give one account two CSMs."""

import threading
from datetime import date

from sqlalchemy import func, select

from tenure.accounts.assignment import assign_unassigned_accounts
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.models import Account
from tenure.core.db import transaction

from .builders import make_account, make_csm

ACCOUNTS = 40


def test_two_concurrent_runs_assign_each_account_once(engine):
    with transaction(engine) as session:
        make_csm(session, "ada", capacity_accounts=30)
        make_csm(session, "bo", capacity_accounts=30)
        for index in range(ACCOUNTS):
            make_account(session, f"a{index:02d}")

    start = threading.Barrier(2)
    reports, errors = [], []

    def run() -> None:
        try:
            start.wait()
            with transaction(engine) as session:
                reports.append(
                    assign_unassigned_accounts(session, as_of=date(2024, 4, 1))
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    moved = sorted(m.account_id for report in reports for m in report.moves)
    assert moved == [f"a{index:02d}" for index in range(ACCOUNTS)]
    with transaction(engine) as session:
        stretches = session.scalar(select(func.count()).select_from(CsmAssignment))
        per_csm = dict(
            session.execute(
                select(Account.csm_id, func.count()).group_by(Account.csm_id)
            ).all()
        )
    assert stretches == ACCOUNTS
    assert per_csm == {"ada": 20, "bo": 20}
