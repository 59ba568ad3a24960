"""W2: daily rollups of the event store.

Tenure runs its rollup job (`update_rollups`) from nothing over every stored
day, then once more after one new day arrives (the incremental case). The
floor is one bare DuckDB aggregate query over the same Parquet files, writing
its per-account-per-day counts to Parquet.

Both read the generated event store through a scratch folder of links to its
day folders, so the generated data never changes.
"""

import shutil
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq

from benchmarks.generate import EVENT_NAMES, SEED, event_table, settings_for
from benchmarks.scales import AS_OF, Scale
from tenure.activity.rollups import RollupStore, update_rollups
from tenure.activity.store import EventStore
from tenure.core.workspace import open_workspace

FLOOR_SQL = """
COPY (
    SELECT CAST(occurred_at AS DATE) AS day,
           account_id,
           count(*) AS events,
           count(*) FILTER (WHERE name = 'login') AS logins,
           count(DISTINCT contact_id) AS active_contacts,
           max(occurred_at) AS last_seen_at,
           max(occurred_at) FILTER (WHERE name = 'login') AS last_login_at
    FROM read_parquet($glob)
    WHERE account_id IS NOT NULL
    GROUP BY ALL
) TO '{target}' (FORMAT parquet)
"""


def scratch_store(folder: Path) -> EventStore:
    """A fresh event store whose day folders link to the generated ones."""
    scratch = folder / "scratch" / "w2"
    if scratch.exists():
        shutil.rmtree(scratch)
    events = scratch / "events"
    events.mkdir(parents=True)
    for day in sorted((folder / "home" / "events").glob("day=*")):
        (events / day.name).symlink_to(day.resolve(), target_is_directory=True)
    return EventStore(events)


def run_tenure(folder: Path, scale: Scale) -> dict[str, Any]:
    store = scratch_store(folder)
    rollups = RollupStore(store.root.parent / "rollups")
    engine = open_workspace(settings_for(folder)).engine
    started = time.perf_counter()
    full = update_rollups(engine, store, rollups)
    full_seconds = time.perf_counter() - started
    new_day = _add_new_day(store, scale)
    started = time.perf_counter()
    incremental = update_rollups(engine, store, rollups)
    return {
        "seconds": full_seconds,
        "events": full.events_read,
        "days_rolled": full.days_rolled,
        "new_day_seconds": round(time.perf_counter() - started, 3),
        "new_day_events": new_day,
        "new_day_days_rolled": incremental.days_rolled,
        "new_day_days_unchanged": incremental.days_unchanged,
    }


def _add_new_day(store: EventStore, scale: Scale) -> int:
    """One more day of events, the size of an average stored day."""
    accounts = sorted(
        {row["account_id"] for row in pq.read_table(store.files()[-1]).to_pylist()}
    )
    rng = np.random.default_rng(SEED + 1)
    count = scale.events // scale.event_days
    weights = np.full(len(accounts), 1 / len(accounts))
    table = event_table(
        rng, AS_OF, count, np.array(accounts), weights, np.array(EVENT_NAMES)
    )
    return store.append(table)


def run_floor(folder: Path) -> dict[str, Any]:
    store = scratch_store(folder)
    target = store.root.parent / "floor.parquet"
    started = time.perf_counter()
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(
            FLOOR_SQL.format(target=str(target).replace("'", "''")),
            {"glob": store.glob},
        )
    seconds = time.perf_counter() - started
    rows = pq.read_metadata(target).num_rows
    return {"seconds": seconds, "rows": rows}


def floor_counts(path: Path) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(day, account) → (events, logins, active contacts) of a floor result."""
    return {
        (row["day"].isoformat(), row["account_id"]): (
            row["events"],
            row["logins"],
            row["active_contacts"],
        )
        for row in pq.read_table(path).to_pylist()
    }


def rollup_counts(rollups: RollupStore) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {
        (row["day"].isoformat(), row["account_id"]): (
            row["events"],
            row["logins"],
            row["active_contacts"],
        )
        for row in rollups.read("accounts").to_pylist()
    }
