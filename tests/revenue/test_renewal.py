"""Renewals: derived due dates, imported outcomes, grace and early renewals."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenure.core.time import Period, parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.models import Cancellation, Renewal
from tenure.revenue.policy import MetricOptions
from tenure.revenue.renewal import _nth_due, due_dates
from tests.factories import make_contents, make_line


def test_open_monthly_line_is_due_every_month_and_a_closed_line_at_its_end():
    open_line = make_line(starts_on=date(2023, 1, 31))
    closed = make_line(
        starts_on=date(2023, 1, 1), ends_on=date(2024, 2, 15), interval="year"
    )
    q1 = parse_period("2024-Q1")
    assert due_dates(open_line, q1) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]
    assert due_dates(closed, q1) == [date(2024, 2, 15)]


def test_derived_logo_churn_counts_accounts_not_renewing_within_grace():
    """January: a1 renews monthly (due 2 Jan); a2's term ends 12 Jan → 1 lost of 2."""
    lines = [
        make_line(id="l1", account_id="a1", starts_on=date(2023, 3, 2)),
        make_line(
            id="l2",
            account_id="a2",
            starts_on=date(2023, 5, 12),
            ends_on=date(2024, 1, 12),
        ),
    ]
    service = MetricService(
        make_contents(lines=lines), MetricOptions(as_of="2024-03-01")
    )
    (result,) = service.compute(["logo_churn"], parse_period("2024-01"))
    assert (result.value, result.parts["lost"]) == (0.5, ["a2"])


def test_recent_unrenewed_due_date_is_pending_until_the_grace_window_closes():
    lines = [
        make_line(
            id="l2",
            account_id="a2",
            starts_on=date(2023, 5, 12),
            ends_on=date(2024, 1, 12),
        )
    ]
    service = MetricService(
        make_contents(lines=lines), MetricOptions(as_of="2024-01-31")
    )
    (result,) = service.compute(["logo_churn"], parse_period("2024-01"))
    assert result.parts["pending"] == ["a2"] and result.value == 0.0


def _renewal(decided_on, due_on=date(2024, 4, 1), outcome="renewed"):
    return Renewal(
        id="r",
        account_id="a1",
        contract_line_id="l1",
        due_on=due_on,
        outcome=outcome,
        decided_on=decided_on,
    )


def test_early_renewal_counts_in_the_period_it_was_due():
    line = make_line(
        id="l1",
        account_id="a1",
        interval="year",
        amount_cents=100000,
        starts_on=date(2023, 4, 1),
        ends_on=date(2024, 4, 1),
    )
    contents = make_contents(lines=[line], renewals=[_renewal(date(2024, 3, 25))])
    service = MetricService(contents, MetricOptions())
    (q1,) = service.compute(["logo_churn"], parse_period("2024-Q1"))
    (q2,) = service.compute(["logo_churn"], parse_period("2024-Q2"))
    assert q1.value is None and q1.reason == "no renewal was due in the period"
    assert q2.value == 0.0 and q2.parts["up_for_renewal"] == ["a1"]


@pytest.mark.parametrize(
    ("policy", "expected"), [("grace", 1.0), ("strict", 1.0), ("eventual", 0.0)]
)
def test_late_renewal_after_the_grace_window_follows_the_policy(policy, expected):
    line = make_line(
        id="l1",
        account_id="a1",
        interval="year",
        starts_on=date(2023, 4, 1),
        ends_on=date(2024, 4, 1),
    )
    contents = make_contents(lines=[line], renewals=[_renewal(date(2024, 5, 20))])
    service = MetricService(contents, MetricOptions(late_renewal=policy))
    (result,) = service.compute(
        ["logo_churn"], Period(date(2024, 4, 1), date(2024, 7, 1), "Q2")
    )
    assert result.value == expected


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)),
    interval=st.sampled_from(["week", "month", "quarter", "year"]),
    count=st.integers(1, 3),
    period_start=st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
    days=st.integers(1, 120),
)
def test_due_dates_match_a_walk_from_the_start(
    start, interval, count, period_start, days
):
    line = make_line(starts_on=start, interval=interval, interval_count=count)
    period = Period(period_start, period_start + timedelta(days=days), "p")
    walked, step = [], 1
    while (due := _nth_due(line, step)) < period.end:
        if due >= period.start:
            walked.append(due)
        step += 1
    assert due_dates(line, period) == walked


def test_monthly_line_cancelled_mid_interval_is_lost_at_its_next_renewal():
    """Monthly from 2 March 2023, cancelled effective 20 January 2024: renewed on
    2 January, lost on 2 February."""
    line = make_line(id="l1", account_id="a1", starts_on=date(2023, 3, 2))
    stop = Cancellation(
        id="c",
        account_id="a1",
        contract_line_id="l1",
        requested_on=date(2024, 1, 5),
        effective_on=date(2024, 1, 20),
    )
    service = MetricService(
        make_contents(lines=[line], cancellations=[stop]), MetricOptions()
    )
    (january,) = service.compute(["logo_churn"], parse_period("2024-01"))
    (february,) = service.compute(["logo_churn"], parse_period("2024-02"))
    assert (january.value, february.value) == (0.0, 1.0)


def _mixed_book():
    """a1 annual to 1 April 2024 with an imported renewal; a2 monthly, stopping
    10 April 2024, with none; a3 monthly, stopping too, with an account-wide
    imported renewal."""
    lines = [
        make_line(
            id="l1",
            account_id="a1",
            interval="year",
            amount_cents=120000,
            starts_on=date(2023, 4, 1),
            ends_on=date(2024, 4, 1),
        ),
        make_line(id="l2", account_id="a2", starts_on=date(2023, 1, 15), ends_on=None),
        make_line(id="l3", account_id="a3", starts_on=date(2023, 1, 20), ends_on=None),
    ]
    stops = [
        Cancellation(id="c2", account_id="a2", effective_on=date(2024, 4, 10)),
        Cancellation(id="c3", account_id="a3", effective_on=date(2024, 4, 10)),
    ]
    renewals = [
        _renewal(date(2024, 3, 28)),
        Renewal(
            id="r3",
            account_id="a3",
            contract_line_id=None,
            due_on=date(2024, 5, 20),
            outcome="renewed",
            decided_on=date(2024, 5, 18),
        ),
    ]
    return make_contents(lines=lines, cancellations=stops, renewals=renewals)


@pytest.mark.parametrize(
    ("source", "expected_sources"),
    [
        ("auto", {("a1", "imported"), ("a2", "derived"), ("a3", "imported")}),
        ("imported", {("a1", "imported"), ("a3", "imported")}),
        ("derived", {("a1", "derived"), ("a2", "derived"), ("a3", "derived")}),
    ],
)
def test_imported_renewals_cover_their_lines_and_the_rest_are_derived(
    source, expected_sources
):
    service = MetricService(_mixed_book(), MetricOptions(renewal_source=source))
    (result,) = service.compute(["logo_churn"], parse_period("2024-Q2"))
    assert {(row["account_id"], row["source"]) for row in result.rows} == (
        expected_sources
    )


def test_monthly_account_without_imported_renewals_is_still_lost():
    service = MetricService(_mixed_book(), MetricOptions())
    (result,) = service.compute(["logo_churn"], parse_period("2024-Q2"))
    assert result.parts["up_for_renewal"] == ["a1", "a2", "a3"]
    assert result.parts["lost"] == ["a2"]
    assert result.value == pytest.approx(1 / 3)
    derived = [row for row in result.rows if row["account_id"] == "a2"]
    assert all(row["line_id"] == "l2" for row in derived)
