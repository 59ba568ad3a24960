"""The ARR timeline: each contract line cut into segments of constant ARR.

A segment is a change point pair: from `starts_on` (inclusive) to `ends_on`
(exclusive) the line contributes `arr_cents` in its own currency. Only segments
with ARR above zero are kept, so the work grows with the number of ARR changes,
never with accounts × days.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TypeVar

from tenure.core.errors import InvalidInput
from tenure.revenue.models import (
    INTERVALS,
    LINE_KINDS,
    Cancellation,
    ContractLine,
    Discount,
    Pause,
)
from tenure.revenue.policy import MetricOptions

OPEN_END = date(9999, 12, 31)
PERIODS_PER_YEAR: dict[str, int] = {"week": 52, "month": 12, "quarter": 4, "year": 1}
RECURRING_DISCOUNTS = ("repeating", "forever")

T = TypeVar("T")


@dataclass(frozen=True)
class Segment:
    """A stretch of days during which one line's ARR is constant and above zero."""

    account_id: str
    line_id: str
    product: str
    currency: str
    starts_on: date
    ends_on: date
    arr_cents: int
    is_paused: bool = False
    notice_on: date | None = None
    is_bridged: bool = False

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day < self.ends_on


@dataclass(frozen=True)
class RevenueInputs:
    """Everything that moves ARR, as loaded from the operational store."""

    lines: Sequence[ContractLine]
    discounts: Sequence[Discount] = ()
    pauses: Sequence[Pause] = ()
    cancellations: Sequence[Cancellation] = ()


def round_half_up(value: Fraction) -> int:
    """Round a non-negative or negative fraction to the nearest integer, half away."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


class InvalidContractLine(InvalidInput):
    """A contract line whose kind, interval or interval count cannot be used."""


def check_line(line: ContractLine) -> None:
    """Refuse a line Tenure cannot turn into ARR, naming the field and the fix."""
    if (line.kind or "paid") not in LINE_KINDS:
        raise InvalidContractLine(
            f"contract line {line.id!r} has kind {line.kind!r}; "
            f"use one of {', '.join(LINE_KINDS)}"
        )
    if (line.interval or "month") not in INTERVALS:
        raise InvalidContractLine(
            f"contract line {line.id!r} has interval {line.interval!r}; "
            f"use one of {', '.join(INTERVALS)}"
        )
    if line.interval_count is not None and line.interval_count < 1:
        raise InvalidContractLine(
            f"contract line {line.id!r} has interval_count {line.interval_count}; "
            "use a whole number of 1 or more"
        )


def base_arr(line: ContractLine) -> Fraction:
    """The line's ARR before discounts; zero for non-recurring kinds."""
    check_line(line)
    kind = line.kind or "paid"
    if kind != "paid" or line.interval == "once":
        return Fraction(0)
    if line.arr_cents is not None:
        return Fraction(line.arr_cents)
    per_year = PERIODS_PER_YEAR.get(line.interval or "month", 12)
    count = line.interval_count or 1
    return Fraction(line.amount_cents or 0) * per_year / count


def _annualised_amount_off(discount: Discount, line: ContractLine) -> Fraction:
    if line.arr_cents is not None and line.amount_cents:
        return (
            Fraction(discount.amount_off_cents or 0)
            * line.arr_cents
            / (line.amount_cents)
        )
    per_year = PERIODS_PER_YEAR.get(line.interval or "month", 12)
    return (
        Fraction(discount.amount_off_cents or 0) * per_year / (line.interval_count or 1)
    )


# TODO: an account-wide fixed-amount discount is taken off each of the account's
# lines, and a discount's own currency is not converted — accounts with several
# lines or a discount in another currency should use percent or line discounts.
def _reduction(discount: Discount, line: ContractLine, base: Fraction) -> Fraction:
    if discount.percent_off is not None:
        return base * Fraction(discount.percent_off) / 100
    return _annualised_amount_off(discount, line)


def _discount_span(discount: Discount, line: ContractLine) -> tuple[date, date]:
    end = discount.ends_on or OPEN_END
    if discount.duration == "once" and discount.ends_on is None:
        per_year = PERIODS_PER_YEAR.get(line.interval or "month", 12)
        days = 365 * (line.interval_count or 1) // per_year
        end = discount.starts_on + timedelta(days=max(days, 1))
    return discount.starts_on, end


def effective_end(
    line: ContractLine, cancellations: Sequence[Cancellation], options: MetricOptions
) -> date:
    """The line's first day out of service after its end and its cancellations.

    A cancellation naming the line ends it; one naming only the account ends the
    lines in service before it takes effect, never lines that start later (a
    returning account's new lines are a reactivation, not part of the old churn).
    """
    end = line.ends_on or OPEN_END
    for cancellation in cancellations:
        effective = cancellation.effective_on
        if options.churn_date == "cancellation" and cancellation.requested_on:
            effective = cancellation.requested_on
        if _cancels(cancellation, line, effective):
            end = min(end, max(effective, line.starts_on))
    return end


def _cancels(cancellation: Cancellation, line: ContractLine, effective: date) -> bool:
    if cancellation.contract_line_id is not None:
        return cancellation.contract_line_id == line.id
    return line.starts_on < effective


def _notice_on(
    line: ContractLine, cancellations: Sequence[Cancellation]
) -> date | None:
    dates = [line.cancellation_notice_on] if line.cancellation_notice_on else []
    for cancellation in cancellations:
        if _cancels(cancellation, line, cancellation.effective_on):
            dates.append(cancellation.requested_on or cancellation.effective_on)
    return min(dates) if dates else None


def line_segments(
    line: ContractLine,
    *,
    discounts: Sequence[Discount],
    pauses: Sequence[Pause],
    cancellations: Sequence[Cancellation],
    options: MetricOptions,
) -> list[Segment]:
    """Cut one line into segments at every discount and pause boundary."""
    base = base_arr(line)
    start, end = line.starts_on, effective_end(line, cancellations, options)
    if base <= 0 or end <= start:
        return []
    applied = [
        (discount, *_discount_span(discount, line))
        for discount in discounts
        if discount.duration in RECURRING_DISCOUNTS or options.discount_policy == "all"
    ]
    spans = [(pause.starts_on, pause.ends_on or OPEN_END) for pause in pauses]
    edges = [day for _, lo, hi in applied for day in (lo, hi)]
    edges += [day for span in spans for day in span]
    cuts = sorted({start, end, *(day for day in edges if start < day < end)})
    notice_on = _notice_on(line, cancellations)
    segments: list[Segment] = []
    for lo, hi in itertools.pairwise(cuts):
        off = sum(
            (_reduction(d, line, base) for d, a, b in applied if a <= lo < b),
            Fraction(0),
        )
        arr = round_half_up(max(Fraction(0), base - off))
        if arr > 0:
            paused = any(a <= lo < b for a, b in spans)
            segments.append(
                Segment(
                    line.account_id,
                    line.id,
                    line.product or "",
                    line.currency or "USD",
                    lo,
                    hi,
                    arr,
                    paused,
                    notice_on,
                )
            )
    return _merge(segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.ends_on == segment.starts_on
            and (last.arr_cents, last.is_paused)
            == (segment.arr_cents, segment.is_paused)
        ):
            merged[-1] = replace(last, ends_on=segment.ends_on)
        else:
            merged.append(segment)
    return merged


def _group(records: Iterable[T], key: Callable[[T], str | None]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for record in records:
        value = key(record)
        if value is not None:
            grouped[value].append(record)
    return grouped


def _line_or_account(
    records: Sequence[T],
) -> tuple[dict[str, list[T]], dict[str, list[T]]]:
    """Records keyed by their line, and account-wide records keyed by account."""
    by_line = _group(records, lambda r: getattr(r, "contract_line_id", None))
    by_account = _group(
        (r for r in records if getattr(r, "contract_line_id", None) is None),
        lambda r: getattr(r, "account_id", None),
    )
    return by_line, by_account


def build_segments(inputs: RevenueInputs, options: MetricOptions) -> list[Segment]:
    """Every line's segments, with short zero-ARR gaps bridged per account."""
    discounts_by_line, discounts_by_account = _line_or_account(inputs.discounts)
    pauses_by_line, pauses_by_account = _line_or_account(inputs.pauses)
    cancellations = _group(inputs.cancellations, lambda c: c.account_id)
    segments: list[Segment] = []
    for line in inputs.lines:
        segments.extend(
            line_segments(
                line,
                discounts=discounts_by_line.get(line.id, [])
                + discounts_by_account.get(line.account_id, []),
                pauses=pauses_by_line.get(line.id, [])
                + pauses_by_account.get(line.account_id, []),
                cancellations=cancellations.get(line.account_id, []),
                options=options,
            )
        )
    return bridge_gaps(segments, grace_days=options.grace_days)


def coverage(segments: Iterable[Segment]) -> list[tuple[date, date]]:
    """The union of the segments' day ranges, as sorted disjoint ranges."""
    spans: list[tuple[date, date]] = []
    for segment in sorted(segments, key=lambda s: (s.starts_on, s.ends_on)):
        if spans and segment.starts_on <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], segment.ends_on))
        else:
            spans.append((segment.starts_on, segment.ends_on))
    return spans


def bridge_gaps(segments: list[Segment], *, grace_days: int) -> list[Segment]:
    """Fill each account's zero-ARR gaps of at most `grace_days` at the prior ARR."""
    if grace_days <= 0:
        return segments
    accounts: dict[str, list[Segment]] = defaultdict(list)
    for segment in segments:
        accounts[segment.account_id].append(segment)
    bridged = list(segments)
    for account_segments in accounts.values():
        spans = coverage(account_segments)
        for (_, gap_start), (gap_end, _) in itertools.pairwise(spans):
            if (gap_end - gap_start).days > grace_days:
                continue
            before = gap_start - timedelta(days=1)
            bridged.extend(
                replace(s, starts_on=gap_start, ends_on=gap_end, is_bridged=True)
                for s in account_segments
                if s.is_active_on(before)
            )
    return bridged


def account_change_points(
    segments: Iterable[Segment], *, currency: str | None = None
) -> dict[str, list[tuple[date, int]]]:
    """Each account's ARR as change points: (day, ARR from that day), in order.

    Amounts are in each line's own currency; pass `currency` to keep one.
    """
    deltas: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for s in segments:
        if currency is not None and s.currency != currency:
            continue
        deltas[s.account_id][s.starts_on] += s.arr_cents
        if s.ends_on != OPEN_END:
            deltas[s.account_id][s.ends_on] -= s.arr_cents
    points: dict[str, list[tuple[date, int]]] = {}
    for account, changes in deltas.items():
        level, series = 0, []
        for day in sorted(changes):
            if changes[day]:
                level += changes[day]
                series.append((day, level))
        points[account] = series
    return points
