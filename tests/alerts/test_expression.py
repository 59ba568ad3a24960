"""The condition language: comparisons, and/or/not, missing values, bad input."""

import pytest

from tenure.alerts.expression import InvalidCondition, parse_condition

RENEWAL_RED = 'band == "red" and days_to_renewal <= 90'


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("days_since_last_login >= 30", {"days_since_last_login": 30.0}, True),
        ("days_since_last_login >= 30", {"days_since_last_login": 29.0}, False),
        ("days_since_last_login >= 30", {"days_since_last_login": None}, False),
        ("days_since_last_login >= 30", {}, False),
        (RENEWAL_RED, {"band": "red", "days_to_renewal": 90.0}, True),
        (RENEWAL_RED, {"band": "red", "days_to_renewal": None}, False),
        ("score < 40 or open_tickets > 5", {"score": 80.0, "open_tickets": 6.0}, True),
        ("not (score < 40)", {"score": 80.0}, True),
        ("has_csm == false", {"has_csm": False}, True),
        ("has_csm", {"has_csm": True}, True),
        ("seat_utilisation_rate < 0.5", {"seat_utilisation_rate": 0.49}, True),
        ("arr_trend_rate <= -0.2", {"arr_trend_rate": -0.25}, True),
        ("band != 'green'", {"band": "yellow"}, True),
        ('score > "x"', {"score": 3.0}, False),
        ("a < 1 or b < 1 and c < 1", {"a": 0.0, "b": 5.0, "c": 5.0}, True),
    ],
)  # fmt: skip
def test_conditions_evaluate_as_written(condition, values, expected):
    assert parse_condition(condition).matches(values) is expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("", "expected a condition"),
        ("days_since_last_login >=", "expected a value at the end"),
        ("score > 3 4", "column 11"),
        ("(score > 3", "expected ')'"),
        ("__import__('os')", "expected and, or or the end"),
        ("score; drop", "unexpected character at column 6"),
        ("score > 3 and", "expected a value"),
    ],
)
def test_bad_conditions_say_where_and_how_to_fix(condition, message):
    with pytest.raises(
        InvalidCondition, match=r"write for example|use measure names"
    ) as info:
        parse_condition(condition)
    assert message in str(info.value)


def test_an_unknown_measure_is_refused_with_the_known_names():
    with pytest.raises(InvalidCondition, match="unknown measure 'logins'; use one of"):
        parse_condition("logins > 3", known=frozenset({"score"}))
