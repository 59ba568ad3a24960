"""Roll a chunk of days at once: three DuckDB aggregates over the chunk's events.

The rollup job hands over the events of several consecutive days (with their
`day`) and the seated contract lines; each query groups by day first, so the
answer for a day is exactly what rolling that day alone would give, while the
fixed cost of a query is paid once per chunk instead of once per day.
"""

from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

LOGIN = "login"
ACCOUNT_DAY_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("account_id", pa.string()),
        ("events", pa.int64()),
        ("logins", pa.int64()),
        ("active_contacts", pa.int64()),
        ("licensed_seats", pa.int64()),
        ("last_seen_at", pa.timestamp("us", tz="UTC")),
        ("last_login_at", pa.timestamp("us", tz="UTC")),
    ]
)
CONTACT_DAY_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("contact_id", pa.string()),
        ("account_id", pa.string()),
        ("events", pa.int64()),
        ("logins", pa.int64()),
        ("last_seen_at", pa.timestamp("us", tz="UTC")),
        ("last_login_at", pa.timestamp("us", tz="UTC")),
    ]
)
EVENT_NAME_DAY_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("account_id", pa.string()),
        ("name", pa.string()),
        ("events", pa.int64()),
    ]
)
SEATED_LINE_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
        ("quantity", pa.int64()),
    ]
)
ROLLUP_SCHEMAS = {
    "accounts": ACCOUNT_DAY_SCHEMA,
    "contacts": CONTACT_DAY_SCHEMA,
    "event_names": EVENT_NAME_DAY_SCHEMA,
}

_LOGIN_COUNT = f"count(*) FILTER (WHERE name = '{LOGIN}')"
_LAST_LOGIN = f"max(occurred_at) FILTER (WHERE name = '{LOGIN}')"
_QUERIES = {
    "accounts": f"""
        WITH days AS (
            SELECT day, account_id, count(*) AS events, {_LOGIN_COUNT} AS logins,
                   count(DISTINCT contact_id) AS active_contacts,
                   max(occurred_at) AS last_seen_at, {_LAST_LOGIN} AS last_login_at
            FROM events GROUP BY day, account_id
        ),
        seats AS (
            SELECT d.day, d.account_id, sum(l.quantity)::BIGINT AS licensed_seats
            FROM days d JOIN lines l ON l.account_id = d.account_id
                AND l.starts_on <= d.day AND (l.ends_on IS NULL OR l.ends_on > d.day)
            GROUP BY d.day, d.account_id
        )
        SELECT d.day, d.account_id, d.events, d.logins, d.active_contacts,
               s.licensed_seats, d.last_seen_at, d.last_login_at
        FROM days d LEFT JOIN seats s USING (day, account_id)
        ORDER BY d.day, d.account_id
    """,
    "contacts": f"""
        SELECT day, contact_id, account_id, count(*) AS events,
               {_LOGIN_COUNT} AS logins, max(occurred_at) AS last_seen_at,
               {_LAST_LOGIN} AS last_login_at
        FROM events WHERE contact_id IS NOT NULL
        GROUP BY day, contact_id, account_id
        ORDER BY day, contact_id, account_id
    """,
    "event_names": """
        SELECT day, account_id, name, count(*) AS events
        FROM events GROUP BY day, account_id, name
        ORDER BY day, account_id, name
    """,
}


def seated_line_table(rows: list[tuple[str, date, date | None, int]]) -> pa.Table:
    """(account, starts_on, ends_on, quantity) rows as the table the queries join."""
    return pa.Table.from_arrays(
        [
            pa.array([row[index] for row in rows], field.type)
            for index, field in enumerate(SEATED_LINE_SCHEMA)
        ],
        schema=SEATED_LINE_SCHEMA,
    )


def roll_days(events: pa.Table, lines: pa.Table) -> dict[str, dict[date, pa.Table]]:
    """Each rollup table of the chunk, split by day (days without rows are absent).

    `events` has `day`, `account_id` (never null), `contact_id`, `name` and
    `occurred_at`.
    """
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        connection.register("events", events)
        connection.register("lines", lines)
        return {
            name: _by_day(
                connection.sql(query).to_arrow_table().cast(ROLLUP_SCHEMAS[name])
            )
            for name, query in _QUERIES.items()
        }


def _by_day(table: pa.Table) -> dict[date, pa.Table]:
    """Slices of a table sorted by day, one per day."""
    counts: list[dict[str, Any]] = pc.value_counts(table.column("day")).to_pylist()
    slices = {}
    offset = 0
    for entry in counts:
        slices[entry["values"]] = table.slice(offset, entry["counts"])
        offset += entry["counts"]
    return slices
