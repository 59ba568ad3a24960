"""Activity measures per account, read from the event store with DuckDB.

The one place health and alerts read product activity: days since the last
login, logins in the 30 days before `as_of` against the 30 before those, and
contacts active in the last 30 days. Only events before `as_of` (00:00 UTC)
count, so a score for a past day never sees later events.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import duckdb

from tenure.activity.store import EventStore

# TODO: these measures are read from the raw event store, not from the daily
# rollups (`tenure.activity.service.account_activity`) — every health and alert
# run scans the events of the last 60 days, which grows slow with high volumes.
WINDOW_DAYS = 30
LOGIN_EVENTS = ("login",)


@dataclass(frozen=True)
class ActivityInputs:
    """One account's activity before a day; counts cover 30-day windows."""

    last_login_on: date | None
    logins_last_30_days: int
    logins_previous_30_days: int
    # None when recent events carry no contact id, so contacts are unknown.
    active_contacts_30_days: int | None


_QUERY = """
select
    account_id,
    max(occurred_at) as last_at,
    count(*) filter (where occurred_at >= $recent) as recent,
    count(*) filter (where occurred_at >= $earlier and occurred_at < $recent)
        as earlier,
    count(distinct contact_id) filter (where occurred_at >= $recent) as contacts,
    count(contact_id) filter (where occurred_at >= $recent) as with_contact
from read_parquet($glob, hive_partitioning = true)
where occurred_at < $cutoff
  and account_id is not null
  and list_contains($names, name)
group by account_id
"""


def account_activity_inputs(
    store: EventStore, *, as_of: date, event_names: Sequence[str] = LOGIN_EVENTS
) -> dict[str, ActivityInputs]:
    """Activity inputs of every account with a matching event before `as_of`.

    `event_names` chooses which events count as a login (for a product that
    sends only feature usage, pass its event name). Accounts without any
    matching event are absent: their activity is unknown, not zero.
    """
    if not store.files():
        return {}
    cutoff = datetime.combine(as_of, time(), tzinfo=UTC)
    recent = cutoff - timedelta(days=WINDOW_DAYS)
    parameters = {
        "glob": store.glob,
        "cutoff": cutoff,
        "recent": recent,
        "earlier": recent - timedelta(days=WINDOW_DAYS),
        "names": list(event_names),
    }
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        rows = connection.execute(_QUERY, parameters).fetchall()
    return {
        account_id: ActivityInputs(
            last_login_on=last_at.astimezone(UTC).date(),
            logins_last_30_days=int(recent_count),
            logins_previous_30_days=int(earlier_count),
            active_contacts_30_days=(
                None if recent_count and not with_contact else int(contacts)
            ),
        )
        for (
            account_id,
            last_at,
            recent_count,
            earlier_count,
            contacts,
            with_contact,
        ) in rows
    }
