"""Portfolios kept between requests and rebuilt only when the store changes.

Building a `Portfolio` reads every contract line and builds the revenue
timeline; that takes seconds on a large book, far too long for each page. One
portfolio per as-of day is kept while the store's revision (moved by database
triggers on every write to the tables the figures come from, whoever writes)
stays the same, and for at most `MAX_AGE_SECONDS`: on PostgreSQL the revision
moves when a writer's statement runs, before it commits, so a portfolio built
in between could miss that write; the age limit bounds how long. Concurrent
requests for a portfolio being built wait for that
one build instead of starting their own.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from tenure.core.revision import store_revision
from tenure.core.settings import Settings
from tenure.web.portfolio import Portfolio

KEPT_DAYS = 4
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class _Kept:
    revision: int
    built_at: float
    portfolio: Portfolio


class PortfolioCache:
    """The latest portfolio of each of the last few as-of days asked for."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        kept_days: int = KEPT_DAYS,
        max_age_seconds: float = MAX_AGE_SECONDS,
    ) -> None:
        self._engine = engine
        self._max_age = max_age_seconds
        self._settings = settings
        self._kept_days = kept_days
        self._kept: OrderedDict[date, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._builds: dict[date, threading.Lock] = {}

    def get(self, as_of: date) -> Portfolio:
        """The portfolio as of the day, for the store as it is now."""
        revision = store_revision(self._engine)
        started = time.monotonic()
        kept = self._fresh(as_of, revision)
        if kept is not None:
            return kept
        with self._lock:
            build = self._builds.setdefault(as_of, threading.Lock())
        with build:
            kept = self._fresh(as_of, revision)
            if kept is not None:
                return kept
            portfolio = Portfolio(self._engine, self._settings, as_of=as_of)
            portfolio.warm()
            with self._lock:
                self._kept[as_of] = _Kept(revision, started, portfolio)
                self._kept.move_to_end(as_of)
                while len(self._kept) > self._kept_days:
                    self._kept.popitem(last=False)
            return portfolio

    def _fresh(self, as_of: date, revision: int) -> Portfolio | None:
        # A portfolio built after a newer revision was read is fresh for it too:
        # the revision is read before the store, so it never runs ahead of it.
        with self._lock:
            kept = self._kept.get(as_of)
            if (
                kept is None
                or kept.revision < revision
                or time.monotonic() - kept.built_at > self._max_age
            ):
                return None
            self._kept.move_to_end(as_of)
            return kept.portfolio
