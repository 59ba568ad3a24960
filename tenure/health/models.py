"""Tables for scorecards (measures, thresholds, weights, bands) and daily scores."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

BANDS = ("red", "yellow", "green")


class Scorecard(Base):
    """A set of weighted measures and the score cut-offs of its bands.

    A score below `red_below` is red, from `green_from` up it is green, and
    yellow in between. `activity_events` names the product events that count as
    activity (`login` by default).
    """

    __tablename__ = "health_scorecards"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    red_below: Mapped[int] = mapped_column(Integer, default=40)
    green_from: Mapped[int] = mapped_column(Integer, default=70)
    activity_events: Mapped[list[str]] = mapped_column(JSON, default=list)


class ScorecardMeasure(Base):
    """One measure of a scorecard: its weight and its points by threshold.

    `thresholds` is a list of `[lower_bound, points]` pairs: a value earns the
    points of the highest lower bound at or below it (the lowest pair when it is
    below all of them).
    """

    __tablename__ = "health_scorecard_measures"
    __table_args__ = (UniqueConstraint("scorecard_id", "measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scorecard_id: Mapped[str] = mapped_column(
        ForeignKey("health_scorecards.id"), index=True
    )
    measure: Mapped[str] = mapped_column(String(64))
    weight: Mapped[int] = mapped_column(Integer)
    thresholds: Mapped[list[list[float]]] = mapped_column(JSON)


class HealthScore(Base):
    """An account's score on one day, with each measure's part in `parts`."""

    __tablename__ = "health_scores"
    __table_args__ = (UniqueConstraint("account_id", "scorecard_id", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    scorecard_id: Mapped[str] = mapped_column(ForeignKey("health_scorecards.id"))
    as_of: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(16))
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)


class ScorecardChange(Base):
    """Who changed a scorecard's bands or measures, when, and to what."""

    __tablename__ = "health_scorecard_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scorecard_id: Mapped[str] = mapped_column(
        ForeignKey("health_scorecards.id"), index=True
    )
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The scorecard before and after: bands and every measure's weight/thresholds.
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
