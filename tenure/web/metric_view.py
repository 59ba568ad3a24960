"""The dashboard's metric suite: headline figures, trends and drill-downs."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tenure.core.errors import InvalidInput
from tenure.core.time import Grain, Period, parse_period
from tenure.metrics.result import MetricResult
from tenure.metrics.service import MetricService

HEADLINE = (
    "arr_snapshot",
    "net_revenue_retention",
    "gross_revenue_retention",
    "gross_revenue_churn_rate",
    "renewal_logo_churn_rate",
    "customer_churn_rate",
    "net_promoter_score",
    "arr_per_csm",
    "lifetime_value",
    "customer_acquisition_cost",
    "cost_to_renew",
    "quick_ratio",
)


EARLIEST_START = date(1900, 1, 2)
LATEST_END = date(3000, 1, 1)


class PeriodOutOfRange(InvalidInput):
    """A period before 1900 or after 2999."""


def read_period(text: str) -> Period:
    """Parse a period and keep it within the years the suite can compute."""
    period = parse_period(text)
    if period.start < EARLIEST_START or period.end > LATEST_END:
        raise PeriodOutOfRange(
            f"period {text!r} lies outside 1900-01-02..3000-01-01; choose a period "
            "within those years"
        )
    return period


def clip_to(period: Period, as_of: date) -> Period:
    """The part of the period up to as_of, so no figure counts days not yet seen."""
    end = as_of + timedelta(days=1)
    if period.end <= end or period.start >= end:
        return period
    return Period(period.start, end, f"{period.start}..{end}")


@dataclass(frozen=True)
class SliceFilter:
    """At most one of segment and CSM narrows the suite to one slice."""

    segment: str | None = None
    csm_id: str | None = None

    @property
    def by(self) -> str | None:
        if self.segment:
            return "segment"
        return "csm" if self.csm_id else None

    @property
    def key(self) -> str | None:
        if self.segment:
            return f"segment={self.segment}"
        return f"csm={self.csm_id}" if self.csm_id else None


def _pick(results: list[MetricResult], wanted: SliceFilter) -> list[MetricResult]:
    """The whole figure, or the asked slice (metrics not kept per slice: 'all')."""
    if wanted.by is None:
        return results
    return [r for r in results if r.slice in (wanted.key, "all")]


def compute_suite(
    service: MetricService,
    period: Period,
    *,
    names: tuple[str, ...] = HEADLINE,
    wanted: SliceFilter = SliceFilter(),
) -> list[MetricResult]:
    """The named metrics for the period, for the whole business or one slice."""
    results = _pick(service.compute(list(names), period, by=wanted.by), wanted)
    found = {r.slug for r in results}
    for slug in names:
        if slug not in found:
            results.append(_empty_slice(service, slug, period, wanted))
    order = {slug: i for i, slug in enumerate(names)}
    return sorted(results, key=lambda r: order[r.slug])


def _empty_slice(
    service: MetricService, slug: str, period: Period, wanted: SliceFilter
) -> MetricResult:
    spec = service.compute([slug], period)[0]
    return MetricResult(
        slug=spec.slug,
        label=spec.label,
        unit=spec.unit,
        period=period.label,
        value=None,
        reason=f"no account is in {wanted.key}",
        slice=wanted.key,
    )


@dataclass(frozen=True)
class Trend:
    slug: str
    labels: list[str]
    values: list[float | None]


def compute_trends(
    service: MetricService,
    period: Period,
    grain: Grain,
    *,
    names: tuple[str, ...] = HEADLINE,
    wanted: SliceFilter = SliceFilter(),
) -> list[Trend]:
    """Each metric per grain piece of the period, for the trend charts."""
    pieces = period.split(grain)
    values: dict[str, list[float | None]] = {slug: [] for slug in names}
    for piece in pieces:
        for result in compute_suite(service, piece, names=names, wanted=wanted):
            values[result.slug].append(result.value)
    labels = [piece.label for piece in pieces]
    return [Trend(slug, labels, values[slug]) for slug in names]


def format_value(result: MetricResult, currency: str) -> str:
    """The figure as people read it; callers show 'n/a' for None themselves."""
    value = result.value
    if value is None:
        return "n/a"
    if result.unit == "rate":
        return f"{value * 100:.1f} %"
    if result.unit == "money":
        return f"{value:,.0f} {currency}"
    if result.unit == "score":
        return f"{value:.0f}"
    if result.unit == "years":
        return f"{value:.1f} years"
    return f"{value:.2f}"


def result_json(result: MetricResult, *, with_rows: bool) -> dict[str, Any]:
    return result.to_dict(with_rows=with_rows)
