"""Daily rollups of the event store, per account and per contact.

Stored as Parquet beside the event store, under `<home>/rollups/`:

- `day=YYYY-MM-DD/accounts.parquet`: day, account_id, events, logins,
  active_contacts (distinct contacts with any event), licensed_seats,
  last_seen_at, last_login_at;
- `day=YYYY-MM-DD/contacts.parquet`: day, contact_id, account_id, events,
  logins, last_seen_at, last_login_at;
- `day=YYYY-MM-DD/event_names.parquet`: day, account_id, name, events;
- `watermark.json`: for each rolled day, the event part files it was built from.

A day is the UTC day of `occurred_at`, as in the event store. The rollup is
incremental: a run lists the part files of each day (no reading) and rebuilds
only the days whose files differ from the watermark, so a new day's events, or
late events for an old day, never make it rescan the rest of history.

An event without an account takes the account of its contact as the contacts
table has it when its day is rolled. Licensed seats are the summed quantity of
the account's paid, free and instalment contract lines active on the day
(trials and one-off lines give no seats).
"""

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import structlog
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from tenure.accounts.models import Contact
from tenure.activity.store import EVENT_SCHEMA, EventStore
from tenure.core.settings import Settings
from tenure.core.workspace import Workspace
from tenure.revenue.models import ContractLine

log = structlog.get_logger()

LOGIN = "login"
_SAVE_EVERY_DAYS = 100
SEATED_KINDS = ("paid", "free", "installment")
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
_FILES = {
    "accounts": ACCOUNT_DAY_SCHEMA,
    "contacts": CONTACT_DAY_SCHEMA,
    "event_names": EVENT_NAME_DAY_SCHEMA,
}


class RollupStore:
    """The daily rollups under `root` (by default `<home>/rollups`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def glob(self, table: str) -> str:
        """The pattern DuckDB reads one rollup table with (`accounts`, ...)."""
        return str(self.root / "day=*" / f"{table}.parquet")

    def days(self) -> list[date]:
        return sorted(date.fromisoformat(day) for day in self.watermark())

    def watermark(self) -> dict[str, list[str]]:
        """For each rolled day, the sorted names of the event files behind it."""
        path = self.root / "watermark.json"
        if not path.is_file():
            return {}
        document = json.loads(path.read_text(encoding="utf-8"))
        days: dict[str, list[str]] = document["days"]
        return days

    def save_watermark(self, days: dict[str, list[str]]) -> None:
        """Record rolled days once their files are on disk: the day files are
        not fsynced one by one (they can be rebuilt), so flush them all first."""
        os.sync()
        _write_atomically(
            self.root / "watermark.json",
            json.dumps({"version": 1, "days": days}, sort_keys=True).encode(),
        )

    def read(self, table: str) -> pa.Table:
        """One rollup table over every day (for small stores and tests)."""
        schema = _FILES[table]
        paths = sorted(self.root.glob(f"day=*/{table}.parquet"))
        if not paths:
            return schema.empty_table()
        return pa.concat_tables(pq.read_table(path, schema=schema) for path in paths)

    def write_day(self, day: date, tables: dict[str, pa.Table]) -> None:
        folder = self.root / f"day={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            sink = pa.BufferOutputStream()
            pq.write_table(table, sink)
            _write_atomically(
                folder / f"{name}.parquet",
                sink.getvalue().to_pybytes(),
                is_synced=False,
            )


@dataclass
class RollupRun:
    days_rolled: int
    days_unchanged: int
    events_read: int
    events_without_account: int


def update_rollups(
    engine: Engine, store: EventStore, rollups: RollupStore
) -> RollupRun:
    """Roll every day whose event files changed since the last run."""
    started = time.perf_counter()
    pending = _pending_days(store, rollups)
    watermark = rollups.watermark()
    run = RollupRun(0, len(watermark), 0, 0)
    if pending:
        with Session(engine) as session:
            seats = SeatBook(
                seated_lines(session, between=(min(pending), max(pending)))
            )
        contact_accounts = _ContactAccounts(engine)
        for day, files in sorted(pending.items()):
            events = _read_events(files)
            events, orphans = _attach_accounts(events, contact_accounts)
            rollups.write_day(day, _roll_day(day, events, seats))
            watermark[day.isoformat()] = sorted(path.name for path in files)
            run.days_rolled += 1
            # Saved now and then so that an interrupted run resumes near where
            # it stopped.
            if run.days_rolled % _SAVE_EVERY_DAYS == 0:
                rollups.save_watermark(watermark)
            run.events_read += events.num_rows + orphans
            run.events_without_account += orphans
        rollups.save_watermark(watermark)
    run.days_unchanged = len(watermark) - run.days_rolled
    log.info(
        "activity.rollups_updated",
        days_rolled=run.days_rolled,
        days_unchanged=run.days_unchanged,
        events=run.events_read,
        events_without_account=run.events_without_account,
        seconds=round(time.perf_counter() - started, 3),
    )
    return run


def _pending_days(store: EventStore, rollups: RollupStore) -> dict[date, list[Path]]:
    by_day: dict[str, list[Path]] = {}
    for path in store.files():
        by_day.setdefault(path.parent.name.removeprefix("day="), []).append(path)
    done = rollups.watermark()
    return {
        date.fromisoformat(day): files
        for day, files in by_day.items()
        if done.get(day) != sorted(path.name for path in files)
    }


def _read_events(files: Iterable[Path]) -> pa.Table:
    columns = ["account_id", "contact_id", "name", "occurred_at"]
    schema = pa.schema([EVENT_SCHEMA.field(name) for name in columns])
    return pa.concat_tables(
        pq.read_table(path, columns=columns, schema=schema) for path in files
    )


class _ContactAccounts:
    """Each contact's account, read on first need: most stores have an account
    on every event and never need them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._accounts: dict[str, str] | None = None

    def get(self, contact_id: str) -> str | None:
        if self._accounts is None:
            with Session(self._engine) as session:
                rows = session.execute(select(Contact.id, Contact.account_id))
                self._accounts = {contact: account for contact, account in rows}
        return self._accounts.get(contact_id)


def seated_lines(
    session: Session, *, between: tuple[date, date] | None = None
) -> list[tuple[str, date, date | None, int]]:
    """(account, starts_on, ends_on, quantity) of the lines that give seats,
    only those active on some day of `between` (first and last day) if given."""
    query = select(
        ContractLine.account_id,
        ContractLine.starts_on,
        ContractLine.ends_on,
        ContractLine.quantity,
    ).where(ContractLine.kind.in_(SEATED_KINDS), ContractLine.quantity.is_not(None))
    if between is not None:
        first, last = between
        query = query.where(
            ContractLine.starts_on <= last,
            or_(ContractLine.ends_on.is_(None), ContractLine.ends_on > first),
        )
    return [
        (account_id, starts_on, ends_on, int(quantity or 0))
        for account_id, starts_on, ends_on, quantity in session.execute(query)
    ]


def licensed_seats(
    lines: Iterable[tuple[str, date, date | None, int]], *, on: date
) -> dict[str, int]:
    """Seats per account on a day: the quantity of the lines active on it."""
    seats: dict[str, int] = {}
    for account_id, starts_on, ends_on, quantity in lines:
        if starts_on <= on and (ends_on is None or on < ends_on):
            seats[account_id] = seats.get(account_id, 0) + quantity
    return seats


class SeatBook:
    """Licensed seats of any accounts on any day, computed column-wise so that
    rolling a day costs one pass over the seated lines, not one per account."""

    def __init__(self, lines: Iterable[tuple[str, date, date | None, int]]) -> None:
        rows = list(lines)
        self._lines = pa.table(
            {
                "account_id": pa.array([row[0] for row in rows], pa.string()),
                "starts_on": pa.array([row[1] for row in rows], pa.date32()),
                "ends_on": pa.array([row[2] for row in rows], pa.date32()),
                "quantity": pa.array([row[3] for row in rows], pa.int64()),
            }
        )

    def on(self, day: date, account_ids: pa.Array) -> pa.Array:
        """Seats of each account on `day`; null for an account without a seated
        line active then."""
        lines = self._lines
        when = pa.scalar(day, pa.date32())
        active = pc.and_(
            pc.less_equal(lines.column("starts_on"), when),
            pc.or_kleene(
                pc.is_null(lines.column("ends_on")),
                pc.greater(lines.column("ends_on"), when),
            ),
        )
        totals = (
            lines.filter(active).group_by("account_id").aggregate([("quantity", "sum")])
        )
        index = pc.index_in(account_ids, value_set=totals.column("account_id"))
        return pc.take(totals.column("quantity_sum"), index)


def _attach_accounts(
    events: pa.Table, contact_accounts: _ContactAccounts
) -> tuple[pa.Table, int]:
    """Give account-less events their contact's account; drop the rest."""
    # TODO: a day already rolled is not rebuilt when a contact is linked to an
    # account later — its earlier account-less events stay uncounted until that
    # day's files change; send `group` before `track` to avoid it.
    accounts = events.column("account_id")
    if accounts.null_count:
        filled = [
            account if account is not None else contact_accounts.get(contact or "")
            for account, contact in zip(
                accounts.to_pylist(),
                events.column("contact_id").to_pylist(),
                strict=True,
            )
        ]
        index = events.schema.get_field_index("account_id")
        events = events.set_column(index, "account_id", pa.array(filled, pa.string()))
    kept = events.filter(pc.is_valid(events.column("account_id")))
    return kept, events.num_rows - kept.num_rows


# TODO: days are UTC days, not the workspace time zone — for a team far from
# UTC an evening login counts on the next calendar day.
def _roll_day(day: date, events: pa.Table, seats: SeatBook) -> dict[str, pa.Table]:
    is_login = pc.equal(events.column("name"), LOGIN)
    login_at = pc.if_else(is_login, events.column("occurred_at"), None)
    events = events.append_column("is_login", pc.cast(is_login, pa.int64()))
    events = events.append_column("login_at", login_at)
    return {
        "accounts": _account_day(day, events, seats),
        "contacts": _contact_day(day, events),
        "event_names": _event_name_day(day, events),
    }


def _account_day(day: date, events: pa.Table, seats: SeatBook) -> pa.Table:
    grouped = events.group_by("account_id").aggregate(
        [
            ("name", "count"),
            ("is_login", "sum"),
            ("contact_id", "count_distinct"),
            ("occurred_at", "max"),
            ("login_at", "max"),
        ]
    )
    account_ids = grouped.column("account_id")
    return _table(
        ACCOUNT_DAY_SCHEMA,
        day=[day] * grouped.num_rows,
        account_id=account_ids,
        events=grouped.column("name_count"),
        logins=grouped.column("is_login_sum"),
        active_contacts=grouped.column("contact_id_count_distinct"),
        licensed_seats=seats.on(day, account_ids),
        last_seen_at=grouped.column("occurred_at_max"),
        last_login_at=grouped.column("login_at_max"),
    )


def _contact_day(day: date, events: pa.Table) -> pa.Table:
    with_contact = events.filter(pc.is_valid(events.column("contact_id")))
    grouped = with_contact.group_by(["contact_id", "account_id"]).aggregate(
        [
            ("name", "count"),
            ("is_login", "sum"),
            ("occurred_at", "max"),
            ("login_at", "max"),
        ]
    )
    return _table(
        CONTACT_DAY_SCHEMA,
        day=[day] * grouped.num_rows,
        contact_id=grouped.column("contact_id"),
        account_id=grouped.column("account_id"),
        events=grouped.column("name_count"),
        logins=grouped.column("is_login_sum"),
        last_seen_at=grouped.column("occurred_at_max"),
        last_login_at=grouped.column("login_at_max"),
    )


def _event_name_day(day: date, events: pa.Table) -> pa.Table:
    grouped = events.group_by(["account_id", "name"]).aggregate([("name", "count")])
    return _table(
        EVENT_NAME_DAY_SCHEMA,
        day=[day] * grouped.num_rows,
        account_id=grouped.column("account_id"),
        name=grouped.column("name"),
        events=grouped.column("name_count"),
    )


def _table(schema: pa.Schema, **columns: Any) -> pa.Table:
    arrays = [
        pa.array(columns[field.name], field.type)
        if isinstance(columns[field.name], list)
        else pc.cast(columns[field.name], field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _write_atomically(path: Path, data: bytes, *, is_synced: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        if is_synced:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(temporary, path)


def rollup_store(settings: Settings) -> RollupStore:
    return RollupStore(settings.home / "rollups")


def run_rollups_job(workspace: Workspace, *, as_of: date) -> dict[str, int]:
    """The `rollups` job: roll every changed day (all stored days, whatever
    `as_of`, since late events may arrive for any day)."""
    run = update_rollups(
        workspace.engine,
        EventStore(workspace.settings.event_store_path),
        rollup_store(workspace.settings),
    )
    return {
        "days_rolled": run.days_rolled,
        "days_unchanged": run.days_unchanged,
        "events_read": run.events_read,
        "events_without_account": run.events_without_account,
    }
