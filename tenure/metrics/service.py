"""The one place metrics run: store → Arrow → Ibis on DuckDB → results."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import structlog
from sqlalchemy import Engine

from tenure.core.errors import InvalidInput
from tenure.core.money import minor_digits
from tenure.core.time import InvalidPeriod, Period, parse_period
from tenure.metrics import (
    definitions,  # noqa: F401  (registers the catalogue)
    queries,
)
from tenure.metrics.registry import METRICS, MetricSpec, resolve_metric
from tenure.metrics.result import MetricResult, Row, SummaryContext
from tenure.metrics.store import (
    StoreContents,
    accounts_table,
    costs_table,
    load_store,
    responses_table,
    segments_table,
)
from tenure.revenue.fx import RateBook
from tenure.revenue.policy import MetricOptions
from tenure.revenue.renewal import RenewalBook, renewals_in_period
from tenure.revenue.timeline import RevenueInputs, Segment, build_segments

log = structlog.get_logger()

SLICES = ("segment", "csm", "plan", "cohort")
_SLICE_COLUMNS = {
    "segment": "segment",
    "csm": "csm_id",
    "plan": "plan",
    "cohort": "cohort",
}
_ACCOUNT_COLUMNS = ("segment", "csm_id", "plan", "cohort")
NO_SLICE_VALUE = "(none)"
_MONEY_COLUMNS = frozenset(
    (
        "starting_arr",
        "ending_arr",
        "new",
        "reactivation",
        "expansion",
        "contraction",
        "churn",
        "pause",
        "resume",
        "fx",
        "arr",
        "carr",
        "first_arr",
        "product_loss",
        "arr_before",
        "arr_after",
        "amount",
    )
)
_INTERNAL_COLUMNS = frozenset(
    (
        "start_total",
        "start_paused",
        "end_total",
        "end_paused",
        "end_total_fx",
        "end_paused_fx",
    )
)


class InvalidSlice(InvalidInput):
    """A --by value the metric suite cannot slice by."""


class MetricService:
    """Computes registered metrics for periods and slices from one store snapshot."""

    def __init__(self, contents: StoreContents, options: MetricOptions) -> None:
        options.check()
        self.options = options
        self.contents = contents
        self.segments: list[Segment] = build_segments(
            RevenueInputs(
                contents.lines,
                contents.discounts,
                contents.pauses,
                contents.cancellations,
            ),
            options,
        )
        self.rate_book = RateBook(contents.rates, options.reporting_currency)
        self.renewal_book = RenewalBook(self.segments, options)
        self._con = ibis.duckdb.connect()
        self._segments = ibis.memtable(segments_table(self.segments))
        self._accounts = ibis.memtable(accounts_table(contents.accounts))
        self._costs = ibis.memtable(costs_table(contents.costs, self.rate_book))
        self._responses = ibis.memtable(responses_table(contents.responses, options))
        self._account_attrs = account_attributes(contents, self.segments)

    @classmethod
    def from_engine(cls, engine: Engine, options: MetricOptions) -> "MetricService":
        """Load the operational store behind `engine` and bind the options."""
        return cls(load_store(engine), options)

    def compute(
        self, names: Sequence[str], period: Period, *, by: str | None = None
    ) -> list[MetricResult]:
        """Each named metric for the period; one result per slice when `by` is set."""
        specs = [resolve_metric(name) for name in names]
        self._check_not_after_as_of(period)
        if by is not None and by not in SLICES:
            raise InvalidSlice(
                f"cannot slice by {by!r}; use one of {', '.join(SLICES)}"
            )
        needed = {frame for spec in specs for frame in spec.inputs}
        frames = {name: self._frame(name, period) for name in sorted(needed)}
        results: list[MetricResult] = []
        for spec in specs:
            results.extend(self._reduce(spec, frames, period, by))
        log.debug("metrics.computed", metrics=len(specs), period=period.label, by=by)
        return results

    def _check_not_after_as_of(self, period: Period) -> None:
        if self.options.as_of is None:
            return
        as_of = date.fromisoformat(self.options.as_of)
        if period.start > as_of:
            raise InvalidPeriod(
                f"period {period.label} starts after the as-of day {as_of}, so "
                "nothing is known about it yet; choose an earlier period or set "
                "--option as_of=YYYY-MM-DD"
            )

    def _reduce(
        self,
        spec: MetricSpec,
        frames: dict[str, list[Row]],
        period: Period,
        by: str | None,
    ) -> list[MetricResult]:
        return [
            self._presented(r) for r in self._reduce_slices(spec, frames, period, by)
        ]

    def _presented(self, result: MetricResult) -> MetricResult:
        """Drill-down rows with money in major units and internal columns dropped."""
        scale = self._minor_per_major
        result.rows = [
            {
                key: round(value / scale, 2)
                if key in _MONEY_COLUMNS and isinstance(value, int | float)
                else value
                for key, value in row.items()
                if key not in _INTERNAL_COLUMNS
            }
            for row in result.rows
        ]
        return result

    def _reduce_slices(
        self,
        spec: MetricSpec,
        frames: dict[str, list[Row]],
        period: Period,
        by: str | None,
    ) -> list[MetricResult]:
        ctx = SummaryContext(period, self.options, self._minor_per_major)
        if by is None:
            return [spec.reduce(frames, ctx)]
        if not spec.is_sliceable:
            whole = spec.reduce(frames, ctx)
            whole.slice = "all"
            whole.parts["slice_note"] = f"{spec.label} is not kept per {by}"
            return [whole]
        column = _SLICE_COLUMNS[by]
        known = {slice_key(a.get(column)) for a in self._account_attrs.values()}
        keys = sorted(
            known
            | {
                slice_key(r.get(column))
                for f in frames.values()
                for r in f
                if column in r
            }
        )
        results = []
        for key in keys:
            sliced = {
                name: [
                    r
                    for r in rows
                    if column not in r or slice_key(r.get(column)) == key
                ]
                for name, rows in frames.items()
            }
            results.append(
                spec.reduce(
                    sliced,
                    SummaryContext(
                        period, self.options, self._minor_per_major, slice=f"{by}={key}"
                    ),
                )
            )
        return results

    @property
    def _minor_per_major(self) -> int:
        return int(10 ** minor_digits(self.options.reporting_currency))

    def _frame(self, name: str, period: Period) -> list[Row]:
        builders: dict[str, Callable[[Period], list[Row]]] = {
            "movements": self._movements,
            "product_loss": self._product_loss,
            "committed": self._committed,
            "cohorts": self._cohorts,
            "renewals": self._renewals,
            "costs": self._period_costs,
            "nps": self._nps,
            "roster": self._roster,
            "new_customers": self._new_customers,
        }
        return builders[name](period)

    def _execute(self, expr: ir.Table) -> list[Row]:
        table: pa.Table = self._con.to_pyarrow(expr)
        return table.to_pylist()  # type: ignore[no-any-return]

    def _rates(self, period: Period) -> ir.Table:
        """Rates at the start (S − 1) and end (E − 1) of the period per currency."""
        currencies = {s.currency for s in self.segments} | {
            self.options.reporting_currency
        }
        start_day = period.start - timedelta(days=1)
        end_day = period.last_day
        rows = []
        for currency in sorted(currencies):
            end = self.rate_book.rate(currency, end_day)
            start = (
                end
                if self.options.fx_basis == "period_end"
                else (self.rate_book.rate(currency, start_day))
            )
            rows.append(
                {
                    "currency": currency,
                    "rate_start": float(start),
                    "rate_end": float(end),
                }
            )
        return ibis.memtable(
            pa.Table.from_pylist(
                rows,
                schema=pa.schema(
                    [
                        ("currency", pa.string()),
                        ("rate_start", pa.float64()),
                        ("rate_end", pa.float64()),
                    ]
                ),
            )
        )

    def _movements(self, period: Period) -> list[Row]:
        expr = queries.account_movements(
            self._segments,
            self._rates(period),
            self._accounts,
            period,
            exclude_paused=self.options.pause_policy == "exclude",
        )
        rows = self._execute(expr.order_by("account_id"))
        last = period.last_day
        on_free = {
            line.account_id
            for line in self.contents.lines
            if line.kind == "free"
            and line.starts_on <= last
            and (line.ends_on is None or line.ends_on > last)
        }
        for row in rows:
            row["is_on_free_plan"] = row["account_id"] in on_free
        return rows

    def _product_loss(self, period: Period) -> list[Row]:
        if self.options.grain != "account_product":
            return []
        expr = queries.gross_loss_by_product(
            self._segments, self._rates(period), period
        )
        return self._with_accounts(self._execute(expr))

    def _committed(self, period: Period) -> list[Row]:
        expr = queries.committed_arr(
            self._segments, self._rates(period), period.last_day
        )
        return self._with_accounts(self._execute(expr.order_by("account_id")))

    def _cohorts(self, period: Period) -> list[Row]:
        expr = queries.cohort_arr(self._segments, self._rates(period), period.last_day)
        rows = self._execute(expr.order_by("account_id"))
        return self._with_accounts([r for r in rows if r["first_paid_on"] < period.end])

    def _renewals(self, period: Period) -> list[Row]:
        records = renewals_in_period(
            self.contents.renewals,
            self.contents.lines,
            self.renewal_book,
            period,
            cancellations=self.contents.cancellations,
        )
        rows = []
        for record in records:
            rate = self.rate_book.rate(
                record.currency, period.start - timedelta(days=1)
            )
            rows.append(
                {
                    "account_id": record.account_id,
                    "line_id": record.line_id,
                    "due_on": record.due_on,
                    "outcome": record.outcome,
                    "decided_on": record.decided_on,
                    "source": record.source,
                    "arr_before": round(record.arr_before_cents * rate),
                    "arr_after": round(record.arr_after_cents * rate),
                }
            )
        return self._with_accounts(rows)

    def _period_costs(self, period: Period) -> list[Row]:
        expr = self._costs.filter(
            (self._costs.starts_on >= period.start)
            & (self._costs.ends_on <= period.end)
        )
        return self._execute(expr.order_by("id"))

    def _nps(self, period: Period) -> list[Row]:
        expr = queries.nps_responses(
            self._responses, period, dedup=self.options.nps_dedup
        )
        return self._with_accounts(self._execute(expr.order_by("id")))

    def _roster(self, period: Period) -> list[Row]:
        return [
            {
                "id": u.id,
                "role": u.role,
                "fte": u.fte,
                "joined_on": u.joined_on,
                "left_on": u.left_on,
            }
            for u in self.contents.users
        ]

    def _new_customers(self, period: Period) -> list[Row]:
        rows = []
        for entry in self.contents.acquired:
            own = _parse_own_period(entry.period, entry.id)
            if period.start <= own.start and own.end <= period.end:
                rows.append(
                    {"id": entry.id, "period": entry.period, "count": entry.count}
                )
        return rows

    def _with_accounts(self, rows: list[Row]) -> list[Row]:
        """Attach segment, CSM, plan and first-paid cohort for slicing."""
        attached = []
        for row in rows:
            attrs = self._account_attrs.get(row["account_id"], {})
            attached.append(
                {**row, **{k: row.get(k, attrs.get(k)) for k in _ACCOUNT_COLUMNS}}
            )
        return attached


def slice_key(value: object) -> str:
    """The slice a value falls in; accounts without one share `(none)`."""
    return NO_SLICE_VALUE if value is None else str(value)


def account_attributes(
    contents: StoreContents, segments: Sequence[Segment]
) -> dict[str, dict[str, Any]]:
    """Segment, CSM, plan and first-paid month (cohort) of every account."""
    attrs: dict[str, dict[str, Any]] = defaultdict(dict)
    for account in contents.accounts:
        attrs[account.id] = {
            "segment": account.segment,
            "csm_id": account.csm_id,
            "plan": account.plan,
        }
    firsts: dict[str, date] = {}
    for s in segments:
        if s.account_id not in firsts or s.starts_on < firsts[s.account_id]:
            firsts[s.account_id] = s.starts_on
    for account_id, first in firsts.items():
        attrs[account_id]["cohort"] = f"{first:%Y-%m}"
    return dict(attrs)


def _parse_own_period(text: str, row_id: str) -> Period:
    try:
        return parse_period(text)
    except InvalidInput as exc:
        raise InvalidInput(
            f"new_customers_acquired row {row_id!r} has period {text!r} that is not "
            "understood; write 2024-01, 2024-Q1 or 2024"
        ) from exc


def registered_metrics() -> list[MetricSpec]:
    """Every registered metric, by slug."""
    return [METRICS[slug] for slug in sorted(METRICS)]
