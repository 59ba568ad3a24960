"""The catalogue of metrics: slug, label, unit, direction, inputs and plan.

A metric's `build` is a pure function from the period's Ibis frames (and the
period and options in the context) to a `MetricPlan`: an expression for the
figures (one row, or one per slice) and one for the rows behind them. Every
sum, count, ratio and filter lives in those expressions; `finish` only turns
one executed figures row into a result (money to the cent, the reason when a
figure is undefined, parts for display).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis.expr.types as ir

from tenure.core.errors import InvalidInput
from tenure.metrics.frames import PeriodFrames
from tenure.metrics.result import MetricResult, Row, SummaryContext

Unit = Literal["money", "rate", "ratio", "count", "score", "years"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Finish = Callable[[Row, list[Row], SummaryContext], MetricResult]


@dataclass(frozen=True)
class MetricPlan:
    """What a metric computes, as Ibis expressions, and how a figure is shown.

    `figures` has one row (a `slice_key` column and one row per slice when the
    frames are sliced); `rows` are the drill-down rows, carrying `slice_key`
    too, ordered by `order_by`.
    """

    figures: ir.Table
    finish: Finish
    rows: ir.Table | None = None
    order_by: tuple[str, ...] = ()


Build = Callable[[PeriodFrames, SummaryContext], MetricPlan]


class UnknownMetric(InvalidInput):
    """A metric slug, label or alias that the catalogue does not know."""


@dataclass(frozen=True)
class MetricSpec:
    """A registered metric; `build` plans its figures over the period's frames."""

    slug: str
    label: str
    unit: Unit
    direction: Direction
    inputs: tuple[str, ...]
    build: Build
    aliases: tuple[str, ...] = ()
    is_sliceable: bool = True

    @property
    def doc(self) -> str:
        return (self.build.__doc__ or "").strip()


METRICS: dict[str, MetricSpec] = {}


def register(
    slug: str,
    *,
    label: str,
    unit: Unit,
    direction: Direction,
    inputs: tuple[str, ...],
    aliases: tuple[str, ...] = (),
    is_sliceable: bool = True,
) -> Callable[[Build], Build]:
    """Declare a metric; the decorated builder's docstring is its definition."""

    def decorate(build: Build) -> Build:
        METRICS[slug] = MetricSpec(
            slug, label, unit, direction, inputs, build, aliases, is_sliceable
        )
        return build

    return decorate


def resolve_metric(name: str) -> MetricSpec:
    """Find a metric by slug, label (NRR) or alias (nrr)."""
    key = name.strip().lower()
    for spec in METRICS.values():
        if key in (spec.slug, spec.label.lower(), *spec.aliases):
            return spec
    raise UnknownMetric(
        f"unknown metric {name!r}; known metrics are {', '.join(sorted(METRICS))}"
    )


def result_for(spec_slug: str, ctx: SummaryContext, **fields: object) -> MetricResult:
    """A result stamped with the metric's label, unit, period and slice."""
    spec = METRICS[spec_slug]
    return MetricResult(
        slug=spec.slug,
        label=spec.label,
        unit=spec.unit,
        period=ctx.period.label,
        slice=ctx.slice,
        **fields,  # type: ignore[arg-type]
    )
