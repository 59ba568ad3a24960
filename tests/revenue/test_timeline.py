"""The revenue timeline: pauses, FX, grace bridging, discounts and cancellations."""

from datetime import date
from decimal import Decimal

import pytest

from tenure.core.errors import InvalidInput
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.metrics.store import whole_score
from tenure.revenue.fx import MissingExchangeRate
from tenure.revenue.models import Cancellation, Discount, ExchangeRate, Pause
from tenure.revenue.policy import MetricOptions
from tenure.revenue.timeline import RevenueInputs, account_change_points, build_segments
from tests.factories import make_contents, make_line


def _bridge(service, period):
    (result,) = service.compute(["mrr_movements"], parse_period(period))
    return result.parts


def test_segments_change_only_where_arr_changes():
    """A forever 20 % discount from March cuts one open line into two segments."""
    line = make_line(amount_cents=10000, starts_on=date(2024, 1, 1))
    discount = Discount(
        id="d",
        contract_line_id=line.id,
        duration="forever",
        percent_off=Decimal(20),
        starts_on=date(2024, 3, 1),
    )
    segments = build_segments(
        RevenueInputs([line], discounts=[discount]), MetricOptions()
    )
    assert [(s.starts_on, s.arr_cents) for s in segments] == [
        (date(2024, 1, 1), 120000),
        (date(2024, 3, 1), 96000),
    ]


def test_excluded_pause_is_reported_as_pause_and_resume_never_churn():
    """400 a month paused June to August: June −400 pause, September +400 resume."""
    line = make_line(amount_cents=40000, starts_on=date(2023, 9, 1))
    pause = Pause(
        id="p",
        contract_line_id=line.id,
        starts_on=date(2024, 6, 1),
        ends_on=date(2024, 9, 1),
    )
    service = MetricService(
        make_contents(lines=[line], pauses=[pause]),
        MetricOptions(pause_policy="exclude"),
    )
    june, september = _bridge(service, "2024-06"), _bridge(service, "2024-09")
    assert (june["pause"], june["churn"], june["ending_mrr"]) == (400, 0, 0)
    assert (
        september["resume"],
        september["reactivation"],
        september["ending_mrr"],
    ) == (400, 0, 400)


def test_fx_effect_is_its_own_bridge_line_at_constant_currency():
    """1200 EUR a year; EUR→USD 1.10 on 31 Dec, 1.20 on 31 Jan: start 1320, fx +120."""
    line = make_line(currency="EUR", amount_cents=10000, starts_on=date(2023, 6, 1))
    rates = [
        ExchangeRate(
            currency="EUR", quote_currency="USD", rate_on=day, rate=Decimal(rate)
        )
        for day, rate in ((date(2023, 12, 31), "1.10"), (date(2024, 1, 31), "1.20"))
    ]
    service = MetricService(make_contents(lines=[line], rates=rates), MetricOptions())
    (result,) = service.compute(["arr_movements"], parse_period("2024-01"))
    parts = result.parts
    assert (parts["starting_arr"], parts["fx"], parts["ending_arr"]) == (
        1320,
        120,
        1440,
    )
    assert parts["expansion"] == 0


def test_missing_exchange_rate_names_the_pair_and_the_fix():
    line = make_line(currency="GBP", starts_on=date(2024, 1, 1))
    service = MetricService(make_contents(lines=[line]), MetricOptions())
    with pytest.raises(MissingExchangeRate, match="GBP to USD on or before 2024-01-31"):
        service.compute(["arr_movements"], parse_period("2024-01"))


@pytest.mark.parametrize(
    ("grace_days", "march_churn", "april_reactivation"), [(0, 100, 100), (30, 0, 0)]
)
def test_short_gap_is_bridged_within_grace(grace_days, march_churn, april_reactivation):
    """Line ends 20 March, the next starts 10 April (21 days): bridged under 30 days."""
    lines = [
        make_line(id="l1", starts_on=date(2024, 1, 1), ends_on=date(2024, 3, 20)),
        make_line(id="l2", starts_on=date(2024, 4, 10)),
    ]
    service = MetricService(
        make_contents(lines=lines), MetricOptions(grace_days=grace_days)
    )
    assert _bridge(service, "2024-03")["churn"] == march_churn
    assert _bridge(service, "2024-04")["reactivation"] == april_reactivation


def test_once_discounts_move_arr_only_under_discount_policy_all():
    """150 a month with 140 off the first invoice: 150 run rate, 10 under `all`."""
    line = make_line(amount_cents=15000, starts_on=date(2024, 6, 1))
    discount = Discount(
        id="d",
        contract_line_id=line.id,
        duration="once",
        amount_off_cents=14000,
        starts_on=date(2024, 6, 1),
        ends_on=date(2024, 7, 1),
    )
    contents = make_contents(lines=[line], discounts=[discount])
    for policy, mrr in (("run_rate", 150), ("all", 10)):
        service = MetricService(contents, MetricOptions(discount_policy=policy))
        assert _bridge(service, "2024-06")["ending_mrr"] == mrr


def test_churn_date_policy_moves_churn_to_the_request():
    """Notice 10 February, end of service 1 July: churn in Q3, or Q1 when asked."""
    line = make_line(
        amount_cents=300000,
        interval="month",
        starts_on=date(2023, 7, 1),
        ends_on=date(2024, 7, 1),
    )
    notice = Cancellation(
        id="c",
        account_id=line.account_id,
        contract_line_id=line.id,
        requested_on=date(2024, 2, 10),
        effective_on=date(2024, 7, 1),
    )
    contents = make_contents(lines=[line], cancellations=[notice])
    default = MetricService(contents, MetricOptions())
    early = MetricService(contents, MetricOptions(churn_date="cancellation"))
    assert _bridge(default, "2024-Q1")["churn"] == 0
    assert _bridge(default, "2024-Q3")["churn"] == 3000
    assert _bridge(early, "2024-Q1")["churn"] == 3000
    (carr,) = default.compute(["committed_arr"], parse_period("2024-Q1"))
    assert carr.value == 0 and carr.parts["arr_at_end"] == 36000


def test_unknown_option_and_bad_choice_are_refused_with_the_alternatives():
    with pytest.raises(InvalidInput, match="unknown metric option 'grace'"):
        MetricOptions().with_values({"grace": "3"})
    with pytest.raises(InvalidInput, match="use one of keep_in_arr, exclude"):
        MetricOptions().with_values({"pause_policy": "drop"})
    assert MetricOptions().with_values({"grace_days": "14"}).grace_days == 14
    assert (
        MetricOptions().with_values({"lifetime_cap_years": "5"}).lifetime_cap_years
        == 5.0
    )


def test_unknown_interval_names_the_line_and_the_choices():
    line = make_line(id="l-9", interval="fortnight")
    with pytest.raises(
        InvalidInput, match="contract line 'l-9' has interval 'fortnight'"
    ):
        build_segments(RevenueInputs([line]), MetricOptions())


def test_bad_time_zone_option_is_refused():
    with pytest.raises(InvalidInput, match="not an IANA time zone"):
        MetricOptions().with_values({"timezone": "Mars/Olympus"})


def test_account_change_points_list_only_the_days_arr_changes():
    """100/month from January, +50/month add-on March–May, then back to 100."""
    lines = [
        make_line(id="l1"),
        make_line(
            id="l2",
            amount_cents=5000,
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 6, 1),
        ),
    ]
    segments = build_segments(RevenueInputs(lines), MetricOptions())
    assert account_change_points(segments) == {
        "acct-1": [
            (date(2024, 1, 1), 120000),
            (date(2024, 3, 1), 180000),
            (date(2024, 6, 1), 120000),
        ]
    }


def test_fractional_and_out_of_range_nps_scores_are_dropped():
    assert [whole_score(s) for s in (7, 7.0, 7.5, None, True)] == [
        7,
        7,
        None,
        None,
        None,
    ]


def test_account_cancellation_ends_lines_in_service_not_later_ones():
    """Cancelled on 1 March; a new 2,000/month line from 1 June is a reactivation.

    Q1: 1,000/month from December churns (12,000 ARR). Q2: the account returns
    with 2,000 × 12 = 24,000 ARR, a reactivation.
    """
    first = make_line(
        id="l1", amount_cents=100000, interval="month", starts_on=date(2023, 12, 1)
    )
    later = make_line(
        id="l2", amount_cents=200000, interval="month", starts_on=date(2024, 6, 1)
    )
    cancellation = Cancellation(
        id="c1", account_id=first.account_id, effective_on=date(2024, 3, 1)
    )
    contents = make_contents(lines=[first, later], cancellations=[cancellation])
    service = MetricService(contents, MetricOptions(grace_days=0))
    (q1,) = service.compute(["arr_movements"], parse_period("2024-Q1"))
    (q2,) = service.compute(["arr_movements"], parse_period("2024-Q2"))
    assert q1.parts["starting_arr"] == 12000 and q1.parts["churn"] == 12000
    assert q2.parts["reactivation"] == 24000 and q2.parts["ending_arr"] == 24000
