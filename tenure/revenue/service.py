"""Per-account revenue figures on a day, read through the caller's session."""

from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.revenue.fx import RateBook
from tenure.revenue.models import (
    Cancellation,
    ContractLine,
    Discount,
    ExchangeRate,
    Pause,
)
from tenure.revenue.policy import MetricOptions
from tenure.revenue.seats import licensed_seats
from tenure.revenue.timeline import RevenueInputs, build_segments, round_half_up


def load_revenue_inputs(session: Session) -> RevenueInputs:
    """Every contract line and what changes its ARR, as the session sees them."""
    return RevenueInputs(
        lines=list(session.scalars(select(ContractLine))),
        discounts=list(session.scalars(select(Discount))),
        pauses=list(session.scalars(select(Pause))),
        cancellations=list(session.scalars(select(Cancellation))),
    )


def arr_by_account(
    session: Session, *, on: date, options: MetricOptions | None = None
) -> dict[str, int]:
    """Each account's ARR on `on` in reporting-currency cents; accounts at 0 left out.

    The same ARR the metric suite reports as ending ARR for a period ending on
    `on`: bridged gaps included, lines converted at the rate on that day.
    """
    options = options or MetricOptions()
    segments = build_segments(load_revenue_inputs(session), options)
    rates = RateBook(
        list(session.scalars(select(ExchangeRate))), options.reporting_currency
    )
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for segment in segments:
        if segment.is_active_on(on):
            rate = rates.rate(segment.currency, on)
            totals[segment.account_id] += segment.arr_cents * rate
    return {
        account_id: round_half_up(total)
        for account_id, total in sorted(totals.items())
        if total > 0
    }


def seats_by_account(session: Session, *, on: date) -> dict[str, int]:
    """Licensed seats per account on a day (see `licensed_seats`)."""
    return licensed_seats(
        list(session.scalars(select(ContractLine))),
        on=on,
        cancellations=list(session.scalars(select(Cancellation))),
    )
