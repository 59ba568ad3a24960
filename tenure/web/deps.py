"""Request-scoped dependencies: a database session, the caller, the as-of day."""

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from tenure.core.db import make_session_factory
from tenure.core.workspace import Workspace
from tenure.web.portfolio import EARLIEST_DAY, LATEST_DAY, Portfolio
from tenure.web.portfolio_cache import PortfolioCache
from tenure.web.security import Identity, identify_or_raise, now_utc


def _db(request: Request) -> Iterator[Session]:
    workspace: Workspace = request.app.state.workspace
    with make_session_factory(workspace.engine)() as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


Db = Annotated[Session, Depends(_db)]


def _identity(request: Request, db: Db) -> Identity:
    identity = identify_or_raise(request, db)
    db.commit()
    return identity


Caller = Annotated[Identity, Depends(_identity)]


def _as_of(
    as_of: Annotated[
        date | None,
        Query(
            ge=EARLIEST_DAY,
            le=LATEST_DAY,
            description="The day the figures are as of (YYYY-MM-DD); today.",
        ),
    ] = None,
) -> date:
    return as_of or now_utc().date()


AsOf = Annotated[date, Depends(_as_of)]


def portfolio_of(request: Request, as_of: date) -> Portfolio:
    """The store's figures as of the day, rebuilt only after the store changed."""
    portfolios: PortfolioCache = request.app.state.portfolios
    return portfolios.get(as_of)
