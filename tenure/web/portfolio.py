"""Per-account revenue answers for pages and the API: ARR, history, renewals."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import Engine

from tenure.core.money import minor_digits
from tenure.core.settings import Settings
from tenure.core.time import Period
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions
from tenure.revenue.renewal import RenewalRecord, renewals_in_period
from tenure.revenue.timeline import Segment

HISTORY_START = date(1970, 1, 1)
# Days the pages and the API accept, so date arithmetic never leaves the calendar.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


@dataclass(frozen=True)
class ArrChange:
    """A day an account's ARR changed (reporting currency, minor units)."""

    on: date
    arr_before_cents: int
    arr_after_cents: int

    @property
    def kind(self) -> str:
        if self.arr_before_cents == 0:
            return "new or reactivation"
        if self.arr_after_cents == 0:
            return "churn"
        return (
            "expansion"
            if self.arr_after_cents > self.arr_before_cents
            else ("contraction")
        )


def metric_options(settings: Settings, as_of: date) -> MetricOptions:
    return MetricOptions(
        timezone=settings.timezone,
        reporting_currency=settings.reporting_currency,
        as_of=as_of.isoformat(),
    )


class Portfolio:
    """One snapshot of the store with the metric suite's timeline and rates."""

    def __init__(self, engine: Engine, settings: Settings, *, as_of: date) -> None:
        self.as_of = as_of
        self.service = MetricService.from_engine(
            engine, metric_options(settings, as_of)
        )
        self.currency = settings.reporting_currency
        self._by_account: dict[str, list[Segment]] = defaultdict(list)
        for segment in self.service.segments:
            self._by_account[segment.account_id].append(segment)

    def arr_cents(self, account_id: str, day: date | None = None) -> int:
        """ARR on the day (default as_of) in the reporting currency."""
        on = day or self.as_of
        book = self.service.rate_book
        return round(
            sum(
                s.arr_cents * book.rate(s.currency, on)
                for s in self._by_account.get(account_id, [])
                if s.is_active_on(on)
            )
        )

    def arr_history(self, account_id: str) -> list[ArrChange]:
        """Every ARR change of the account, oldest first."""
        days = sorted(
            {s.starts_on for s in self._by_account.get(account_id, [])}
            | {s.ends_on for s in self._by_account.get(account_id, [])}
        )
        changes, level = [], 0
        for day in days:
            if day > self.as_of:
                break
            now = self.arr_cents(account_id, day)
            if now != level:
                changes.append(ArrChange(day, level, now))
                level = now
        return changes

    def renewals(self, start: date, end: date) -> list[RenewalRecord]:
        """Renewals due in `[start, end)`; those after as_of are pending."""
        contents = self.service.contents
        return renewals_in_period(
            contents.renewals,
            contents.lines,
            self.service.renewal_book,
            Period(start, end, f"{start}..{end}"),
            cancellations=contents.cancellations,
        )

    def warm(self) -> None:
        """Work out the renewal answers every account page needs, so that pages
        served from a shared portfolio never wait on each other for them (a
        waiting page would hold its database connection meanwhile)."""
        self.next_renewals()
        self.times_renewed("")

    @cached_property
    def _renewed_counts(self) -> dict[str, int]:
        """Renewals with outcome `renewed` per account, due up to as_of."""
        counts: dict[str, int] = defaultdict(int)
        for record in self.renewals(HISTORY_START, self.as_of + timedelta(days=1)):
            if record.outcome == "renewed":
                counts[record.account_id] += 1
        return dict(counts)

    @cached_property
    def _next_renewals(self) -> dict[str, date]:
        upcoming: dict[str, date] = {}
        for record in self.renewals_ahead(366):
            upcoming.setdefault(record.account_id, record.due_on)
        return upcoming

    def renewals_ahead(self, days: int) -> list[RenewalRecord]:
        start = self.as_of + timedelta(days=1)
        return sorted(
            self.renewals(start, start + timedelta(days=days)),
            key=lambda r: (r.due_on, r.account_id),
        )

    def next_renewals(self) -> dict[str, date]:
        """The next due date per account within a year after as_of."""
        return self._next_renewals

    def times_renewed(self, account_id: str) -> int:
        """Renewals of the account's lines that were renewed, up to as_of."""
        return self._renewed_counts.get(account_id, 0)

    def to_major(self, cents: int) -> float:
        return round(cents / float(10 ** minor_digits(self.currency)), 2)
