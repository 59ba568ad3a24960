"""The engine against the independent day-walking reference, to the cent.

Recipe for the dbt MRR playbook (`../shared/data/dbt_mrr_playbook`): one
account per customer_id, monthly_amount dollars a month, end_date exclusive;
every month from 2017-09 to 2020-03 is bridged by both implementations.
"""

import csv
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenure.accounts.models import Account
from tenure.core.db import transaction
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.models import ContractLine
from tenure.revenue.policy import MetricOptions
from tests.factories import make_contents, make_line
from tests.reference.bridge import month_starts, monthly_bridge

KEYS = (
    "starting",
    "new",
    "reactivation",
    "expansion",
    "contraction",
    "churn",
    "ending",
)


def _dbt_lines(shared_data):
    path = shared_data / "dbt_mrr_playbook" / "subscription_periods.csv"
    with path.open(newline="") as handle:
        return [
            {
                "id": f"sub-{row['subscription_id']}",
                "account_id": f"cust-{row['customer_id']}",
                "starts_on": date.fromisoformat(row["start_date"]),
                "ends_on": date.fromisoformat(row["end_date"])
                if row["end_date"]
                else None,
                "amount_cents": int(row["monthly_amount"]) * 100,
                "interval": "month",
            }
            for row in csv.DictReader(handle)
        ]


def _engine_bridge(service, months):
    bridge = {}
    for start in months:
        period = parse_period(f"{start:%Y-%m}")
        (result,) = service.compute(["arr_movements"], period)
        parts = result.parts
        bridge[period.label] = {
            "starting": round(parts["starting_arr"] * 100),
            "ending": round(parts["ending_arr"] * 100),
            **{k: round(parts[k] * 100) for k in KEYS[1:-1]},
        }
    return bridge


@pytest.mark.parametrize("grace_days", [0, 30])
def test_dbt_playbook_bridge_matches_reference_to_the_cent(
    engine, shared_data, grace_days
):
    lines = _dbt_lines(shared_data)
    with transaction(engine) as session:
        for account in sorted({line["account_id"] for line in lines}):
            session.add(Account(id=account, name=account))
        session.flush()
        session.add_all(ContractLine(**line) for line in lines)
    service = MetricService.from_engine(engine, MetricOptions(grace_days=grace_days))
    months = month_starts(date(2017, 9, 1), date(2020, 3, 1))

    expected = monthly_bridge(lines, months, grace_days=grace_days)

    assert _engine_bridge(service, months) == expected
    assert sum(row["churn"] for row in expected.values()) > 0
    assert sum(row["reactivation"] for row in expected.values()) > 0


_days = st.dates(min_value=date(2023, 10, 1), max_value=date(2024, 6, 30))
_line = st.fixed_dictionaries(
    {
        "account_id": st.sampled_from(["a1", "a2", "a3", "a4"]),
        "starts_on": _days,
        "length": st.one_of(st.none(), st.integers(1, 200)),
        "amount_cents": st.integers(0, 50_000),
        "interval": st.sampled_from(["week", "month", "quarter", "year", "once"]),
        "interval_count": st.integers(1, 3),
        "kind": st.sampled_from(["paid", "paid", "paid", "trial", "free"]),
    }
)


def _generated(raw_lines):
    from datetime import timedelta

    lines = []
    for index, raw in enumerate(raw_lines):
        line = {k: v for k, v in raw.items() if k != "length"}
        line["id"] = f"l{index}"
        length = raw["length"]
        line["ends_on"] = (
            None if length is None else raw["starts_on"] + timedelta(days=length)
        )
        lines.append(line)
    return lines


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw_lines=st.lists(_line, min_size=1, max_size=8), grace=st.sampled_from([0, 30])
)
def test_generated_lines_bridge_matches_reference(raw_lines, grace):
    lines = _generated(raw_lines)
    contents = make_contents(lines=[make_line(**line) for line in lines])
    service = MetricService(contents, MetricOptions(grace_days=grace))
    months = month_starts(date(2023, 11, 1), date(2024, 8, 1))

    assert _engine_bridge(service, months) == monthly_bridge(
        lines, months, grace_days=grace
    )


def test_dbt_customer_1_movements_follow_its_provenance_story(shared_data):
    """Customer 1 (PROVENANCE.md): $50/month 2018-11 to 2019-02, a gap, back at $50
    in 2019-04 (reactivation), $75 from 2019-06 (expansion), ended 2019-08 (churn).
    In ARR: new 600 (Nov), churn 600 (Feb), reactivation 600 (Apr), expansion 300
    (Jun), churn 900 (Aug)."""
    lines = [line for line in _dbt_lines(shared_data) if line["account_id"] == "cust-1"]
    service = MetricService(
        make_contents(lines=[make_line(**x) for x in lines]), MetricOptions()
    )
    seen = {}
    for start in month_starts(date(2018, 10, 1), date(2019, 9, 1)):
        period = parse_period(f"{start:%Y-%m}")
        (result,) = service.compute(["arr_movements"], period)
        for row in result.rows:
            moves = {k: row[k] for k in KEYS[1:-1] if row[k]}
            if moves:
                seen[period.label] = moves
    assert seen == {
        "2018-11": {"new": 600.0},
        "2019-02": {"churn": 600.0},
        "2019-04": {"reactivation": 600.0},
        "2019-06": {"expansion": 300.0},
        "2019-08": {"churn": 900.0},
    }
