import pytest

from tenure.core.errors import InvalidInput
from tenure.revenue.policy import MetricOptions


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"days_per_year": "0"},
            "option days_per_year=0.0 must be a finite number above 0; "
            "use 365 or 365.25",
        ),
        (
            {"days_per_year": "nan"},
            "option days_per_year=nan must be a finite number above 0; "
            "use 365 or 365.25",
        ),
        (
            {"lifetime_cap_years": "-1"},
            "option lifetime_cap_years=-1.0 must be a finite number above 0; "
            "leave it empty for no cap",
        ),
        (
            {"grace_days": "-1"},
            "option grace_days=-1 must be between 0 and 3650",
        ),
        (
            {"grace_days": "3651"},
            "option grace_days=3651 must be between 0 and 3650",
        ),
        (
            {"nps_round": "7"},
            "option nps_round=7 must be between 0 and 6 decimals",
        ),
    ],
)
def test_out_of_range_metric_option_is_refused_with_one_sentence(values, message):
    with pytest.raises(InvalidInput) as caught:
        MetricOptions().with_values(values)
    assert str(caught.value) == message


def test_metric_options_at_the_edges_of_their_ranges_are_accepted():
    options = MetricOptions().with_values(
        {"grace_days": "3650", "nps_round": "6", "lifetime_cap_years": "none"}
    )
    assert (options.grace_days, options.nps_round) == (3650, 6)
    assert options.lifetime_cap_years is None
