"""Invariants of a rule run over random rosters and accounts."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment import assign_unassigned_accounts
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.errors import CapacityExhausted
from tenure.accounts.models import Account

from .builders import make_account, make_csm

capacities = st.lists(st.none() | st.integers(0, 8), min_size=1, max_size=5)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(capacity=capacities, accounts=st.integers(0, 25))
def test_a_run_places_every_account_within_capacity_or_nothing(
    engine, capacity, accounts
):
    with Session(engine) as session, session.begin():
        for index, limit in enumerate(capacity):
            make_csm(session, f"c{index}", capacity_accounts=limit)
        for index in range(accounts):
            make_account(session, f"a{index:02d}")
        room = sum(accounts if limit is None else limit for limit in capacity)

        if room < accounts:
            with pytest.raises(CapacityExhausted):
                assign_unassigned_accounts(session, as_of=date(2024, 4, 1))
        else:
            assign_unassigned_accounts(session, as_of=date(2024, 4, 1))
        placed = Counter(session.scalars(select(Account.csm_id)))
        stretches = session.scalar(select(func.count()).select_from(CsmAssignment))
        session.rollback()

    if room < accounts:
        # Nothing is written before the whole plan holds.
        assert placed == Counter({None: accounts}) and stretches == 0
        return
    assert None not in placed and stretches == accounts
    for index, limit in enumerate(capacity):
        assert limit is None or placed[f"c{index}"] <= limit
    if all(limit is None for limit in capacity) and accounts:
        loads = [placed[f"c{index}"] for index in range(len(capacity))]
        assert max(loads) - min(loads) <= 1
