"""Duplicate message ids are found in the event's own day and the days beside it,
also by a store opened later, without reading the rest of the store."""

from datetime import UTC, datetime, timedelta

import pyarrow as pa

from tenure.activity.store import EVENT_SCHEMA, EventStore

RECEIVED = datetime(2024, 6, 1, tzinfo=UTC)


def _events(*rows):
    return pa.Table.from_pylist(
        [
            {
                "message_id": message_id,
                "account_id": "a1",
                "contact_id": "c1",
                "name": "login",
                "occurred_at": occurred_at,
                "received_at": RECEIVED,
                "properties": None,
            }
            for message_id, occurred_at in rows
        ],
        schema=EVENT_SCHEMA,
    )


def test_a_resend_to_a_store_opened_later_is_dropped(tmp_path):
    at = datetime(2024, 5, 1, 12, tzinfo=UTC)
    EventStore(tmp_path).append(_events(("m1", at), ("m2", at)))

    reopened = EventStore(tmp_path)

    assert reopened.append(_events(("m1", at), ("m3", at))) == 1
    assert reopened.message_ids() == {"m1", "m2", "m3"}


def test_a_resend_whose_clock_skew_crosses_midnight_is_dropped(tmp_path):
    store = EventStore(tmp_path)
    store.append(_events(("m1", datetime(2024, 5, 1, 23, 59, 59, tzinfo=UTC))))

    later = EventStore(tmp_path)
    written = later.append(_events(("m1", datetime(2024, 5, 2, 0, 0, 1, tzinfo=UTC))))

    assert written == 0
    assert len(later.files()) == 1


def test_an_append_reads_only_the_days_beside_its_events(tmp_path):
    store = EventStore(tmp_path)
    first = datetime(2024, 1, 1, tzinfo=UTC)
    store.append(_events(*((f"old{n}", first + timedelta(days=n)) for n in range(40))))
    # A file of a far day that cannot be read: an append that read it would fail.
    (tmp_path / "day=2024-01-05" / "part-broken.parquet").write_bytes(b"not parquet")

    later = EventStore(tmp_path)

    assert later.append(_events(("new", datetime(2024, 2, 5, tzinfo=UTC)))) == 1
    assert later.append(_events(("old35", first + timedelta(days=35)))) == 0


def test_days_over_the_cache_are_read_again_when_needed(tmp_path):
    store = EventStore(tmp_path)
    first = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(40):
        store.append(_events((f"m{n}", first + timedelta(days=n))))

    assert store.append(_events(("m0", first))) == 0
