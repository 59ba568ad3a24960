"""The account page's contacts: role, e-mail, last login and logins in 30 days.

Read from the daily rollups (the `rollups` job), so a login since the last run
shows after the next one. Windows are whole UTC days ending with `as_of`, as in
`tenure.activity.service`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from tenure.accounts.models import Contact
from tenure.activity.rollups import RollupStore
from tenure.activity.service import WINDOW_DAYS


@dataclass(frozen=True)
class ContactRow:
    contact: Contact
    last_login_on: date | None
    logins_30d: int


@dataclass(frozen=True)
class ContactPanel:
    """Contacts with their logins; `active_30d` counts every contact with any
    event in the 30 days, `has_rollups` is False before the first rollup."""

    rows: list[ContactRow]
    active_30d: int
    has_rollups: bool


def _figures(
    rollups: RollupStore, *, account_id: str, as_of: date
) -> dict[str, tuple[date | None, int, int]]:
    path = rollups.glob("contacts").replace("'", "''")
    sql = f"""
        SELECT contact_id,
               CAST(max(last_login_at) AS DATE),
               coalesce(sum(logins) FILTER (WHERE day >= $start), 0),
               coalesce(sum(events) FILTER (WHERE day >= $start), 0)
        FROM read_parquet('{path}')
        WHERE account_id = $account AND day <= $as_of
        GROUP BY contact_id
    """
    parameters = {
        "start": as_of - timedelta(days=WINDOW_DAYS - 1),
        "account": account_id,
        "as_of": as_of,
    }
    with duckdb.connect() as connection:
        records = connection.execute(sql, parameters).fetchall()
    return {
        contact_id: (login_on, int(logins), int(events))
        for contact_id, login_on, logins, events in records
    }


def contact_panel(
    rollups: RollupStore, contacts: list[Contact], *, account_id: str, as_of: date
) -> ContactPanel:
    """The account's contacts, most recent login first, never-seen ones last."""
    has_rollups = bool(rollups.days())
    figures = (
        _figures(rollups, account_id=account_id, as_of=as_of) if has_rollups else {}
    )
    rows = [ContactRow(c, *figures.get(c.id, (None, 0, 0))[:2]) for c in contacts]
    rows.sort(
        key=lambda r: (
            r.last_login_on is None,
            -(r.last_login_on or date.min).toordinal(),
        )
    )
    active = sum(1 for _, _, events in figures.values() if events > 0)
    return ContactPanel(rows, active, has_rollups)
