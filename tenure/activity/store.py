"""The event store: append-only Parquet files partitioned by day.

Layout: `<root>/day=YYYY-MM-DD/part-<uuid>.parquet`, one file per day touched by
each append, with the columns of `EVENT_SCHEMA`. Files are written to a hidden
temporary name, fsynced and renamed, so a reader never sees half a file and an
acknowledged append survives a crash. `append` drops a message id it has
already stored on the event's day or the day either side of it: a client that
resends a message sends the same timestamp, so only those days need checking,
and an append reads the ids of a few day folders, never the whole store. DuckDB
reads the store with `read_parquet('<root>/*/*.parquet', hive_partitioning=true)`
(see `glob`).
"""

import fcntl
import os
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import structlog

log = structlog.get_logger()

# How many day folders' message ids an EventStore keeps in memory; the days a
# live tracking stream writes to stay cached, old ones are read again if needed.
_CACHED_DAYS = 16

EVENT_SCHEMA = pa.schema(
    [
        pa.field("message_id", pa.string(), nullable=False),
        pa.field("account_id", pa.string()),
        pa.field("contact_id", pa.string()),
        pa.field("name", pa.string(), nullable=False),
        pa.field("occurred_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("received_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("properties", pa.string()),
    ]
)


class EventStore:
    """Append-only product events under `root`; safe for one writer at a time per
    process and serialised across processes by a lock file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Part files are never changed once committed, so the ids of a file
        # are read once and remembered, per day folder.
        self._day_ids: OrderedDict[date, set[str]] = OrderedDict()
        self._day_files: dict[date, set[str]] = {}

    @property
    def glob(self) -> str:
        """The pattern DuckDB (or Spark) reads the whole store with."""
        return str(self.root / "*" / "*.parquet")

    def files(self) -> list[Path]:
        """Every committed part file, in day order."""
        return sorted(self.root.glob("day=*/*.parquet"))

    def message_ids(self) -> set[str]:
        """All message ids in the store (reads every file: for tests and checks)."""
        ids: set[str] = set()
        for path in self.files():
            ids.update(
                pq.read_table(path, columns=["message_id"]).column(0).to_pylist()
            )
        return ids

    def _ids_of_days(self, days: Iterable[date]) -> list[set[str]]:
        """The stored ids of each of these days, reading only part files not read
        yet."""
        known: list[set[str]] = []
        for day in days:
            ids = self._day_ids.setdefault(day, set())
            self._day_ids.move_to_end(day)
            read = self._day_files.setdefault(day, set())
            folder = self.root / f"day={day.isoformat()}"
            names = os.listdir(folder) if folder.is_dir() else []
            for name in names:
                if name.endswith(".parquet") and name not in read:
                    column = pq.read_table(folder / name, columns=["message_id"])
                    ids.update(column.column(0).to_pylist())
                    read.add(name)
            known.append(ids)
        return known

    def _forget_old_days(self) -> None:
        while len(self._day_ids) > _CACHED_DAYS:
            day, _ = self._day_ids.popitem(last=False)
            self._day_files.pop(day, None)

    def read(self) -> pa.Table:
        """The whole store as one Arrow table (for small stores and tests)."""
        parts = [pq.read_table(path, schema=EVENT_SCHEMA) for path in self.files()]
        if not parts:
            return EVENT_SCHEMA.empty_table()
        return pa.concat_tables(parts)

    def append(self, table: pa.Table) -> int:
        """Write the rows whose message id is new; return how many were written.

        `table` must have the columns of `EVENT_SCHEMA` (missing optional columns
        are filled with nulls). Duplicates within `table` keep their first row.
        """
        events = _conform(table)
        days = pc.cast(events.column("occurred_at"), pa.date32())
        touched = pc.unique(days).to_pylist()
        neighbours = {d + timedelta(days=step) for d in touched for step in (-1, 0, 1)}
        with self._lock():
            fresh = _first_of_each(
                events, exclude=self._ids_of_days(sorted(neighbours))
            )
            if fresh.num_rows == 0:
                return 0
            days = pc.cast(fresh.column("occurred_at"), pa.date32())
            is_new_folder = False
            for day in pc.unique(days).to_pylist():
                is_new_folder |= self._write_day(day, fresh.filter(pc.equal(days, day)))
            if is_new_folder:
                _fsync_folder(self.root)
            self._forget_old_days()
        log.info("activity.events_appended", count=fresh.num_rows)
        return int(fresh.num_rows)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_day(self, day: date, rows: pa.Table) -> bool:
        """Write one day's part file and remember its ids; True when the day's
        folder is new."""
        folder = self.root / f"day={day.isoformat()}"
        is_new_folder = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        temporary = folder / f".part-{name}.tmp"
        with temporary.open("wb") as handle:
            pq.write_table(rows, handle)
            handle.flush()
            os.fsync(handle.fileno())
        committed = folder / f"part-{name}.parquet"
        os.replace(temporary, committed)
        _fsync_folder(folder)
        self._day_ids.setdefault(day, set()).update(
            rows.column("message_id").to_pylist()
        )
        self._day_files.setdefault(day, set()).add(committed.name)
        return is_new_folder


def _conform(table: pa.Table) -> pa.Table:
    columns = []
    for field in EVENT_SCHEMA:
        if field.name in table.column_names:
            columns.append(pc.cast(table.column(field.name), field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)


def _first_of_each(events: pa.Table, *, exclude: Sequence[set[str]]) -> pa.Table:
    seen: set[str] = set()
    keep = []
    for message_id in events.column("message_id").to_pylist():
        is_known = message_id in seen or any(message_id in ids for ids in exclude)
        keep.append(not is_known)
        seen.add(message_id)
    return events.filter(pa.array(keep, pa.bool_()))


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
