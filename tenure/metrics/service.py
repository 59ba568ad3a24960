"""The one place metrics run: inputs → Ibis expressions → a backend → results.

`MetricRunner` executes the registered definitions on any Ibis backend over
the metric input tables; `MetricService` is the runner on DuckDB in process,
fed from one snapshot of the operational store.
"""

import dataclasses
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import structlog
from ibis.backends import BaseBackend
from sqlalchemy import Engine

from tenure.core.errors import InvalidInput
from tenure.core.money import minor_digits
from tenure.core.time import InvalidPeriod, Period
from tenure.metrics import definitions  # noqa: F401  (registers the catalogue)
from tenure.metrics.frames import NO_SLICE_VALUE, InputTables, PeriodFrames
from tenure.metrics.inputs import (
    MetricInputs,
    build_inputs,
    renewal_records_table,
    renewal_window,
    widened,
)
from tenure.metrics.registry import METRICS, MetricPlan, MetricSpec, resolve_metric
from tenure.metrics.result import MetricResult, Row, SummaryContext
from tenure.metrics.store import StoreContents, load_store
from tenure.revenue.fx import MissingExchangeRate, RateBook
from tenure.revenue.policy import MetricOptions
from tenure.revenue.renewal import RenewalBook
from tenure.revenue.timeline import RevenueInputs, Segment, build_segments

log = structlog.get_logger()

SLICES = ("segment", "csm", "plan", "cohort")
__all__ = ["NO_SLICE_VALUE", "SLICES", "MetricRunner", "MetricService"]
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
        "book_arr",
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
        "slice_key",
    )
)


KEPT_RESULTS = 256
_ComputeKey = tuple[tuple[str, ...], date, date, str, str | None]


class InvalidSlice(InvalidInput):
    """A --by value the metric suite cannot slice by."""


class MetricRunner:
    """Computes registered metrics for periods and slices on one Ibis backend."""

    def __init__(
        self,
        con: BaseBackend,
        tables: InputTables,
        options: MetricOptions,
        *,
        rate_book: RateBook,
        currencies: set[str],
        renewal_window: Period,
    ) -> None:
        options.check()
        self.options = options
        self._con = con
        self._tables = tables
        self._rate_book = rate_book
        self._currencies = currencies | {options.reporting_currency}
        self._renewal_window = renewal_window
        # One backend connection is shared by every caller of this runner (the
        # web application keeps one per store revision), and Ibis backends are
        # not safe to use from several threads at once.
        self._lock = threading.RLock()
        # The same figures are asked for again and again by the pages (the
        # dashboard's trends repeat its headline period); the inputs never
        # change, so a result computed once stays right.
        self._computed: OrderedDict[_ComputeKey, list[MetricResult]] = OrderedDict()

    def compute(
        self, names: Sequence[str], period: Period, *, by: str | None = None
    ) -> list[MetricResult]:
        """Each named metric for the period; one result per slice when `by` is set."""
        key = (tuple(names), period.start, period.end, period.label, by)
        with self._lock:
            if key not in self._computed:
                self._computed[key] = self._compute(names, period, by=by)
                while len(self._computed) > KEPT_RESULTS:
                    self._computed.popitem(last=False)
            self._computed.move_to_end(key)
            return list(self._computed[key])

    def _compute(
        self, names: Sequence[str], period: Period, *, by: str | None
    ) -> list[MetricResult]:
        specs = [resolve_metric(name) for name in names]
        self._check_not_after_as_of(period)
        if by is not None and by not in SLICES:
            raise InvalidSlice(
                f"cannot slice by {by!r}; use one of {', '.join(SLICES)}"
            )
        self._cover_renewals(period)
        needed = tuple(sorted({frame for spec in specs for frame in spec.inputs}))
        rates = self._rates(period)
        whole = PeriodFrames(
            self._tables, rates, period, self.options, needed=needed, keep=self._keep
        )
        sliced = (
            PeriodFrames(
                self._tables,
                rates,
                period,
                self.options,
                by=by,
                needed=needed,
                keep=self._keep,
            )
            if by is not None
            else None
        )
        ctx = SummaryContext(period, self.options, self._minor_per_major)
        results: list[MetricResult] = []
        for spec in specs:
            if sliced is None:
                results.append(self._run(spec, whole, ctx))
            elif not spec.is_sliceable:
                result = self._run(spec, whole, ctx)
                result.slice = "all"
                result.parts["slice_note"] = f"{spec.label} is not kept per {by}"
                results.append(result)
            else:
                results.extend(self._run_sliced(spec, sliced, ctx, by or ""))
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

    def _cover_renewals(self, period: Period) -> None:
        """Make sure the renewal records cover the period."""
        window = self._renewal_window
        if window.start <= period.start and period.end <= window.end:
            return
        self._widen_renewals(widened(window, period))

    def _widen_renewals(self, window: Period) -> None:
        raise InvalidPeriod(
            f"the renewal records cover {self._renewal_window.label} only, "
            f"not all of {window.label}; export the store again with a later "
            "--option as_of"
        )

    def _keep(self, table: ir.Table) -> ir.Table:
        """A frame read by several metrics, computed once (cached by the backend)."""
        return table.cache()

    def _execute(self, expr: ir.Table) -> list[Row]:
        table: pa.Table = self._con.to_pyarrow(expr)
        return table.to_pylist()  # type: ignore[no-any-return]

    def _rows(self, plan: MetricPlan, *, sliced: bool) -> list[Row]:
        if plan.rows is None:
            return []
        t = plan.rows
        keys: list[Any] = [t.slice_key] if sliced else []
        for name in plan.order_by:
            column = t[name]
            keys.append(column.coalesce("") if column.type().is_string() else column)
        return self._execute(t.order_by(keys))

    def _run(
        self, spec: MetricSpec, frames: PeriodFrames, ctx: SummaryContext
    ) -> MetricResult:
        plan = spec.build(frames, ctx)
        figures = self._execute(plan.figures)
        if len(figures) != 1:
            raise AssertionError(f"{spec.slug} gave {len(figures)} figure rows")
        result = plan.finish(figures[0], self._rows(plan, sliced=False), ctx)
        return self._presented(result)

    def _run_sliced(
        self, spec: MetricSpec, frames: PeriodFrames, ctx: SummaryContext, by: str
    ) -> list[MetricResult]:
        plan = spec.build(frames, ctx)
        figures = self._execute(plan.figures.order_by("slice_key"))
        buckets: dict[str, list[Row]] = defaultdict(list)
        for row in self._rows(plan, sliced=True):
            buckets[row["slice_key"]].append(row)
        results = []
        for figure in figures:
            key = figure["slice_key"]
            sliced_ctx = dataclasses.replace(ctx, slice=f"{by}={key}")
            result = plan.finish(figure, buckets.get(key, []), sliced_ctx)
            results.append(self._presented(result))
        return results

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

    @property
    def _minor_per_major(self) -> int:
        return int(10 ** minor_digits(self.options.reporting_currency))

    def _prior_rate(self, currency: str, period: Period) -> float | None:
        """The rate on S − 1 renewals are valued at; None when nothing needs it."""
        day = period.start - timedelta(days=1)
        try:
            return float(self._rate_book.rate(currency, day))
        except MissingExchangeRate:
            records = self._tables.renewal_records
            due = records.filter(
                (records.currency == currency)
                & (records.due_on >= period.start)
                & (records.due_on < period.end)
            )
            if self._con.execute(due.count()):
                raise
            return None

    def _rates(self, period: Period) -> ir.Table:
        """Per currency: rates at the start (S − 1) and end (E − 1) of the period.

        `rate_start` is the end rate under fx_basis=period_end; `rate_prior` is
        always the rate on S − 1 (renewals are valued at it).
        """
        start_day = period.start - timedelta(days=1)
        end_day = period.last_day
        rows = []
        for currency in sorted(self._currencies):
            end = self._rate_book.rate(currency, end_day)
            start = (
                end
                if self.options.fx_basis == "period_end"
                else (self._rate_book.rate(currency, start_day))
            )
            rows.append(
                {
                    "currency": currency,
                    "rate_start": float(start),
                    "rate_end": float(end),
                    "rate_prior": self._prior_rate(currency, period),
                }
            )
        return self._small_table(
            "rates", pa.Table.from_pylist(rows, schema=RATE_TABLE_SCHEMA)
        )

    def _small_table(self, name: str, table: pa.Table) -> ir.Table:
        """A small Arrow table (one period's rates) usable in expressions."""
        return ibis.memtable(table)


RATE_TABLE_SCHEMA = pa.schema(
    [
        ("currency", pa.string()),
        ("rate_start", pa.float64()),
        ("rate_end", pa.float64()),
        ("rate_prior", pa.float64()),
    ]
)


def input_tables(make: Callable[[str], ir.Table]) -> InputTables:
    """The input tables as Ibis tables, each made by `make(name)`."""
    names = [field.name for field in dataclasses.fields(InputTables)]
    return InputTables(**{name: make(name) for name in names})


class MetricService(MetricRunner):
    """The metric suite on DuckDB in process, from one store snapshot."""

    def __init__(self, contents: StoreContents, options: MetricOptions) -> None:
        options.check()
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
        inputs = build_inputs(
            contents,
            self.segments,
            self.renewal_book,
            self.rate_book,
            options,
            renewal_window(contents, options),
        )
        self._inputs = inputs
        super().__init__(
            ibis.duckdb.connect(),
            input_tables(lambda name: ibis.memtable(inputs.tables[name])),
            options,
            rate_book=self.rate_book,
            currencies=inputs.currencies(),
            renewal_window=inputs.renewal_window,
        )

    @classmethod
    def from_engine(cls, engine: Engine, options: MetricOptions) -> "MetricService":
        """Load the operational store behind `engine` and bind the options."""
        return cls(load_store(engine), options)

    @property
    def inputs(self) -> MetricInputs:
        """The materialised input tables (what `tenure export` writes)."""
        return self._inputs

    def _keep(self, table: ir.Table) -> ir.Table:
        return ibis.memtable(self._con.to_pyarrow(table))

    def _widen_renewals(self, window: Period) -> None:
        records = renewal_records_table(self.contents, self.renewal_book, window)
        tables = {**self._inputs.tables, "renewal_records": records}
        self._inputs = MetricInputs(tables, window)
        self._renewal_window = window
        self._currencies = self._inputs.currencies() | {self.options.reporting_currency}
        self._tables = dataclasses.replace(
            self._tables, renewal_records=ibis.memtable(records)
        )


def registered_metrics() -> list[MetricSpec]:
    """Every registered metric, by slug."""
    return [METRICS[slug] for slug in sorted(METRICS)]
