"""Renewals: due dates from contract terms or the renewals table, with outcomes."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tenure.core.time import Period
from tenure.revenue.models import Cancellation, ContractLine, Renewal
from tenure.revenue.policy import MetricOptions
from tenure.revenue.timeline import OPEN_END, Segment, base_arr, coverage

RENEWED_OUTCOMES = ("renewed", "expanded", "contracted")
_INTERVAL_MONTHS = {"month": 1, "quarter": 3, "year": 12}
SHORT_CYCLES = ("week", "month")


@dataclass(frozen=True)
class RenewalRecord:
    """One chance to renew and how it ended (`renewed`, `churned` or `pending`)."""

    account_id: str
    line_id: str | None
    due_on: date
    outcome: str
    decided_on: date | None
    arr_before_cents: int
    arr_after_cents: int
    currency: str
    source: str


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _nth_due(line: ContractLine, step: int) -> date:
    count = line.interval_count or 1
    if line.interval == "week":
        return line.starts_on + timedelta(weeks=count * step)
    months = _INTERVAL_MONTHS.get(line.interval or "month", 1) * count
    return _add_months(line.starts_on, months * step)


def _first_step(line: ContractLine, day: date) -> int:
    """A step whose due date is on or before `day` (or the first step)."""
    count = line.interval_count or 1
    if line.interval == "week":
        return max(1, (day - line.starts_on).days // (7 * count) - 1)
    start = line.starts_on
    months = (day.year - start.year) * 12 + day.month - start.month
    unit = _INTERVAL_MONTHS.get(line.interval or "month", 1) * count
    return max(1, months // unit - 1)


def _boundaries(line: ContractLine, lo: date, hi: date) -> list[date]:
    """The line's interval boundaries d with lo <= d < hi."""
    dues: list[date] = []
    step = _first_step(line, lo)
    while (due := _nth_due(line, step)) < hi:
        if due >= lo:
            dues.append(due)
        step += 1
    return dues


def _next_boundary(line: ContractLine, day: date) -> date:
    step = _first_step(line, day)
    while (due := _nth_due(line, step)) < day:
        step += 1
    return due


def due_dates(
    line: ContractLine, period: Period, *, cancelled_on: date | None = None
) -> list[date]:
    """Due dates of a line inside the period.

    Weekly and monthly plans renew at every interval boundary while in service;
    when service ends (its end or a cancellation), the renewal it misses is the
    first boundary on or after that day, so a line that leaves inside its first
    interval is never due before its first boundary. A quarterly or yearly line
    with an end is a term: it is due at the end of service. An open line of any
    interval renews at every boundary.
    """
    ends = [day for day in (line.ends_on, cancelled_on) if day is not None]
    end = min(ends) if ends else None
    if end is not None and line.interval not in SHORT_CYCLES:
        return [end] if period.start <= end < period.end else []
    dues = _boundaries(
        line, period.start, period.end if end is None else min(end, period.end)
    )
    if end is not None:
        missed = _next_boundary(line, end)
        if period.start <= missed < period.end:
            dues.append(missed)
    return dues


class RenewalBook:
    """Answers renewal questions from the ARR segments of each account."""

    def __init__(self, segments: Sequence[Segment], options: MetricOptions) -> None:
        self.options = options
        self._by_account: dict[str, list[Segment]] = defaultdict(list)
        for segment in segments:
            self._by_account[segment.account_id].append(segment)
        self._coverage = {
            account: coverage(items) for account, items in self._by_account.items()
        }

    def arr_on(
        self,
        account_id: str,
        day: date,
        *,
        line_id: str | None = None,
        product: str | None = None,
    ) -> int:
        return sum(
            s.arr_cents
            for s in self._by_account.get(account_id, [])
            if s.is_active_on(day)
            and (line_id is None or s.line_id == line_id)
            and (product is None or s.product == product)
        )

    def outcome_from_timeline(
        self, account_id: str, due: date
    ) -> tuple[str, date | None]:
        """`renewed` when the account pays within the window after `due`."""
        grace = timedelta(days=self.options.grace_days)
        limit = due if self.options.late_renewal == "strict" else due + grace
        if self.options.late_renewal == "eventual":
            limit = OPEN_END
        for lo, hi in self._coverage.get(account_id, []):
            if lo <= limit and hi > due:
                return "renewed", max(lo, due)
        as_of = date.fromisoformat(self.options.as_of) if self.options.as_of else None
        if as_of is not None and as_of <= limit:
            return "pending", None
        return "churned", None


def _cancelled_on(
    line: ContractLine, cancellations: Sequence[Cancellation]
) -> date | None:
    dates = [
        c.effective_on
        for c in cancellations
        if c.account_id == line.account_id and c.contract_line_id in (None, line.id)
    ]
    return min(dates) if dates else None


def derive_renewals(
    lines: Sequence[ContractLine],
    book: RenewalBook,
    period: Period,
    *,
    cancellations: Sequence[Cancellation] = (),
) -> list[RenewalRecord]:
    """Renewals implied by the contract terms of recurring lines."""
    records: list[RenewalRecord] = []
    for line in lines:
        if base_arr(line) <= 0:
            continue
        cancelled_on = _cancelled_on(line, cancellations)
        for due in due_dates(line, period, cancelled_on=cancelled_on):
            ends = [d for d in (due, cancelled_on, line.ends_on) if d is not None]
            last_day = min(ends) - timedelta(days=1)
            before = book.arr_on(line.account_id, last_day, line_id=line.id)
            if before == 0:
                continue  # not in paid service before the due date: no renewal
            outcome, decided_on = book.outcome_from_timeline(line.account_id, due)
            after = book.arr_on(line.account_id, due, product=line.product or "")
            records.append(
                RenewalRecord(
                    line.account_id,
                    line.id,
                    due,
                    outcome,
                    decided_on,
                    before,
                    after if outcome == "renewed" else 0,
                    line.currency,
                    "derived",
                )
            )
    return records


def imported_renewals(
    rows: Sequence[Renewal],
    lines: Sequence[ContractLine],
    book: RenewalBook,
    period: Period,
) -> list[RenewalRecord]:
    """Renewals from the renewals table, due inside the period, with policy outcomes."""
    products = {line.id: line.product or "" for line in lines}
    records: list[RenewalRecord] = []
    for row in rows:
        if not period.start <= row.due_on < period.end:
            continue
        outcome = _imported_outcome(row, book)
        before = row.arr_before_cents
        if before is None:
            before = (
                book.arr_on(
                    row.account_id,
                    row.due_on - timedelta(days=1),
                    line_id=row.contract_line_id,
                )
                if row.contract_line_id
                else book.arr_on(row.account_id, row.due_on - timedelta(days=1))
            )
        after = row.arr_after_cents
        if after is None:
            product = products.get(row.contract_line_id or "")
            after = book.arr_on(row.account_id, row.due_on, product=product)
        records.append(
            RenewalRecord(
                row.account_id,
                row.contract_line_id,
                row.due_on,
                outcome,
                row.decided_on,
                before,
                after if outcome == "renewed" else 0,
                row.currency or "USD",
                "imported",
            )
        )
    return records


def _imported_outcome(row: Renewal, book: RenewalBook) -> str:
    options = book.options
    if row.outcome == "churned":
        return "churned"
    if row.outcome in RENEWED_OUTCOMES:
        if row.decided_on is None or options.late_renewal == "eventual":
            return "renewed"
        limit = row.due_on
        if options.late_renewal == "grace":
            limit += timedelta(days=options.grace_days)
        return "renewed" if row.decided_on <= limit else "churned"
    outcome, _ = book.outcome_from_timeline(row.account_id, row.due_on)
    return outcome


def renewals_in_period(
    rows: Sequence[Renewal],
    lines: Sequence[ContractLine],
    book: RenewalBook,
    period: Period,
    *,
    cancellations: Sequence[Cancellation] = (),
) -> list[RenewalRecord]:
    """The renewals due in the period, imported or derived as the options say.

    With `renewal_source=auto`, imported renewals stand for the contract lines
    they name (or the whole account, when a row names no line) and every other
    line's renewals are derived from its terms, so a source that records
    renewals of annual contracts only still counts its monthly accounts.
    """
    source = book.options.renewal_source
    if source == "imported":
        return imported_renewals(rows, lines, book, period)
    if source == "derived":
        return derive_renewals(lines, book, period, cancellations=cancellations)
    covered_lines = {row.contract_line_id for row in rows if row.contract_line_id}
    covered_accounts = {row.account_id for row in rows if not row.contract_line_id}
    uncovered = [
        line
        for line in lines
        if line.id not in covered_lines and line.account_id not in covered_accounts
    ]
    records = imported_renewals(rows, lines, book, period)
    records += derive_renewals(uncovered, book, period, cancellations=cancellations)
    return sorted(records, key=lambda r: (r.due_on, r.account_id, r.line_id or ""))
