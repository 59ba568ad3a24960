"""The per-period Ibis tables the metric definitions read, sliced when asked.

`PeriodFrames` turns the input tables (see `tenure.metrics.inputs`) and one
period's exchange rates into lazily built Ibis expressions: account
movements, committed ARR, cohorts, renewals due, costs, NPS responses, the CSM
roster and acquired-account counts. Every account frame carries the
account's segment, CSM on the period's last day, plan and cohort, and, when
the query slices, a `slice_key` column the definitions group by.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, reduce
from typing import Any

import ibis
import ibis.expr.types as ir

from tenure.core.time import Period
from tenure.metrics import queries
from tenure.revenue.policy import MetricOptions

SLICE_COLUMNS = {
    "segment": "segment",
    "csm": "csm_id",
    "plan": "plan",
    "cohort": "cohort",
}
NO_SLICE_VALUE = "(none)"
ATTRIBUTE_COLUMNS = ("segment", "csm_id", "plan", "cohort")
ACCOUNT_FRAMES = (
    "movements",
    "product_loss",
    "committed",
    "cohorts",
    "renewals",
    "nps",
)


@dataclass(frozen=True)
class InputTables:
    """The metric input tables as Ibis tables of one backend."""

    segments: ir.Table
    accounts: ir.Table
    assignments: ir.Table
    free_lines: ir.Table
    renewal_records: ir.Table
    costs: ir.Table
    responses: ir.Table
    users: ir.Table
    acquired: ir.Table


class PeriodFrames:
    """The frames of one period, built on first use; sliced when `by` is set.

    `keep` materialises an account frame once for the metrics that read it
    (a temporary table, a cached Spark frame); by default nothing is kept.
    """

    def __init__(
        self,
        tables: InputTables,
        rates: ir.Table,
        period: Period,
        options: MetricOptions,
        *,
        by: str | None = None,
        needed: tuple[str, ...] = (),
        keep: Callable[[ir.Table], ir.Table] = lambda table: table,
    ) -> None:
        self.keep = keep
        self.tables = tables
        self.rates = rates
        self.period = period
        self.options = options
        self.by = by
        self.needed = needed

    @property
    def is_sliced(self) -> bool:
        return self.by is not None

    @cached_property
    def attributes(self) -> ir.Table:
        t = self.tables
        attrs = queries.account_attributes(
            t.segments, t.accounts, t.assignments, self.period.last_day
        )
        if self.by is None:
            return self.keep(attrs)
        column = attrs[SLICE_COLUMNS[self.by]]
        return self.keep(
            attrs.mutate(slice_key=column.cast("string").coalesce(NO_SLICE_VALUE))
        )

    def _with_attributes(self, t: ir.Table) -> ir.Table:
        attrs = self.attributes
        joined = t.left_join(attrs, "account_id")
        columns: dict[str, ir.Value] = {
            name: joined[name] for name in ATTRIBUTE_COLUMNS
        }
        if self.by is not None:
            # Accounts unknown to both the accounts table and the segments.
            columns["slice_key"] = joined.slice_key.coalesce(NO_SLICE_VALUE)
        return joined.select(*t.columns, **columns)

    @cached_property
    def movements(self) -> ir.Table:
        t = self.tables
        moved = queries.account_movements(
            t.segments,
            self.rates,
            self.period,
            exclude_paused=self.options.pause_policy == "exclude",
        )
        moved = self._with_attributes(moved)
        free = queries.on_free_plan(t.free_lines, self.period.last_day)
        joined = moved.left_join(free, "account_id")
        return self.keep(
            joined.select(
                *moved.columns,
                is_on_free_plan=joined.is_on_free_plan.coalesce(False),
            )
        )

    @cached_property
    def product_loss(self) -> ir.Table:
        loss = queries.gross_loss_by_product(
            self.tables.segments, self.rates, self.period
        )
        return self.keep(self._with_attributes(loss))

    @cached_property
    def committed(self) -> ir.Table:
        carr = queries.committed_arr(
            self.tables.segments, self.rates, self.period.last_day
        )
        return self.keep(self._with_attributes(carr))

    @cached_property
    def cohorts(self) -> ir.Table:
        arr = queries.cohort_arr(self.tables.segments, self.rates, self.period.last_day)
        return self.keep(
            self._with_attributes(arr.filter(arr.first_paid_on < self.period.end))
        )

    @cached_property
    def renewals(self) -> ir.Table:
        due = queries.renewals_due(self.tables.renewal_records, self.rates, self.period)
        return self.keep(self._with_attributes(due))

    @cached_property
    def costs(self) -> ir.Table:
        costs = self.tables.costs
        return costs.filter(
            (costs.starts_on >= self.period.start) & (costs.ends_on <= self.period.end)
        )

    @cached_property
    def nps(self) -> ir.Table:
        valid = queries.nps_responses(
            self.tables.responses, self.period, dedup=self.options.nps_dedup
        )
        return self.keep(self._with_attributes(valid))

    @cached_property
    def roster(self) -> ir.Table:
        """Users with role csm on the roster on the period's last day."""
        users, day = self.tables.users, self.period.last_day
        return users.filter(
            (users.role == "csm")
            & (users.joined_on.isnull() | (users.joined_on <= day))
            & (users.left_on.isnull() | (users.left_on > day))
        )

    @cached_property
    def new_customers(self) -> ir.Table:
        acquired = self.tables.acquired
        return acquired.filter(
            (acquired.starts_on >= self.period.start)
            & (acquired.ends_on <= self.period.end)
        ).select("id", "period", "count")

    @cached_property
    def keys(self) -> ir.Table:
        """Every slice: those of the accounts and of the frames this query reads."""
        frames = [self.attributes] + [
            getattr(self, name) for name in self.needed if name in ACCOUNT_FRAMES
        ]
        selected = [frame.select("slice_key") for frame in frames]
        return reduce(lambda a, b: a.union(b, distinct=True), selected).distinct()

    def summarise(self, frame: ir.Table, **aggregates: Any) -> ir.Table:
        """One row of aggregates, or one per slice (every slice, zeros included).

        Sums and counts of nothing are 0; collected lists of nothing are null.
        """
        if self.by is None:
            table = frame.aggregate(**aggregates)
        else:
            grouped = frame.group_by("slice_key").aggregate(**aggregates)
            joined = self.keys.left_join(grouped, "slice_key")
            table = joined.select(self.keys.slice_key, *aggregates)
        return table.mutate(
            **{
                name: table[name].coalesce(0)
                for name in aggregates
                if not table[name].type().is_array()
            }
        )

    def beside(self, first: ir.Table, *others: ir.Table) -> ir.Table:
        """Figure tables side by side: matched by slice, or one row each."""
        table = first
        for other in others:
            if self.by is None:
                table = table.cross_join(other)
            else:
                table = table.join(other, "slice_key")
        return table


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator, null when the denominator is zero or null."""
    return numerator.cast("float64") / denominator.cast("float64").nullif(0.0)


def count_if(condition: ir.BooleanValue) -> ir.IntegerValue:
    """How many rows meet the condition."""
    return condition.ifelse(1, 0).sum()


def annualised(
    rate: ir.FloatingValue, period: Period, options: MetricOptions
) -> ir.FloatingValue:
    """A period rate made annual: compound by default, linear when asked.

    Whole months m use 12/m; other windows use days_per_year/days. A one-year
    period is returned as it is; a compound rate above 1 has no annual figure.
    """
    months = period.whole_months
    if months == 12:
        return rate
    factor = 12 / months if months else options.days_per_year / period.days
    if options.annualise == "linear":
        return rate * factor
    compound = 1 - (1 - rate) ** ibis.literal(float(factor), "float64")
    return (rate > 1).ifelse(ibis.null("float64"), compound)
