"""The metric service: undefined figures, slices, drill-down and the store."""

from datetime import date
from pathlib import Path

import pytest

from tenure.accounts.models import Account, User
from tenure.core.db import transaction
from tenure.core.time import InvalidPeriod, parse_period
from tenure.metrics.registry import METRICS, UnknownMetric, resolve_metric
from tenure.metrics.service import InvalidSlice, MetricService
from tenure.revenue.models import ContractLine
from tenure.revenue.policy import MetricOptions
from tests.factories import make_contents, make_line


def test_every_registered_metric_is_documented_with_unit_and_direction():
    for spec in METRICS.values():
        assert "Unit" in spec.doc and "Direction" in spec.doc and "Example" in spec.doc
        assert spec.direction in ("higher_is_better", "lower_is_better", "neutral")
    assert resolve_metric("NRR").slug == "net_revenue_retention"
    with pytest.raises(UnknownMetric, match="unknown metric 'nope'"):
        resolve_metric("nope")


def test_empty_store_gives_none_with_a_reason_for_every_ratio():
    service = MetricService(make_contents(), MetricOptions())
    results = service.compute(sorted(METRICS), parse_period("2024-01"))
    for result in results:
        if result.unit in ("rate", "ratio", "years", "score"):
            assert result.value is None and result.reason, result.slug


def test_slices_add_up_to_the_whole_and_keep_their_accounts():
    """Two smb accounts at 100 and one ent account at 300 a month."""
    lines = [
        make_line(id="l1", account_id="a1"),
        make_line(id="l2", account_id="a2"),
        make_line(id="l3", account_id="a3", amount_cents=30000),
    ]
    accounts = [
        Account(id="a1", name="a1", segment="smb"),
        Account(id="a2", name="a2", segment="smb"),
        Account(id="a3", name="a3", segment="ent"),
    ]
    service = MetricService(
        make_contents(lines=lines, accounts=accounts), MetricOptions()
    )
    sliced = service.compute(["mrr_snapshot"], parse_period("2024-02"), by="segment")
    assert {r.slice: r.value for r in sliced} == {
        "segment=ent": 300,
        "segment=smb": 200,
    }
    assert sorted(row["account_id"] for row in sliced[1].rows) == ["a1", "a2"]
    with pytest.raises(InvalidSlice, match="use one of segment, csm, plan, cohort"):
        service.compute(["mrr_snapshot"], parse_period("2024-02"), by="country")


def test_arr_per_csm_counts_only_rostered_csms_and_lists_each_book():
    """900 ARR over 1.5 FTE of CSMs = 600; the manager and the leaver are left out."""
    lines = [
        make_line(id="l1", account_id="a1", amount_cents=5000),
        make_line(id="l2", account_id="a2", amount_cents=2500),
    ]
    users = [
        User(id="u1", email="u1@example.com", name="u1", role="csm", fte=1),
        User(id="u2", email="u2@example.com", name="u2", role="csm", fte=0.5),
        User(id="u3", email="u3@example.com", name="u3", role="leader", fte=1),
        User(
            id="u4",
            email="u4@example.com",
            name="u4",
            role="csm",
            fte=1,
            left_on=date(2024, 1, 15),
        ),
    ]
    accounts = [
        Account(id="a1", name="a1", csm_id="u1"),
        Account(id="a2", name="a2", csm_id="u4"),
    ]
    contents = make_contents(lines=lines, users=users, accounts=accounts)
    (result,) = MetricService(contents, MetricOptions()).compute(
        ["arr_per_csm"], parse_period("2024-02")
    )
    assert (result.value, result.denominator) == (600, 1.5)
    assert result.parts["unassigned_arr"] == 300
    assert [(r["csm_id"], r["book_arr"]) for r in result.rows] == [
        ("u1", 600),
        ("u2", 0),
    ]


def test_service_reads_the_operational_store(engine):
    with transaction(engine) as session:
        session.add(Account(id="a1", name="Alder Analytics"))
        session.flush()
        session.add(
            ContractLine(
                id="l1",
                account_id="a1",
                starts_on=date(2024, 1, 1),
                interval="quarter",
                amount_cents=300000,
            )
        )
    service = MetricService.from_engine(engine, MetricOptions())
    (result,) = service.compute(["arr"], parse_period("2024-03"))
    assert result.value == 12000


def test_docs_define_every_registered_metric():
    text = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text()
    for slug in METRICS:
        assert f"### `{slug}`" in text


def test_cohort_retention_rows_give_each_first_paid_month_in_major_units():
    """January cohort: 100/month then 50/month from March → 1200 → 600 ARR, 0.5."""
    lines = [
        make_line(id="l1", ends_on=date(2024, 3, 1)),
        make_line(id="l2", amount_cents=5000, starts_on=date(2024, 3, 1)),
    ]
    service = MetricService(make_contents(lines=lines), MetricOptions())
    (result,) = service.compute(["cohort_retention"], parse_period("2024-Q1"))
    assert result.value == 0.5
    assert result.rows == [
        {
            "cohort": "2024-01",
            "accounts": 1,
            "first_arr": 1200.0,
            "ending_arr": 600.0,
            "retention_rate": 0.5,
        }
    ]


def test_a_period_after_the_as_of_day_is_refused():
    service = MetricService(
        make_contents(lines=[make_line()]), MetricOptions(as_of="2024-06-30")
    )
    with pytest.raises(InvalidPeriod, match="starts after the as-of day 2024-06-30"):
        service.compute(["arr"], parse_period("2024-Q3"))
    (current,) = service.compute(["arr_movements"], parse_period("2024-Q2"))
    assert current.parts["is_provisional"] is True
