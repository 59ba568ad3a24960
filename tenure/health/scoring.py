"""Turn measure values into points, a 0–100 score, a band and its explanation.

Pure functions: no store, no clock. A measure without a value is reported as
missing and its weight is spread over the measures that have one, in
proportion to their weights; it never counts as zero points.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tenure.core.errors import InvalidInput


class InvalidScorecard(InvalidInput):
    """A scorecard's measures, thresholds or band cut-offs cannot be used."""


@dataclass(frozen=True)
class MeasureSpec:
    """A measure as a scorecard weighs it: `[lower_bound, points]` thresholds."""

    measure: str
    weight: int
    thresholds: Sequence[Sequence[float]]


@dataclass(frozen=True)
class BandCutoffs:
    """Below `red_below` is red, from `green_from` up is green, yellow between."""

    red_below: int
    green_from: int

    def band_of(self, score: int) -> str:
        if score < self.red_below:
            return "red"
        return "green" if score >= self.green_from else "yellow"


@dataclass(frozen=True)
class MeasurePart:
    """One measure's part in a score; `weight_share` sums to 1 over present ones."""

    measure: str
    value: float | None
    points: float | None
    weight: int
    weight_share: float
    contribution: float
    is_missing: bool


@dataclass(frozen=True)
class ScoreResult:
    score: int
    band: str
    parts: list[MeasurePart]

    def parts_json(self) -> list[dict[str, Any]]:
        # vars() rather than asdict(): the parts hold only plain values, and
        # asdict's deep copy dominated scoring a large book.
        return [dict(vars(part)) for part in self.parts]


def check_measure(spec: MeasureSpec) -> None:
    """Refuse a negative weight or thresholds that are not `[bound, points]` pairs."""
    if spec.weight < 0:
        raise InvalidScorecard(
            f"measure {spec.measure!r} has weight {spec.weight}; use 0 or more"
        )
    if not spec.thresholds or any(len(pair) != 2 for pair in spec.thresholds):
        raise InvalidScorecard(
            f"measure {spec.measure!r} needs thresholds as [lower_bound, points] "
            "pairs, for example [[0, 100], [30, 0]]"
        )
    if any(not 0 <= points <= 100 for _, points in spec.thresholds):
        raise InvalidScorecard(
            f"measure {spec.measure!r} has points outside 0–100 in its thresholds"
        )


def points_for(value: float, thresholds: Sequence[Sequence[float]]) -> float:
    """Points of the highest lower bound at or below `value` (else the lowest)."""
    ordered = sorted(thresholds, key=lambda pair: pair[0])
    points = ordered[0][1]
    for bound, bound_points in ordered:
        if value >= bound:
            points = bound_points
    return float(points)


def score_values(
    values: Mapping[str, float | None],
    specs: Sequence[MeasureSpec],
    cutoffs: BandCutoffs,
) -> ScoreResult | None:
    """The score of one account's values; None when no weighted measure has data."""
    present = [s for s in specs if values.get(s.measure) is not None and s.weight > 0]
    total = sum(spec.weight for spec in present)
    if total == 0:
        return None
    parts = []
    for spec in specs:
        value = values.get(spec.measure)
        if value is None:
            parts.append(
                MeasurePart(spec.measure, None, None, spec.weight, 0.0, 0.0, True)
            )
            continue
        points = points_for(value, spec.thresholds)
        share = spec.weight / total
        parts.append(
            MeasurePart(
                spec.measure,
                value,
                points,
                spec.weight,
                share,
                points * share,
                False,
            )
        )
    score = round(sum(part.contribution for part in parts))
    return ScoreResult(score, cutoffs.band_of(score), parts)


def changes_since(
    now: Sequence[Mapping[str, Any]], before: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Measures whose value or contribution moved, largest contribution move first."""
    earlier = {part["measure"]: part for part in before}
    changes = []
    for part in now:
        old = earlier.get(part["measure"])
        if old is None:
            continue
        moved = part["contribution"] - old["contribution"]
        if part["value"] != old["value"] or abs(moved) >= 0.005:
            changes.append(
                {
                    "measure": part["measure"],
                    "value_before": old["value"],
                    "value": part["value"],
                    "contribution_change": round(moved, 2),
                }
            )
    return sorted(changes, key=lambda c: -abs(c["contribution_change"]))
