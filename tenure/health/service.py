"""Daily health scores: compute, keep as history, and explain against last week."""

import time as clock
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import structlog
from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from tenure.activity.store import EventStore
from tenure.core.db import transaction
from tenure.core.workspace import Workspace
from tenure.health.activity_inputs import ActivityInputs, account_activity_inputs
from tenure.health.errors import ScorecardNotFound
from tenure.health.inputs import HealthInputs, load_health_inputs
from tenure.health.measures import MEASURES, MeasureContext, measure_values
from tenure.health.models import HealthScore, Scorecard, ScorecardMeasure
from tenure.health.scoring import (
    BandCutoffs,
    InvalidScorecard,
    MeasureSpec,
    ScoreResult,
    changes_since,
    check_measure,
    score_values,
)

log = structlog.get_logger()

COMPARE_DAYS = 7


@dataclass(frozen=True)
class ScorecardSpec:
    """A scorecard detached from the session, checked and ready to score with."""

    id: str
    specs: list[MeasureSpec]
    cutoffs: BandCutoffs
    activity_events: tuple[str, ...]


def load_scorecard(session: Session, scorecard_id: str | None = None) -> ScorecardSpec:
    """The named scorecard, or the default one, with its measures checked."""
    query = select(Scorecard)
    if scorecard_id is None:
        query = query.where(Scorecard.is_default.is_(True))
    else:
        query = query.where(Scorecard.id == scorecard_id)
    scorecard = session.scalars(query.order_by(Scorecard.id)).first()
    if scorecard is None:
        raise ScorecardNotFound(
            f"no scorecard {scorecard_id!r}; list them in the health_scorecards table"
            if scorecard_id
            else "no default scorecard; run `tenure init` to create it"
        )
    rows = session.scalars(
        select(ScorecardMeasure)
        .where(ScorecardMeasure.scorecard_id == scorecard.id)
        .order_by(ScorecardMeasure.id)
    )
    specs = [MeasureSpec(row.measure, row.weight, row.thresholds) for row in rows]
    for spec in specs:
        if spec.measure not in MEASURES:
            raise InvalidScorecard(
                f"scorecard {scorecard.id!r} has unknown measure {spec.measure!r}; "
                f"use one of {', '.join(MEASURES)}"
            )
        check_measure(spec)
    return ScorecardSpec(
        scorecard.id,
        specs,
        BandCutoffs(scorecard.red_below, scorecard.green_from),
        tuple(scorecard.activity_events or ("login",)),
    )


def score_accounts(
    data: HealthInputs,
    scorecard: ScorecardSpec,
    *,
    as_of: date,
    activity: Mapping[str, ActivityInputs],
) -> dict[str, tuple[dict[str, float | None], ScoreResult]]:
    """Each account's measure values and score on `as_of` (accounts not yet
    created or no longer served, or without any data for the scorecard's
    measures, are left out)."""
    ctx = MeasureContext(as_of, activity, has_activity_data=bool(activity))
    scored = {}
    for account in data.accounts:
        if not data.is_scored_on(account, as_of):
            continue
        values = measure_values(data, account, ctx)
        result = score_values(values, scorecard.specs, scorecard.cutoffs)
        if result is not None:
            scored[account.id] = (values, result)
    return scored


def read_activity(
    store: EventStore | None, *, as_of: date, event_names: Sequence[str]
) -> dict[str, ActivityInputs]:
    if store is None:
        return {}
    return account_activity_inputs(store, as_of=as_of, event_names=event_names)


def compute_health_scores(
    session: Session,
    *,
    as_of: date,
    store: EventStore | None = None,
    scorecard_id: str | None = None,
) -> list[HealthScore]:
    """Score every account on `as_of` and keep the scores (replacing that day's).

    Without an event `store` the activity measures are missing for everyone.
    """
    started = clock.perf_counter()
    scorecard = load_scorecard(session, scorecard_id)
    activity = read_activity(store, as_of=as_of, event_names=scorecard.activity_events)
    scored = score_accounts(
        load_health_inputs(session), scorecard, as_of=as_of, activity=activity
    )
    week_ago = _scores_on(session, scorecard.id, as_of - timedelta(days=COMPARE_DAYS))
    session.execute(
        delete(HealthScore).where(
            HealthScore.scorecard_id == scorecard.id, HealthScore.as_of == as_of
        )
    )
    rows = [
        HealthScore(
            account_id=account_id,
            scorecard_id=scorecard.id,
            as_of=as_of,
            score=result.score,
            band=result.band,
            parts=_explain(result, week_ago.get(account_id), as_of=as_of),
        )
        for account_id, (_, result) in scored.items()
    ]
    session.add_all(rows)
    session.flush()
    log.info(
        "health.scores_computed",
        as_of=as_of.isoformat(),
        scorecard=scorecard.id,
        accounts=len(rows),
        seconds=round(clock.perf_counter() - started, 3),
    )
    return rows


def _scores_on(
    session: Session, scorecard_id: str, day: date
) -> dict[str, HealthScore]:
    rows = session.scalars(
        select(HealthScore).where(
            HealthScore.scorecard_id == scorecard_id, HealthScore.as_of == day
        )
    )
    return {row.account_id: row for row in rows}


def _explain(
    result: ScoreResult, before: HealthScore | None, *, as_of: date
) -> dict[str, Any]:
    measures = result.parts_json()
    if before is None:
        return {"measures": measures, "week_ago": None, "changes": []}
    return {
        "measures": measures,
        "week_ago": {
            "as_of": before.as_of.isoformat(),
            "score": before.score,
            "band": before.band,
            "score_change": result.score - before.score,
        },
        "changes": changes_since(measures, before.parts.get("measures", [])),
    }


def latest_scores(
    session: Session,
    *,
    as_of: date,
    account_id: str | None = None,
    scorecard_id: str | None = None,
) -> list[HealthScore]:
    """Each account's most recent kept score on or before `as_of`."""
    scorecard = load_scorecard(session, scorecard_id)
    kept = [HealthScore.scorecard_id == scorecard.id, HealthScore.as_of <= as_of]
    if account_id is not None:
        kept.append(HealthScore.account_id == account_id)
    last = (
        select(HealthScore.account_id, func.max(HealthScore.as_of).label("as_of"))
        .where(*kept)
        .group_by(HealthScore.account_id)
        .subquery()
    )
    query = (
        select(HealthScore)
        .join(
            last,
            and_(
                HealthScore.account_id == last.c.account_id,
                HealthScore.as_of == last.c.as_of,
            ),
        )
        .where(HealthScore.scorecard_id == scorecard.id)
        .order_by(HealthScore.score, HealthScore.account_id)
    )
    return list(session.scalars(query))


def run_health_job(workspace: Workspace, *, as_of: date) -> dict[str, int]:
    """The `health` job: score every account on `as_of` and keep the scores."""
    store = EventStore(workspace.settings.event_store_path)
    with transaction(workspace.engine) as session:
        scores = compute_health_scores(session, as_of=as_of, store=store)
    bands = Counter(score.band for score in scores)
    return {
        "accounts_scored": len(scores),
        **{f"band_{b}": n for b, n in bands.items()},
    }
