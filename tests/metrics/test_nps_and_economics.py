"""NPS variants and unit economics, worked by hand."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.models import Cost
from tenure.revenue.policy import MetricOptions
from tenure.surveys.models import SurveyResponse
from tests.factories import make_contents, make_line


def _response(rid, account, contact, score, at):
    return SurveyResponse(
        id=rid,
        account_id=account,
        contact_id=contact,
        kind="nps",
        score=score,
        responded_at=at,
    )


def _nps(contents, **options):
    service = MetricService(contents, MetricOptions(**options))
    (result,) = service.compute(["nps"], parse_period("2024-03"))
    return result


def test_latest_answer_per_contact_counts_unless_all_are_kept():
    """c1 says 3 then 10 in March; c2 says 8 → latest: (1 − 0)/2 = 50; all: 0."""
    march = datetime(2024, 3, 5, tzinfo=UTC)
    responses = [
        _response("r1", "a1", "c1", 3, march),
        _response("r2", "a1", "c1", 10, march.replace(day=20)),
        _response("r3", "a1", "c2", 8, march),
    ]
    contents = make_contents(responses=responses)
    assert _nps(contents).value == 50
    assert _nps(contents, nps_dedup="all").value == 0


def test_response_window_uses_the_reporting_time_zone():
    """23:30 on 31 March in Los Angeles is 1 April in UTC."""
    late = datetime(2024, 3, 31, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    contents = make_contents(responses=[_response("r1", "a1", "c1", 10, late)])
    assert _nps(contents, timezone="America/Los_Angeles").value == 100
    assert _nps(contents).value is None


def test_account_and_arr_weighted_nps():
    """a1 (1000 ARR): 10, 10 → 100; a2 (3000 ARR): 0 → −100. Plain: 100 × 1/3 =
    33.33 → 33; account-weighted 0; ARR-weighted (100 × 1000 − 100 × 3000)/4000 =
    −50."""
    at = datetime(2024, 3, 5, tzinfo=UTC)
    lines = [
        make_line(id="l1", account_id="a1", amount_cents=100000, interval="year"),
        make_line(id="l2", account_id="a2", amount_cents=300000, interval="year"),
    ]
    responses = [
        _response("r1", "a1", "c1", 10, at),
        _response("r2", "a1", "c2", 10, at),
        _response("r3", "a2", "c3", 0, at),
    ]
    result = _nps(make_contents(lines=lines, responses=responses))
    assert result.value == 33
    assert result.parts["account_weighted_nps"] == 0
    assert result.parts["arr_weighted_nps"] == -50


def test_cac_counts_first_paid_accounts_only_when_no_count_is_imported():
    """Q1: a1 pays from February (new), a2 returns in March after paying in 2023
    (reactivation, not acquired), a3 only trials. S&M 9000 → CAC 9000 per account."""
    lines = [
        make_line(id="l1", account_id="a1", starts_on=date(2024, 2, 1)),
        make_line(
            id="l2",
            account_id="a2",
            starts_on=date(2023, 1, 1),
            ends_on=date(2023, 6, 1),
        ),
        make_line(id="l3", account_id="a2", starts_on=date(2024, 3, 1)),
        make_line(id="l4", account_id="a3", starts_on=date(2024, 1, 1), kind="trial"),
    ]
    costs = [
        Cost(
            id="k1",
            period="2024-Q1",
            category="sales_marketing",
            amount_cents=900000,
            currency="USD",
        )
    ]
    service = MetricService(make_contents(lines=lines, costs=costs), MetricOptions())
    (cac,) = service.compute(["cac"], parse_period("2024-Q1"))
    assert (cac.value, cac.parts["new_customers"]) == (9000, 1)
    assert cac.parts["new_customers_source"] == "first_paid_day"


def test_quarterly_logo_churn_is_annualised_for_the_lifetime():
    """Q1: 4 annual terms due, 1 lost → 0.25 a quarter → 1 − 0.75⁴ = 0.6836 a year
    → lifetime 1.463 years."""
    lines = [
        make_line(
            id=f"l{n}",
            account_id=f"a{n}",
            interval="year",
            starts_on=date(2023, n, 1),
            ends_on=date(2024, n, 1),
        )
        for n in (1, 2, 3)
    ]
    lines += [
        make_line(
            id=f"r{n}", account_id=f"a{n}", interval="year", starts_on=date(2024, n, 1)
        )
        for n in (1, 2)
    ]
    lines += [
        make_line(
            id="l9",
            account_id="a9",
            interval="quarter",
            starts_on=date(2023, 12, 15),
            ends_on=date(2024, 3, 15),
        ),
        make_line(
            id="r9", account_id="a9", interval="quarter", starts_on=date(2024, 3, 15)
        ),
    ]
    service = MetricService(make_contents(lines=lines), MetricOptions())
    (lifetime,) = service.compute(["customer_lifetime"], parse_period("2024-Q1"))
    assert lifetime.parts["annual_logo_churn"] == 1 - 0.75**4
    assert round(lifetime.value, 3) == 1.463
