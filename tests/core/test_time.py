from datetime import UTC, date, datetime

import pytest

from tenure.core.time import InvalidPeriod, local_date, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2025, 1, 1)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 4, 1)),
        ("2024-q4", date(2024, 10, 1), date(2025, 1, 1)),
        ("2024-12", date(2024, 12, 1), date(2025, 1, 1)),
        ("2024-01-01..2024-02-15", date(2024, 1, 1), date(2024, 2, 15)),
    ],
)
def test_parse_period_gives_half_open_ranges(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["24", "2024-13", "2024-Q5", "2024-02-30..2024-03-01"])
def test_unparseable_period_names_the_accepted_forms(text):
    with pytest.raises(InvalidPeriod, match=repr(text)):
        parse_period(text)


def test_range_whose_end_is_not_after_its_start_is_refused():
    with pytest.raises(InvalidPeriod, match="empty"):
        parse_period("2024-03-01..2024-03-01")


def test_year_split_into_quarters_and_clipped_months():
    assert [p.label for p in parse_period("2024").split("quarter")] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
    ]
    clipped = parse_period("2024-01-15..2024-03-01").split("month")
    assert [(p.start, p.end) for p in clipped] == [
        (date(2024, 1, 15), date(2024, 2, 1)),
        (date(2024, 2, 1), date(2024, 3, 1)),
    ]
    assert clipped[1].label == "2024-02"


def test_whole_months_only_for_calendar_aligned_periods():
    assert parse_period("2024-Q2").whole_months == 3
    assert parse_period("2024-01-15..2024-02-15").whole_months is None


def test_local_date_converts_to_the_reporting_zone():
    instant = datetime(2024, 4, 1, 3, 0, tzinfo=UTC)
    assert local_date(instant, "America/Los_Angeles") == date(2024, 3, 31)
    assert local_date(instant, "UTC") == date(2024, 4, 1)
