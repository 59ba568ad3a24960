"""Activity figures other packages call: per account and per contact, as of a day.

Windows are whole UTC days ending with `as_of`: the last 30 days are
`[as_of − 29, as_of]` and the 30 before them `[as_of − 59, as_of − 30]`.
Events after `as_of` are ignored, so a figure as of a past day is what it was
then. The figures read the daily rollups (`tenure.activity.rollups`); run
`update_rollups` (the `rollups` job) first for events stored since.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account
from tenure.activity.rollups import RollupStore, licensed_seats, seated_lines

WINDOW_DAYS = 30


@dataclass(frozen=True)
class AccountActivity:
    account_id: str
    last_login_on: date | None
    days_since_last_login: int | None
    last_seen_on: date | None
    active_contacts_30d: int
    logins_30d: int
    logins_prev_30d: int
    events_30d: int
    licensed_seats: int | None


@dataclass(frozen=True)
class ContactActivity:
    contact_id: str
    account_id: str
    last_seen_on: date
    last_login_on: date | None


def account_activity(
    engine: Engine,
    rollups: RollupStore,
    *,
    as_of: date,
    account_ids: Sequence[str] | None = None,
) -> list[AccountActivity]:
    """One row per account (all accounts, or those given), ordered by id; an
    account without events has no last login and zero counts."""
    with Session(engine) as session:
        query = select(Account.id).order_by(Account.id)
        if account_ids is not None:
            query = query.where(Account.id.in_(list(account_ids)))
        accounts = list(session.scalars(query))
        seats = licensed_seats(seated_lines(session), on=as_of)
    figures = _account_figures(rollups, as_of=as_of)
    rows = []
    for account_id in accounts:
        last_login_on, last_seen_on, logins, previous, events, contacts = figures.get(
            account_id, (None, None, 0, 0, 0, 0)
        )
        rows.append(
            AccountActivity(
                account_id=account_id,
                last_login_on=last_login_on,
                days_since_last_login=(as_of - last_login_on).days
                if last_login_on is not None
                else None,
                last_seen_on=last_seen_on,
                active_contacts_30d=contacts,
                logins_30d=logins,
                logins_prev_30d=previous,
                events_30d=events,
                licensed_seats=seats.get(account_id),
            )
        )
    return rows


def contact_last_seen(
    rollups: RollupStore, *, as_of: date, account_id: str | None = None
) -> list[ContactActivity]:
    """Each contact's last day with any event and with a login, up to `as_of`;
    contacts without events are not listed. Ordered by account, then contact."""
    if not rollups.days():
        return []
    sql = f"""
        SELECT contact_id, arg_max(account_id, day), max(day),
               CAST(max(last_login_at) AS DATE)
        FROM read_parquet('{_quoted(rollups.glob("contacts"))}')
        WHERE day <= ? AND (? IS NULL OR account_id = ?)
        GROUP BY contact_id
        ORDER BY 2, 1
    """
    with duckdb.connect() as connection:
        records = connection.execute(sql, [as_of, account_id, account_id]).fetchall()
    return [
        ContactActivity(contact_id, account, last_seen_on, last_login_on)
        for contact_id, account, last_seen_on, last_login_on in records
    ]


def _account_figures(
    rollups: RollupStore, *, as_of: date
) -> dict[str, tuple[date | None, date | None, int, int, int, int]]:
    if not rollups.days():
        return {}
    start = as_of - timedelta(days=WINDOW_DAYS - 1)
    sql = f"""
        WITH accounts AS (
            SELECT account_id,
                   CAST(max(last_login_at) AS DATE) AS last_login_on,
                   max(day) AS last_seen_on,
                   coalesce(sum(logins) FILTER (WHERE day >= $start), 0) AS logins,
                   coalesce(
                       sum(logins) FILTER (WHERE day < $start AND day >= $previous),
                       0
                   ) AS previous,
                   coalesce(sum(events) FILTER (WHERE day >= $start), 0) AS events
            FROM read_parquet('{_quoted(rollups.glob("accounts"))}')
            WHERE day <= $as_of
            GROUP BY account_id
        ),
        contacts AS (
            SELECT account_id, count(DISTINCT contact_id) AS active
            FROM read_parquet('{_quoted(rollups.glob("contacts"))}')
            WHERE day BETWEEN $start AND $as_of
            GROUP BY account_id
        )
        SELECT a.account_id, a.last_login_on, a.last_seen_on, a.logins,
               a.previous, a.events, coalesce(c.active, 0)
        FROM accounts a LEFT JOIN contacts c USING (account_id)
    """
    parameters = {
        "start": start,
        "previous": start - timedelta(days=WINDOW_DAYS),
        "as_of": as_of,
    }
    with duckdb.connect() as connection:
        records = connection.execute(sql, parameters).fetchall()
    return {
        account_id: (login_on, seen_on, int(logins), int(previous), int(events), active)
        for account_id, login_on, seen_on, logins, previous, events, active in records
    }


def _quoted(path: str) -> str:
    return path.replace("'", "''")


def event_counts(
    rollups: RollupStore, *, account_id: str, as_of: date, days: int = WINDOW_DAYS
) -> list[tuple[str, int]]:
    """Events by name for one account over the `days` days ending with `as_of`,
    most frequent first."""
    if not rollups.days():
        return []
    sql = f"""
        SELECT name, sum(events) AS events
        FROM read_parquet('{_quoted(rollups.glob("event_names"))}')
        WHERE account_id = ? AND day BETWEEN ? AND ?
        GROUP BY name
        ORDER BY events DESC, name
    """
    start = as_of - timedelta(days=days - 1)
    with duckdb.connect() as connection:
        records = connection.execute(sql, [account_id, start, as_of]).fetchall()
    return [(name, int(count)) for name, count in records]
