"""Invariants of the metric suite on generated data (hypothesis)."""

import os
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenure.accounts.models import Account
from tenure.core.time import Period, parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.models import Cancellation, Discount, ExchangeRate, Pause
from tenure.revenue.policy import MetricOptions
from tenure.surveys.models import SurveyResponse
from tests.factories import make_contents, make_line

ACCOUNTS = ["a1", "a2", "a3", "a4", "a5"]
BRIDGE = ("new", "reactivation", "expansion", "resume", "fx")
LOSSES = ("contraction", "churn", "pause")
PERIODS = [parse_period(p) for p in ("2024-01", "2024-Q2", "2024-03-10..2024-05-20")]
_days = st.dates(min_value=date(2023, 11, 1), max_value=date(2024, 7, 31))

_line = st.fixed_dictionaries(
    {
        "account_id": st.sampled_from(ACCOUNTS),
        "product": st.sampled_from(["core", "addon"]),
        "starts_on": _days,
        "length": st.one_of(st.none(), st.integers(1, 250)),
        "amount_cents": st.integers(0, 90_000),
        "interval": st.sampled_from(["week", "month", "quarter", "year"]),
        "currency": st.sampled_from(["USD", "USD", "EUR"]),
    }
)


@st.composite
def stores(draw):
    raw = draw(st.lists(_line, min_size=1, max_size=10))
    lines = []
    for index, item in enumerate(raw):
        length = item.pop("length")
        ends_on = None if length is None else item["starts_on"] + timedelta(days=length)
        lines.append(make_line(id=f"l{index}", ends_on=ends_on, **item))
    ids = [line.id for line in lines]
    discounts = [
        Discount(
            id=f"d{i}",
            contract_line_id=draw(st.sampled_from(ids)),
            duration=draw(st.sampled_from(["once", "repeating", "forever"])),
            percent_off=Decimal(draw(st.integers(1, 100))),
            starts_on=draw(_days),
            ends_on=None,
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    pauses = [
        Pause(
            id=f"p{i}",
            contract_line_id=draw(st.sampled_from(ids)),
            starts_on=(start := draw(_days)),
            ends_on=start + timedelta(days=draw(st.integers(1, 90))),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    cancellations = [
        Cancellation(
            id=f"c{i}",
            account_id=line.account_id,
            contract_line_id=line.id,
            requested_on=(day := draw(_days)),
            effective_on=day + timedelta(days=draw(st.integers(0, 60))),
        )
        for i, line in enumerate(lines[: draw(st.integers(0, 2))])
    ]
    rates = [
        ExchangeRate(
            currency="EUR",
            quote_currency="USD",
            rate_on=date(2023, 1, 1) + timedelta(days=30 * k),
            rate=Decimal(draw(st.integers(80, 130))) / 100,
        )
        for k in range(25)
    ]
    responses = [
        SurveyResponse(
            id=f"r{i}",
            account_id=draw(st.sampled_from(ACCOUNTS)),
            contact_id=draw(st.sampled_from([None, "c1", "c2", "c3"])),
            kind="nps",
            score=draw(st.one_of(st.none(), st.integers(-2, 12))),
            responded_at=datetime.combine(draw(_days), datetime.min.time(), UTC),
        )
        for i in range(draw(st.integers(0, 8)))
    ]
    accounts = [
        Account(id=a, name=a, segment=("smb" if a < "a3" else "ent")) for a in ACCOUNTS
    ]
    return {
        "lines": lines,
        "discounts": discounts,
        "pauses": pauses,
        "cancellations": cancellations,
        "rates": rates,
        "responses": responses,
        "accounts": accounts,
    }


OPTIONS = st.builds(
    MetricOptions,
    pause_policy=st.sampled_from(["keep_in_arr", "exclude"]),
    grain=st.sampled_from(["account", "account_product"]),
    grace_days=st.sampled_from([0, 30]),
)
# CI replays a fixed set of examples; a developer can search wider by setting
# TENURE_HYPOTHESIS_EXAMPLES (for example 500) before a release.
SETTINGS = settings(
    max_examples=int(os.environ.get("TENURE_HYPOTHESIS_EXAMPLES", "20")),
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _balance(parts):
    gained = sum(parts[k] for k in BRIDGE)
    lost = sum(parts[k] for k in LOSSES)
    return round(parts["starting_arr"] + gained - lost - parts["ending_arr"], 2)


@SETTINGS
@given(tables=stores(), options=OPTIONS)
def test_bridge_balances_for_every_period_and_slice(tables, options):
    service = MetricService(make_contents(**tables), options)
    for period in PERIODS:
        for by in (None, "segment", "cohort"):
            for result in service.compute(["arr_movements"], period, by=by):
                assert _balance(result.parts) == 0, (period, by, result.parts)


@SETTINGS
@given(tables=stores(), options=OPTIONS)
def test_rates_stay_in_range_and_nrr_is_at_least_grr(tables, options):
    service = MetricService(make_contents(**tables), options)
    names = [
        "nrr",
        "grr",
        "gross_churn",
        "simple_churn",
        "logo_churn",
        "customer_churn_rate",
        "nps",
    ]
    for period in PERIODS:
        values = {r.slug: r for r in service.compute(names, period)}
        nrr, grr = (
            values["net_revenue_retention"].value,
            values["gross_revenue_retention"].value,
        )
        if nrr is None:
            assert grr is None and values["net_revenue_retention"].reason
            continue
        assert nrr >= grr - 1e-12
        assert 0 <= grr <= 1
        assert 0 <= values["gross_revenue_churn_rate"].value <= 1
        assert values["net_revenue_churn_rate"].value <= 1
        for slug in ("renewal_logo_churn_rate", "customer_churn_rate"):
            value = values[slug].value
            assert value is None or 0 <= value <= 1
        nps = values["net_promoter_score"].value
        assert nps is None or -100 <= nps <= 100


@SETTINGS
@given(tables=stores(), seed=st.integers(0, 1000))
def test_results_do_not_depend_on_row_order(tables, seed):
    shuffled = {name: list(rows) for name, rows in tables.items()}
    for rows in shuffled.values():
        random.Random(seed).shuffle(rows)
    names = ["arr_movements", "nrr", "grr", "logo_churn", "nps", "committed_arr"]
    period = Period(date(2024, 2, 1), date(2024, 6, 1), "2024-02..2024-05")
    first = MetricService(make_contents(**tables), MetricOptions()).compute(
        names, period
    )
    second = MetricService(make_contents(**shuffled), MetricOptions()).compute(
        names, period
    )
    for a, b in zip(first, second, strict=True):
        assert (a.value, a.numerator, a.denominator, a.parts) == (
            b.value,
            b.numerator,
            b.denominator,
            b.parts,
        )
