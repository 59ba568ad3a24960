"""The values of every health measure for an account on a day.

Each function reads only what happened before `as_of` (00:00 UTC) and returns
None when the account has no data for the measure, so a scorecard can show it
as missing instead of counting it as zero.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean

from tenure.accounts.models import Account
from tenure.core.time import Period
from tenure.health.activity_inputs import ActivityInputs
from tenure.health.inputs import HealthInputs, as_utc
from tenure.revenue.renewal import due_dates

TICKET_WINDOW_DAYS = 90
SATISFACTION_WINDOW_DAYS = 180
NPS_WINDOW_DAYS = 365
NOTE_WINDOW_DAYS = 90
ARR_TREND_DAYS = 90
RENEWAL_LOOKAHEAD_DAYS = 800
TERM_INTERVALS = ("quarter", "year")
NEGATIVE_NOTE_TAGS = frozenset(("pricing", "competitor", "budget", "champion_left"))


@dataclass(frozen=True)
class MeasureContext:
    """What a measure needs besides the store rows: the day and product activity.

    `has_activity_data` is False when the event store holds no activity events
    at all; activity measures are then missing rather than alarming.
    """

    as_of: date
    activity: Mapping[str, ActivityInputs]
    has_activity_data: bool

    @property
    def cutoff(self) -> datetime:
        return datetime.combine(self.as_of, time(), tzinfo=UTC)


Measure = Callable[[HealthInputs, Account, MeasureContext], float | None]


def days_since_last_login(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Days from the last login; an account never seen counts from its creation."""
    if not ctx.has_activity_data:
        return None
    activity = ctx.activity.get(account.id)
    since = activity.last_login_on if activity else account.created_on
    if since is None or since > ctx.as_of:
        return None
    return float((ctx.as_of - since).days)


def _licensed_seats(data: HealthInputs, account: Account, day: date) -> int:
    return sum(
        line.quantity or 0
        for line in data.lines.get(account.id, [])
        if line.kind == "paid"
        and line.starts_on <= day
        and (line.ends_on is None or day < line.ends_on)
    )


def seat_utilisation_rate(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Contacts active in the last 30 days ÷ seats of paid lines active on the day."""
    seats = _licensed_seats(data, account, ctx.as_of)
    if not ctx.has_activity_data or seats <= 0:
        return None
    activity = ctx.activity.get(account.id)
    if activity is None:
        return 0.0
    if activity.active_contacts_30_days is None:
        return None
    return activity.active_contacts_30_days / seats


def usage_trend_rate(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Logins in the last 30 days against the 30 before: −1 (stopped) to +1 and up."""
    activity = ctx.activity.get(account.id)
    if activity is None or activity.logins_previous_30_days == 0:
        return 1.0 if activity and activity.logins_last_30_days else None
    last, before = activity.logins_last_30_days, activity.logins_previous_30_days
    return (last - before) / before


def nps_average(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Mean of each contact's latest NPS score (0–10) in the last year."""
    since = ctx.cutoff - timedelta(days=NPS_WINDOW_DAYS)
    latest: dict[str, tuple[datetime, int]] = {}
    for response in data.responses.get(account.id, []):
        at = as_utc(response.responded_at)
        if response.kind != "nps" or response.score is None:
            continue
        if not since <= at < ctx.cutoff:
            continue
        key = response.contact_id or response.id
        if key not in latest or latest[key][0] < at:
            latest[key] = (at, response.score)
    return fmean(score for _, score in latest.values()) if latest else None


def open_tickets(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Tickets opened before the day and not closed by then."""
    return float(
        sum(
            1
            for t in data.tickets.get(account.id, [])
            if as_utc(t.opened_at) < ctx.cutoff
            and (t.closed_at is None or as_utc(t.closed_at) >= ctx.cutoff)
        )
    )


def escalated_tickets(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Escalated tickets opened in the last 90 days."""
    since = ctx.cutoff - timedelta(days=TICKET_WINDOW_DAYS)
    return float(
        sum(
            1
            for t in data.tickets.get(account.id, [])
            if t.is_escalated and since <= as_utc(t.opened_at) < ctx.cutoff
        )
    )


def ticket_satisfaction(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Mean satisfaction of tickets closed in the last 180 days."""
    since = ctx.cutoff - timedelta(days=SATISFACTION_WINDOW_DAYS)
    scores = [
        t.satisfaction
        for t in data.tickets.get(account.id, [])
        if t.satisfaction is not None
        and t.closed_at is not None
        and since <= as_utc(t.closed_at) < ctx.cutoff
    ]
    return fmean(scores) if scores else None


def arr_trend_rate(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """ARR on the eve of the day against 90 days earlier, as a change rate."""
    eve = ctx.as_of - timedelta(days=1)
    before = data.arr_on(account.id, eve - timedelta(days=ARR_TREND_DAYS))
    if before <= 0:
        return None
    return (data.arr_on(account.id, eve) - before) / before


def days_to_renewal(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Days to the next pending renewal, or to the next term end of a paid line."""
    dues = [
        r.due_on
        for r in data.renewals.get(account.id, [])
        if r.due_on >= ctx.as_of and (r.decided_on is None or r.decided_on >= ctx.as_of)
    ]
    if not dues:
        ahead = Period(
            ctx.as_of, ctx.as_of + timedelta(days=RENEWAL_LOOKAHEAD_DAYS), "ahead"
        )
        for line in data.lines.get(account.id, []):
            is_term = line.kind == "paid" and line.interval in TERM_INTERVALS
            if is_term and line.starts_on < ctx.as_of:
                dues.extend(due_dates(line, ahead)[:1])
    return float((min(dues) - ctx.as_of).days) if dues else None


def negative_note_tags(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> float | None:
    """Notes of the last 90 days tagged pricing, competitor, budget or champion
    left; missing when the account has no notes in that window."""
    since = ctx.cutoff - timedelta(days=NOTE_WINDOW_DAYS)
    recent = [
        note
        for note in data.notes.get(account.id, [])
        if since <= note.occurred_at < ctx.cutoff
    ]
    if not recent:
        return None
    return float(sum(1 for note in recent if note.tags & NEGATIVE_NOTE_TAGS))


MEASURES: dict[str, Measure] = {
    "days_since_last_login": days_since_last_login,
    "seat_utilisation_rate": seat_utilisation_rate,
    "usage_trend_rate": usage_trend_rate,
    "nps_average": nps_average,
    "open_tickets": open_tickets,
    "escalated_tickets": escalated_tickets,
    "ticket_satisfaction": ticket_satisfaction,
    "arr_trend_rate": arr_trend_rate,
    "days_to_renewal": days_to_renewal,
    "negative_note_tags": negative_note_tags,
}


def measure_values(
    data: HealthInputs, account: Account, ctx: MeasureContext
) -> dict[str, float | None]:
    """Every known measure of one account on `ctx.as_of`."""
    return {name: measure(data, account, ctx) for name, measure in MEASURES.items()}
