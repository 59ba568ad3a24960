"""The event store appends only new message ids, by day, with whole files only."""

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from tenure.activity.store import EVENT_SCHEMA, EventStore

RECEIVED = datetime(2024, 6, 1, tzinfo=UTC)


def _events(*rows):
    return pa.Table.from_pylist(
        [
            {
                "message_id": message_id,
                "account_id": "a1",
                "contact_id": None,
                "name": "login",
                "occurred_at": occurred_at,
                "received_at": RECEIVED,
                "properties": None,
            }
            for message_id, occurred_at in rows
        ],
        schema=EVENT_SCHEMA,
    )


def test_append_writes_new_ids_once_partitioned_by_day(tmp_path):
    store = EventStore(tmp_path / "events")
    day_one = datetime(2024, 5, 1, 23, 59, tzinfo=UTC)
    day_two = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)

    first = store.append(_events(("m1", day_one), ("m2", day_two), ("m1", day_two)))
    second = store.append(_events(("m2", day_two), ("m3", day_two)))

    assert (first, second) == (2, 1)
    assert sorted(path.parent.name for path in store.files()) == [
        "day=2024-05-01",
        "day=2024-05-02",
        "day=2024-05-02",
    ]
    assert store.message_ids() == {"m1", "m2", "m3"}
    assert not list((tmp_path / "events").rglob("*.tmp"))


def test_appending_only_known_ids_writes_no_file(tmp_path):
    store = EventStore(tmp_path / "events")
    store.append(_events(("m1", datetime(2024, 5, 1, tzinfo=UTC))))
    files = store.files()

    assert store.append(_events(("m1", datetime(2024, 5, 1, tzinfo=UTC)))) == 0
    assert store.files() == files


def test_duckdb_reads_the_store_with_its_day_partition(tmp_path):
    store = EventStore(tmp_path / "events")
    store.append(_events(("m1", datetime(2024, 5, 1, 8, 30, tzinfo=UTC))))

    rows = duckdb.sql(
        f"select message_id, day from read_parquet('{store.glob}', "
        "hive_partitioning=true)"
    ).fetchall()

    assert [(message_id, str(day)) for message_id, day in rows] == [
        ("m1", "2024-05-01")
    ]


def test_an_empty_store_reads_as_an_empty_table(tmp_path):
    store = EventStore(tmp_path / "events")

    assert store.read().num_rows == 0
    assert store.message_ids() == set()
