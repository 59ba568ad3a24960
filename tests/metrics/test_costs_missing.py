"""Without cost rows, cost-based metrics are unknown, never free."""

from datetime import date

from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions
from tests.factories import make_contents, make_line


def test_cac_and_cost_to_renew_without_cost_rows_are_undefined_with_a_reason():
    line = make_line(starts_on=date(2024, 1, 10))
    service = MetricService(make_contents(lines=[line]), MetricOptions())
    results = {
        r.slug: r
        for r in service.compute(
            ["customer_acquisition_cost", "cost_to_renew"], parse_period("2024-Q1")
        )
    }
    cac, renew = results["customer_acquisition_cost"], results["cost_to_renew"]
    assert cac.value is None and cac.denominator == 1
    assert cac.reason == "no sales_marketing cost rows lie in the period; import costs"
    assert renew.value is None
    assert renew.reason == "no cs_opex cost rows lie in the period; import costs"
