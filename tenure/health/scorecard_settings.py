"""Edit scorecards as settings: bands, weights and thresholds, checked per field.

Each saved change is kept with who made it and when, and with the scorecard
before and after. A change takes effect on the next scoring (the `health`
job or `tenure health`); kept scores are not rewritten.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tenure.health.errors import ScorecardNotFound
from tenure.health.measures import MEASURES
from tenure.health.models import Scorecard, ScorecardChange, ScorecardMeasure
from tenure.health.scoring import InvalidScorecard

log = structlog.get_logger()

MAX_WEIGHT = 1000
MAX_THRESHOLDS = 20


class InvalidScorecardSettings(InvalidScorecard):
    """One or more fields of a scorecard edit cannot be used; `problems` maps
    each field to one sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        field, message = next(iter(self.problems.items()))
        more = len(self.problems) - 1
        suffix = f" (and {more} more field{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{field}: {message}{suffix}")


@dataclass(frozen=True)
class MeasureSetting:
    """A measure as an edit gives it: weight and `[lower_bound, points]` pairs."""

    measure: str
    weight: int
    thresholds: Sequence[Sequence[float]]


@dataclass(frozen=True)
class ScorecardSettings:
    """The editable part of a scorecard."""

    name: str
    red_below: int
    green_from: int
    measures: Sequence[MeasureSetting]


@dataclass(frozen=True)
class ScorecardView:
    """A scorecard with its measures in order, and its recent changes."""

    id: str
    name: str
    is_default: bool
    red_below: int
    green_from: int
    measures: list[MeasureSetting]
    changes: list[ScorecardChange]


def measure_field(measure: str, part: str) -> str:
    """The field name a problem with one part of a measure is reported under."""
    return f"measures.{measure}.{part}"


def get_scorecard_or_raise(session: Session, scorecard_id: str) -> Scorecard:
    scorecard = session.get(Scorecard, scorecard_id)
    if scorecard is None:
        raise ScorecardNotFound(
            f"no scorecard {scorecard_id!r}; the settings page lists them"
        )
    return scorecard


def list_scorecards(session: Session) -> list[ScorecardView]:
    """Every scorecard, the default first."""
    scorecards = session.scalars(
        select(Scorecard).order_by(Scorecard.is_default.desc(), Scorecard.id)
    )
    return [scorecard_view(session, s.id, changes=0) for s in scorecards]


def scorecard_view(
    session: Session, scorecard_id: str, *, changes: int = 20
) -> ScorecardView:
    """One scorecard with its measures and its `changes` latest changes."""
    scorecard = get_scorecard_or_raise(session, scorecard_id)
    history = session.scalars(
        select(ScorecardChange)
        .where(ScorecardChange.scorecard_id == scorecard_id)
        .order_by(ScorecardChange.id.desc())
        .limit(changes)
    )
    return ScorecardView(
        id=scorecard.id,
        name=scorecard.name,
        is_default=scorecard.is_default,
        red_below=scorecard.red_below,
        green_from=scorecard.green_from,
        measures=_measures_of(session, scorecard_id),
        changes=list(history) if changes else [],
    )


def _measures_of(session: Session, scorecard_id: str) -> list[MeasureSetting]:
    rows = session.scalars(
        select(ScorecardMeasure)
        .where(ScorecardMeasure.scorecard_id == scorecard_id)
        .order_by(ScorecardMeasure.id)
    )
    return [
        MeasureSetting(row.measure, row.weight, [list(p) for p in row.thresholds])
        for row in rows
    ]


def check_scorecard_settings(settings: ScorecardSettings) -> dict[str, str]:
    """Every problem of an edit, one sentence per field; empty when it is usable."""
    problems: dict[str, str] = {}
    if not settings.name.strip() or len(settings.name) > 200:
        problems["name"] = "give the scorecard a name of 1 to 200 characters"
    for field in ("red_below", "green_from"):
        value = getattr(settings, field)
        if not 0 <= value <= 100:
            problems[field] = f"{value} is outside 0–100; give a score from 0 to 100"
    bands_read = "red_below" not in problems and "green_from" not in problems
    if bands_read and settings.red_below > settings.green_from:
        problems["green_from"] = (
            f"green from {settings.green_from} is below red below "
            f"{settings.red_below}; make green start at or above red's end"
        )
    seen: set[str] = set()
    for measure in settings.measures:
        if measure.measure not in MEASURES:
            problems["measures"] = (
                f"measure {measure.measure!r} is unknown; use one of "
                f"{', '.join(MEASURES)}"
            )
        elif measure.measure in seen:
            problems["measures"] = f"measure {measure.measure!r} is given twice"
        seen.add(measure.measure)
        problems.update(_measure_problems(measure))
    if "measures" not in problems and not any(m.weight > 0 for m in settings.measures):
        problems["measures"] = "give at least one measure a weight above 0"
    return problems


def _measure_problems(measure: MeasureSetting) -> dict[str, str]:
    problems = {}
    if not 0 <= measure.weight <= MAX_WEIGHT:
        problems[measure_field(measure.measure, "weight")] = (
            f"weight {measure.weight} is outside 0–{MAX_WEIGHT}; give a whole "
            "number, 0 to keep the measure without weight"
        )
    where = measure_field(measure.measure, "thresholds")
    pairs = measure.thresholds
    if not pairs or len(pairs) > MAX_THRESHOLDS:
        problems[where] = (
            f"give 1 to {MAX_THRESHOLDS} lower_bound:points pairs, for example "
            "0:100, 30:0"
        )
    elif any(len(pair) != 2 or not all(map(math.isfinite, pair)) for pair in pairs):
        problems[where] = "each pair needs a finite lower bound and points"
    elif any(not 0 <= points <= 100 for _, points in pairs):
        problems[where] = "points must be from 0 to 100 in every pair"
    elif len({bound for bound, _ in pairs}) != len(pairs):
        problems[where] = "each lower bound may appear once; merge the repeated one"
    return problems


def _snapshot(
    scorecard: Scorecard, measures: Sequence[MeasureSetting]
) -> dict[str, Any]:
    return {
        "name": scorecard.name,
        "red_below": scorecard.red_below,
        "green_from": scorecard.green_from,
        "measures": [
            {
                "measure": m.measure,
                "weight": m.weight,
                "thresholds": [list(p) for p in m.thresholds],
            }
            for m in measures
        ],
    }


def update_scorecard(
    session: Session,
    scorecard_id: str,
    settings: ScorecardSettings,
    *,
    changed_by: str,
    changed_at: datetime,
) -> ScorecardChange:
    """Replace a scorecard's bands and measures, keeping who changed what, when."""
    scorecard = get_scorecard_or_raise(session, scorecard_id)
    problems = check_scorecard_settings(settings)
    if problems:
        raise InvalidScorecardSettings(problems)

    before = _snapshot(scorecard, _measures_of(session, scorecard_id))
    scorecard.name = settings.name.strip()
    scorecard.red_below = settings.red_below
    scorecard.green_from = settings.green_from
    session.execute(
        delete(ScorecardMeasure).where(ScorecardMeasure.scorecard_id == scorecard_id)
    )
    session.flush()
    ordered = [
        MeasureSetting(
            m.measure,
            m.weight,
            sorted(([float(b), float(p)] for b, p in m.thresholds), key=lambda x: x[0]),
        )
        for m in settings.measures
    ]
    session.add_all(
        ScorecardMeasure(
            scorecard_id=scorecard_id,
            measure=m.measure,
            weight=m.weight,
            thresholds=[list(p) for p in m.thresholds],
        )
        for m in ordered
    )
    change = ScorecardChange(
        scorecard_id=scorecard_id,
        changed_by=changed_by,
        changed_at=changed_at,
        before=before,
        after=_snapshot(scorecard, ordered),
    )
    session.add(change)
    session.flush()
    log.info(
        "health.scorecard_changed",
        scorecard=scorecard_id,
        by=changed_by,
        measures=len(ordered),
    )
    return change


def describe_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """What a scorecard change did, one short phrase per field or measure."""
    said = [
        f"{field.replace('_', ' ')} {before.get(field)} → {after.get(field)}"
        for field in ("name", "red_below", "green_from")
        if before.get(field) != after.get(field)
    ]
    old = {m["measure"]: m for m in before.get("measures", [])}
    new = {m["measure"]: m for m in after.get("measures", [])}
    for name in [*old, *(n for n in new if n not in old)]:
        if name not in new:
            said.append(f"{name} dropped")
        elif name not in old:
            said.append(f"{name} added with weight {new[name]['weight']}")
        elif old[name]["weight"] != new[name]["weight"]:
            said.append(f"{name} weight {old[name]['weight']} → {new[name]['weight']}")
        if (
            name in old
            and name in new
            and old[name]["thresholds"] != new[name]["thresholds"]
        ):
            said.append(f"{name} thresholds changed")
    return said or ["saved without changes"]
