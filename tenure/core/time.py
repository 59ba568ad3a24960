"""Calendar periods: half-open `[start, end)` date ranges with a label."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from tenure.core.errors import InvalidInput

Grain = Literal["month", "quarter", "year"]

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class InvalidPeriod(InvalidInput):
    """A period could not be parsed or is empty."""


@dataclass(frozen=True, order=True)
class Period:
    """A half-open range of calendar days `[start, end)`."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidPeriod(
                f"period {self.label!r} is empty: its end {self.end} is not after "
                f"its start {self.start}"
            )

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def whole_months(self) -> int | None:
        """Number of calendar months when the period is whole months, else None."""
        if self.start.day != 1 or self.end.day != 1:
            return None
        return (
            (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        )

    def split(self, grain: Grain) -> list["Period"]:
        """The calendar months, quarters or years that overlap this period, clipped."""
        periods = []
        cursor = _grain_start(self.start, grain)
        while cursor < self.end:
            following = _add_months(cursor, _GRAIN_MONTHS[grain])
            start, end = max(cursor, self.start), min(following, self.end)
            whole = start == cursor and end == following
            label = grain_label(cursor, grain) if whole else f"{start}..{end}"
            periods.append(Period(start, end, label))
            cursor = following
        return periods


_GRAIN_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _grain_start(day: date, grain: Grain) -> date:
    if grain == "year":
        return date(day.year, 1, 1)
    if grain == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def grain_label(start: date, grain: Grain) -> str:
    if grain == "year":
        return f"{start.year}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def parse_period(text: str) -> Period:
    """Parse `2024`, `2024-Q1`, `2024-03` or `2024-01-01..2024-02-15` (end excl.)."""
    value = text.strip()
    try:
        if match := _YEAR.match(value):
            year = int(match[1])
            return Period(date(year, 1, 1), date(year + 1, 1, 1), value)
        if match := _QUARTER.match(value):
            start = date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
            return Period(start, _add_months(start, 3), value.upper())
        if match := _MONTH.match(value):
            start = date(int(match[1]), int(match[2]), 1)
            return Period(start, _add_months(start, 1), value)
        if match := _RANGE.match(value):
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            return Period(start, end, value)
    except ValueError as exc:
        raise InvalidPeriod(f"period {text!r} is not a real date range: {exc}") from exc
    raise InvalidPeriod(
        f"period {text!r} is not understood; write 2024, 2024-Q1, 2024-03 "
        "or 2024-01-01..2024-02-15 (end exclusive)"
    )


def local_date(instant: datetime, timezone: str) -> date:
    """The calendar date of an instant in the given zone (naive instants are UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=ZoneInfo("UTC"))
    return instant.astimezone(ZoneInfo(timezone)).date()
