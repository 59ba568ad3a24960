"""Replay a scorecard over history and measure how well it foresaw losses.

On each as-of date (every `step_days` from `start` up to `end`) every account
with ARR on the eve is scored from data before that day only, then followed for
`horizon_days`: an *event* is the first fall of its ARR (churn or contraction,
from the revenue engine's timeline). Reported: AUC of the score (lower score =
higher risk) against events, the event rate per band, lift of red over green,
and the median lead time from the first red score to the event it foresaw.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

import structlog
from sqlalchemy.orm import Session

from tenure.activity.store import EventStore
from tenure.health.errors import InvalidBacktest
from tenure.health.inputs import load_health_inputs
from tenure.health.models import BANDS
from tenure.health.outcomes import Loss, arr_before, churned_on, first_loss
from tenure.health.service import load_scorecard, read_activity, score_accounts

log = structlog.get_logger()


@dataclass(frozen=True)
class Observation:
    as_of: date
    account_id: str
    score: int
    band: str
    loss: Loss | None
    is_churned: bool


@dataclass(frozen=True)
class BandOutcome:
    band: str
    observations: int
    events: int
    event_rate: float | None


@dataclass
class BacktestReport:
    start: date
    end: date
    step_days: int
    horizon_days: int
    as_of_dates: int
    observations: int
    events: int
    churn_events: int
    contraction_events: int
    auc: float | None
    # AUC against logo churn alone (ARR reaching zero within the horizon).
    churn_auc: float | None
    bands: list[BandOutcome]
    red_over_green_lift: float | None
    median_lead_time_days: float | None
    warnings: list[str] = field(default_factory=list)


def as_of_dates(start: date, end: date, step_days: int) -> list[date]:
    """`start`, `start + step`, ... up to and including `end`."""
    if step_days < 1:
        raise InvalidBacktest(f"step of {step_days} days; use 1 or more, e.g. 7 or 30")
    if end < start:
        raise InvalidBacktest(f"--to {end} is before --from {start}; swap them")
    count = (end - start).days // step_days + 1
    return [start + timedelta(days=step_days * index) for index in range(count)]


def area_under_curve(risks: Sequence[float], labels: Sequence[bool]) -> float | None:
    """AUC by the rank-sum (Mann–Whitney) formula, ties counted as one half."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(risks)), key=lambda index: risks[index])
    ranks = [0.0] * len(risks)
    start = 0
    while start < len(order):
        stop = start
        while stop + 1 < len(order) and risks[order[stop + 1]] == risks[order[start]]:
            stop += 1
        for position in range(start, stop + 1):
            ranks[order[position]] = (start + stop) / 2 + 1
        start = stop + 1
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def _band_outcomes(observations: Sequence[Observation]) -> list[BandOutcome]:
    outcomes = []
    for band in BANDS:
        rows = [row for row in observations if row.band == band]
        events = sum(1 for row in rows if row.loss is not None)
        rate = events / len(rows) if rows else None
        outcomes.append(BandOutcome(band, len(rows), events, rate))
    return outcomes


def _median_lead_time(observations: Sequence[Observation]) -> float | None:
    """Days from the earliest red score to the loss it foresaw, median over losses."""
    earliest: dict[tuple[str, date], date] = {}
    for row in observations:
        if row.band == "red" and row.loss is not None:
            key = (row.account_id, row.loss.on)
            earliest[key] = min(earliest.get(key, row.as_of), row.as_of)
    leads = [(loss_on - as_of).days for (_, loss_on), as_of in earliest.items()]
    return float(median(leads)) if leads else None


def run_backtest(
    session: Session,
    *,
    start: date,
    end: date,
    horizon_days: int,
    step_days: int = 30,
    store: EventStore | None = None,
    scorecard_id: str | None = None,
    activity_events: Sequence[str] | None = None,
) -> BacktestReport:
    """Score history every `step_days` and compare with what followed."""
    if horizon_days < 1:
        raise InvalidBacktest(f"horizon of {horizon_days} days; use e.g. 90d")
    days = as_of_dates(start, end, step_days)
    scorecard = load_scorecard(session, scorecard_id)
    events = tuple(activity_events or scorecard.activity_events)
    data = load_health_inputs(session)
    observations: list[Observation] = []
    for as_of in days:
        activity = read_activity(store, as_of=as_of, event_names=events)
        scored = score_accounts(data, scorecard, as_of=as_of, activity=activity)
        for account_id, (_, result) in scored.items():
            if arr_before(data, account_id, as_of) <= 0:
                continue
            loss = first_loss(data, account_id, as_of=as_of, horizon_days=horizon_days)
            churn = churned_on(data, account_id, as_of=as_of, horizon_days=horizon_days)
            observations.append(
                Observation(
                    as_of,
                    account_id,
                    result.score,
                    result.band,
                    loss,
                    churn is not None,
                )
            )
    return _report(observations, start, end, step_days, horizon_days, len(days))


def _report(
    observations: list[Observation],
    start: date,
    end: date,
    step_days: int,
    horizon_days: int,
    dates: int,
) -> BacktestReport:
    labels = [row.loss is not None for row in observations]
    risks = [100.0 - row.score for row in observations]
    bands = _band_outcomes(observations)
    rate = {outcome.band: outcome.event_rate for outcome in bands}
    red, green = rate.get("red"), rate.get("green")
    kinds: dict[str, int] = defaultdict(int)
    for row in observations:
        if row.loss is not None:
            kinds[row.loss.kind] += 1
    report = BacktestReport(
        start=start,
        end=end,
        step_days=step_days,
        horizon_days=horizon_days,
        as_of_dates=dates,
        observations=len(observations),
        events=sum(labels),
        churn_events=kinds["churn"],
        contraction_events=kinds["contraction"],
        auc=area_under_curve(risks, labels),
        churn_auc=area_under_curve(risks, [row.is_churned for row in observations]),
        bands=bands,
        red_over_green_lift=red / green if red is not None and green else None,
        median_lead_time_days=_median_lead_time(observations),
    )
    if report.auc is None:
        report.warnings.append("AUC is undefined: no events, or only events")
    if any(outcome.observations < 30 for outcome in bands):
        report.warnings.append("a band has fewer than 30 observations; rates are noisy")
    log.info(
        "health.backtest_finished",
        observations=report.observations,
        events=report.events,
        auc=report.auc,
    )
    return report
