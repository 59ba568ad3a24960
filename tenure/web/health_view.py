"""What the account page and the API show of health scores: the latest kept one."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tenure.core.errors import NotFound
from tenure.health.service import latest_scores

NEVER_SCORED_HOW = (
    "run `tenure health --as-of YYYY-MM-DD` or the `health` job to score accounts"
)


class NeverScored(NotFound):
    """The account has no kept health score on or before the as-of day."""


@dataclass(frozen=True)
class HealthPanel:
    """The latest kept score of one account with its explanation."""

    account_id: str
    scorecard_id: str
    as_of: date
    score: int
    band: str
    measures: list[dict[str, Any]]
    week_ago: dict[str, Any] | None
    changes: list[dict[str, Any]]


def health_panel(
    session: Session, account_id: str, *, as_of: date
) -> HealthPanel | None:
    """The account's most recent score on or before `as_of`; None if never scored."""
    found = latest_scores(session, as_of=as_of, account_id=account_id)
    if not found:
        return None
    row = found[0]
    parts = row.parts or {}
    return HealthPanel(
        account_id=row.account_id,
        scorecard_id=row.scorecard_id,
        as_of=row.as_of,
        score=row.score,
        band=row.band,
        measures=list(parts.get("measures", [])),
        week_ago=parts.get("week_ago"),
        changes=list(parts.get("changes", [])),
    )


def health_panel_or_raise(
    session: Session, account_id: str, *, as_of: date
) -> HealthPanel:
    panel = health_panel(session, account_id, as_of=as_of)
    if panel is None:
        raise NeverScored(
            f"account {account_id!r} has no health score on or before {as_of}; "
            f"{NEVER_SCORED_HOW}"
        )
    return panel


def bands_by_account(session: Session, *, as_of: date) -> dict[str, str]:
    """Each scored account's band from its latest kept score."""
    return {row.account_id: row.band for row in latest_scores(session, as_of=as_of)}
