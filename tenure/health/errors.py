"""Errors of scorecards, health scores and the backtest."""

from tenure.core.errors import InvalidInput, NotFound
from tenure.health.scoring import InvalidScorecard


class ScorecardNotFound(NotFound):
    """No scorecard has the id asked for, or none is marked default."""


class InvalidBacktest(InvalidInput):
    """A backtest's dates, step or horizon cannot be used."""


__all__ = ["InvalidBacktest", "InvalidScorecard", "ScorecardNotFound"]
