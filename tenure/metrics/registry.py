"""The catalogue of metrics: slug, label, unit, direction, inputs and reduction."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from tenure.core.errors import InvalidInput
from tenure.metrics.result import MetricResult, Row, SummaryContext

Unit = Literal["money", "rate", "ratio", "count", "score", "years"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Frames = Mapping[str, Sequence[Row]]
Reduction = Callable[[Frames, SummaryContext], MetricResult]


class UnknownMetric(InvalidInput):
    """A metric slug, label or alias that the catalogue does not know."""


@dataclass(frozen=True)
class MetricSpec:
    """A registered metric; `reduce` turns its input rows into one result."""

    slug: str
    label: str
    unit: Unit
    direction: Direction
    inputs: tuple[str, ...]
    reduce: Reduction
    aliases: tuple[str, ...] = ()
    is_sliceable: bool = True

    @property
    def doc(self) -> str:
        return (self.reduce.__doc__ or "").strip()


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
) -> Callable[[Reduction], Reduction]:
    """Declare a metric; the decorated reduction's docstring is its definition."""

    def decorate(reduce: Reduction) -> Reduction:
        METRICS[slug] = MetricSpec(
            slug, label, unit, direction, inputs, reduce, aliases, is_sliceable
        )
        return reduce

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
