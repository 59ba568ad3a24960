"""The values an alert rule's condition can name, per account on a day."""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from tenure.alerts.expression import Value
from tenure.health.activity_inputs import ActivityInputs
from tenure.health.inputs import HealthInputs, as_utc
from tenure.health.measures import MEASURES
from tenure.health.service import ScorecardSpec, score_accounts

DETRACTOR_MAX_SCORE = 6
EXTRA_VALUES = ("score", "band", "has_csm", "detractor_responses")
KNOWN_VALUES = frozenset((*MEASURES, *EXTRA_VALUES))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def detractor_count(
    data: HealthInputs, account_id: str, *, since: date, until: date
) -> int:
    """NPS answers from 0 to 6 given in `[since, until)`."""
    lo, hi = _midnight(since), _midnight(until)
    return sum(
        1
        for r in data.responses.get(account_id, [])
        if r.kind == "nps"
        and r.score is not None
        and r.score <= DETRACTOR_MAX_SCORE
        and lo <= as_utc(r.responded_at) < hi
    )


def account_values(
    data: HealthInputs,
    scorecard: ScorecardSpec,
    *,
    as_of: date,
    since: date,
    activity: Mapping[str, ActivityInputs],
) -> dict[str, dict[str, Value]]:
    """Every account's measures, score, band, CSM flag and new detractor answers.

    `since` is the day of the previous run: detractor answers count from then.
    """
    scored = score_accounts(data, scorecard, as_of=as_of, activity=activity)
    values: dict[str, dict[str, Value]] = {}
    for account in data.accounts:
        if not data.is_scored_on(account, as_of):
            continue
        measures, result = scored.get(account.id, ({}, None))
        row: dict[str, Value] = {name: measures.get(name) for name in MEASURES}
        row["score"] = float(result.score) if result else None
        row["band"] = result.band if result else None
        row["has_csm"] = account.csm_id is not None
        row["detractor_responses"] = float(
            detractor_count(data, account.id, since=since, until=as_of)
        )
        values[account.id] = row
    return values
