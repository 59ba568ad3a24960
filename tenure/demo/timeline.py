"""Calendar arithmetic for the simulation: whole months, instants and the window."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_SECONDS = 86_400


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th day")


def day_number(day: date) -> int:
    """Days since 1970-01-01, for fast arithmetic on many dates."""
    return (day - EPOCH.date()).days


def from_day_number(number: int) -> date:
    return EPOCH.date() + timedelta(days=number)


def instant_text(seconds: int) -> str:
    """An ISO 8601 UTC instant for seconds since the epoch."""
    return (EPOCH + timedelta(seconds=seconds)).isoformat()


@dataclass(frozen=True)
class Window:
    """The history generated: every day from `first_on` to `last_on`, inclusive."""

    first_on: date
    last_on: date
    months: int

    @classmethod
    def ending(cls, last_on: date, *, months: int) -> "Window":
        return cls(add_months(last_on + timedelta(days=1), -months), last_on, months)

    @property
    def first_day(self) -> int:
        return day_number(self.first_on)

    @property
    def last_day(self) -> int:
        return day_number(self.last_on)

    def month_starts(self) -> list[date]:
        """The first day of each month in the window, for monthly costs and roll-ups."""
        start = date(self.first_on.year, self.first_on.month, 1)
        starts = []
        while start <= self.last_on:
            starts.append(start)
            start = add_months(start, 1)
        return starts
