"""The tables every metric reads, materialised once as Arrow.

The revenue engine (ARR segments, renewal records with their outcomes), the
account attributes and the operational tables the metrics need become plain
tables here; the definitions only ever see them as Ibis tables, so the same
expressions run on DuckDB in process or on Spark from a Parquet export.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from tenure.core.errors import InvalidInput
from tenure.core.time import Period, parse_period
from tenure.metrics.store import (
    ACCOUNT_SCHEMA,
    COST_SCHEMA,
    RESPONSE_SCHEMA,
    StoreContents,
    accounts_table,
    costs_table,
    responses_table,
    segments_table,
)
from tenure.revenue.fx import RateBook
from tenure.revenue.models import ExchangeRate
from tenure.revenue.policy import MetricOptions
from tenure.revenue.renewal import RenewalBook, renewals_in_period
from tenure.revenue.timeline import Segment

ASSIGNMENT_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("csm_id", pa.string()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
    ]
)
FREE_LINE_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
    ]
)
RENEWAL_RECORD_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("line_id", pa.string()),
        ("due_on", pa.date32()),
        ("outcome", pa.string()),
        ("decided_on", pa.date32()),
        ("source", pa.string()),
        ("arr_before_cents", pa.int64()),
        ("arr_after_cents", pa.int64()),
        ("currency", pa.string()),
    ]
)
USER_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("role", pa.string()),
        ("fte", pa.float64()),
        ("joined_on", pa.date32()),
        ("left_on", pa.date32()),
    ]
)
ACQUIRED_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("period", pa.string()),
        ("count", pa.int64()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
    ]
)
RATE_SCHEMA = pa.schema(
    [
        ("currency", pa.string()),
        ("quote_currency", pa.string()),
        ("rate_on", pa.date32()),
        ("rate", pa.string()),
    ]
)
WINDOW_SCHEMA = pa.schema([("starts_on", pa.date32()), ("ends_on", pa.date32())])

INPUT_SCHEMAS: dict[str, pa.Schema] = {
    "segments": segments_table([]).schema,
    "accounts": ACCOUNT_SCHEMA,
    "assignments": ASSIGNMENT_SCHEMA,
    "free_lines": FREE_LINE_SCHEMA,
    "renewal_records": RENEWAL_RECORD_SCHEMA,
    "costs": COST_SCHEMA,
    "responses": RESPONSE_SCHEMA,
    "users": USER_SCHEMA,
    "acquired": ACQUIRED_SCHEMA,
    "exchange_rates": RATE_SCHEMA,
}


@dataclass(frozen=True)
class MetricInputs:
    """The metric input tables and the days the renewal records cover."""

    tables: Mapping[str, pa.Table]
    renewal_window: Period

    def rate_book(self, reporting_currency: str) -> RateBook:
        """The exchange rates of the `exchange_rates` table as a rate book."""
        return rate_book_of(self.tables["exchange_rates"], reporting_currency)

    def currencies(self) -> set[str]:
        """Every currency an amount of the segments or renewal records is in."""
        found: set[str] = set()
        for name in ("segments", "renewal_records"):
            column = self.tables[name].column("currency").to_pylist()
            found.update(c for c in column if c is not None)
        return found


def rate_book_of(rates: pa.Table, reporting_currency: str) -> RateBook:
    """An `exchange_rates` input table as a rate book."""
    return RateBook(
        [
            ExchangeRate(
                currency=row["currency"],
                quote_currency=row["quote_currency"],
                rate_on=row["rate_on"],
                rate=Decimal(row["rate"]),
            )
            for row in rates.to_pylist()
        ],
        reporting_currency,
    )


def _year_after(day: date) -> date:
    return date(day.year + 2, 1, 1)


EARLIEST_WINDOW_DAY = date(1900, 1, 1)
LATEST_WINDOW_DAY = date(9999, 12, 31)


def renewal_window(contents: StoreContents, options: MetricOptions) -> Period:
    """The days renewal records are kept for: from 1900 (or earlier data) to the
    end of the year after the last day the store mentions.

    Open-ended monthly lines renew for ever, so the records are bounded: the
    window reaches past every day the store mentions (and past as_of). A store
    without contract lines or renewals has none to keep, on any day.
    """
    days: list[date] = []
    for line in contents.lines:
        days.append(line.starts_on)
        if line.ends_on is not None:
            days.append(line.ends_on)
    days.extend(r.due_on for r in contents.renewals)
    start = min([*days, EARLIEST_WINDOW_DAY])
    if not days:
        end = LATEST_WINDOW_DAY
    else:
        if options.as_of is not None:
            days.append(date.fromisoformat(options.as_of))
        end = _year_after(max(days))
    return Period(start, end, f"{start}..{end - timedelta(days=1)}")


def widened(window: Period, period: Period) -> Period:
    """The smallest window holding both."""
    start, end = min(window.start, period.start), max(window.end, period.end)
    return Period(start, end, f"{start}..{end - timedelta(days=1)}")


def renewal_records_table(
    contents: StoreContents, book: RenewalBook, window: Period
) -> pa.Table:
    """Every renewal due in the window with its outcome, in native cents."""
    records = renewals_in_period(
        contents.renewals,
        contents.lines,
        book,
        window,
        cancellations=contents.cancellations,
    )
    rows = [
        {
            "account_id": r.account_id,
            "line_id": r.line_id,
            "due_on": r.due_on,
            "outcome": r.outcome,
            "decided_on": r.decided_on,
            "source": r.source,
            "arr_before_cents": r.arr_before_cents,
            "arr_after_cents": r.arr_after_cents,
            "currency": r.currency,
        }
        for r in records
    ]
    return pa.Table.from_pylist(rows, schema=RENEWAL_RECORD_SCHEMA)


def _table(rows: Iterable[dict[str, Any]], name: str) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=INPUT_SCHEMAS[name])


def _own_period(text: str, row_id: str) -> Period:
    try:
        return parse_period(text)
    except InvalidInput as exc:
        raise InvalidInput(
            f"new_customers_acquired row {row_id!r} has period {text!r} that is not "
            "understood; write 2024-01, 2024-Q1 or 2024"
        ) from exc


def build_inputs(
    contents: StoreContents,
    segments: list[Segment],
    renewal_book: RenewalBook,
    rate_book: RateBook,
    options: MetricOptions,
    window: Period,
) -> MetricInputs:
    """Materialise every metric input table from one store snapshot."""
    acquired = []
    for entry in contents.acquired:
        own = _own_period(entry.period, entry.id)
        acquired.append(
            {
                "id": entry.id,
                "period": entry.period,
                "count": entry.count,
                "starts_on": own.start,
                "ends_on": own.end,
            }
        )
    tables = {
        "segments": segments_table(segments),
        "accounts": accounts_table(contents.accounts),
        "assignments": _table(
            (
                {
                    "account_id": a.account_id,
                    "csm_id": a.csm_id,
                    "starts_on": a.starts_on,
                    "ends_on": a.ends_on,
                }
                for a in contents.assignments
            ),
            "assignments",
        ),
        "free_lines": _table(
            (
                {
                    "account_id": line.account_id,
                    "starts_on": line.starts_on,
                    "ends_on": line.ends_on,
                }
                for line in contents.lines
                if line.kind == "free"
            ),
            "free_lines",
        ),
        "renewal_records": renewal_records_table(contents, renewal_book, window),
        "costs": costs_table(contents.costs, rate_book),
        "responses": responses_table(contents.responses, options),
        "users": _table(
            (
                {
                    "id": u.id,
                    "role": u.role,
                    "fte": float(u.fte) if u.fte is not None else None,
                    "joined_on": u.joined_on,
                    "left_on": u.left_on,
                }
                for u in contents.users
            ),
            "users",
        ),
        "acquired": _table(acquired, "acquired"),
        "exchange_rates": _table(
            (
                {
                    "currency": r.currency,
                    "quote_currency": r.quote_currency,
                    "rate_on": r.rate_on,
                    "rate": str(r.rate),
                }
                for r in contents.rates
            ),
            "exchange_rates",
        ),
    }
    return MetricInputs(tables, window)
