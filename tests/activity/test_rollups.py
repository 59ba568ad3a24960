"""Daily rollups and the activity figures read from them."""

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq

from tenure.accounts.models import Account, Contact
from tenure.activity.rollups import RollupStore, update_rollups
from tenure.activity.service import account_activity, contact_last_seen, event_counts
from tenure.activity.store import EVENT_SCHEMA, EventStore
from tenure.core.db import transaction
from tests.factories import make_line

RECEIVED_AT = datetime(2024, 7, 1, tzinfo=UTC)


def _events(*rows):
    """Rows of (message_id, account_id, contact_id, name, occurred_at)."""
    names = ("message_id", "account_id", "contact_id", "name", "occurred_at")
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    columns["received_at"] = [RECEIVED_AT] * len(rows)
    return pa.Table.from_pydict(columns, schema=EVENT_SCHEMA.remove(6))


def _at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _stores(workspace):
    return (
        EventStore(workspace.settings.event_store_path),
        RollupStore(workspace.settings.home / "rollups"),
    )


def _setup_accounts(workspace):
    with transaction(workspace.engine) as session:
        session.add_all(
            [Account(id="acc-a", name="Alder"), Account(id="acc-b", name="Birch")]
        )
        session.flush()
        session.add_all(
            [
                Contact(id="c-1", account_id="acc-a"),
                Contact(id="c-2", account_id="acc-a"),
                Contact(id="c-3", account_id="acc-b"),
            ]
        )
        session.add_all(
            [
                make_line(id="l-1", account_id="acc-a", quantity=10),
                make_line(
                    id="l-2",
                    account_id="acc-a",
                    quantity=5,
                    starts_on=date(2024, 6, 1),
                    ends_on=date(2024, 6, 30),
                ),
                make_line(id="l-3", account_id="acc-a", kind="trial", quantity=50),
            ]
        )


def test_windows_logins_and_seats_as_of_a_day(workspace):
    """As of 2024-06-30 the last 30 days are 06-01..06-30 and the 30 before
    05-02..05-31. acc-a: logins on 05-10 (c-1), 06-05 (c-1), 06-20 (c-2) and an
    export on 06-25 (c-1); a login on 07-02 is after as_of. Seats: line l-1 (10)
    is open; l-2 (5) ended on 06-30 (exclusive); the trial gives none: 10."""
    _setup_accounts(workspace)
    store, rollups = _stores(workspace)
    store.append(
        _events(
            ("e1", "acc-a", "c-1", "login", _at(date(2024, 5, 10))),
            ("e2", "acc-a", "c-1", "login", _at(date(2024, 6, 5))),
            ("e3", "acc-a", "c-2", "login", _at(date(2024, 6, 20))),
            ("e4", "acc-a", "c-1", "export", _at(date(2024, 6, 25))),
            ("e5", "acc-a", "c-2", "login", _at(date(2024, 7, 2))),
            ("e6", None, "c-3", "export", _at(date(2024, 4, 1))),
        )
    )
    update_rollups(workspace.engine, store, rollups)

    rows = {
        row.account_id: row
        for row in account_activity(workspace.engine, rollups, as_of=date(2024, 6, 30))
    }

    a = rows["acc-a"]
    assert (a.last_login_on, a.days_since_last_login) == (date(2024, 6, 20), 10)
    assert (a.logins_30d, a.logins_prev_30d, a.events_30d) == (2, 1, 3)
    assert (a.active_contacts_30d, a.licensed_seats) == (2, 10)
    assert a.last_seen_on == date(2024, 6, 25)
    b = rows["acc-b"]
    assert (b.last_login_on, b.days_since_last_login, b.logins_30d) == (None, None, 0)
    assert b.last_seen_on == date(2024, 4, 1)
    assert event_counts(rollups, account_id="acc-a", as_of=date(2024, 6, 30)) == [
        ("login", 2),
        ("export", 1),
    ]
    seen = contact_last_seen(rollups, as_of=date(2024, 6, 30))
    assert [(c.contact_id, c.last_seen_on, c.last_login_on) for c in seen] == [
        ("c-1", date(2024, 6, 25), date(2024, 6, 5)),
        ("c-2", date(2024, 6, 20), date(2024, 6, 20)),
        ("c-3", date(2024, 4, 1), None),
    ]


def test_a_new_day_rolls_only_that_day_and_late_events_reroll_theirs(workspace):
    _setup_accounts(workspace)
    store, rollups = _stores(workspace)
    store.append(
        _events(
            ("e1", "acc-a", "c-1", "login", _at(date(2024, 6, 1))),
            ("e2", "acc-a", "c-1", "login", _at(date(2024, 6, 2))),
        )
    )
    assert update_rollups(workspace.engine, store, rollups).days_rolled == 2
    assert update_rollups(workspace.engine, store, rollups).days_rolled == 0

    store.append(_events(("e3", "acc-a", "c-2", "login", _at(date(2024, 6, 3)))))
    run = update_rollups(workspace.engine, store, rollups)
    assert (run.days_rolled, run.days_unchanged, run.events_read) == (1, 2, 1)

    store.append(_events(("e4", "acc-a", "c-2", "login", _at(date(2024, 6, 1), 18))))
    run = update_rollups(workspace.engine, store, rollups)
    assert (run.days_rolled, run.events_read) == (1, 2)
    (row,) = account_activity(
        workspace.engine, rollups, as_of=date(2024, 6, 3), account_ids=["acc-a"]
    )
    assert (row.logins_30d, row.active_contacts_30d) == (4, 2)


def _generated_events(path, *, count, seed=7):
    """A file of `count` events over 2024 for 40 accounts of 5 contacts each."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    columns = defaultdict(list)
    for number in range(count):
        account = rng.randrange(40)
        columns["message_id"].append(f"g-{number}")
        columns["account_id"].append(f"acc-{account:02d}")
        columns["contact_id"].append(f"c-{account:02d}-{rng.randrange(5)}")
        columns["name"].append(rng.choice(("login", "search", "export", "view")))
        columns["occurred_at"].append(
            start + timedelta(seconds=rng.randrange(366 * 86_400))
        )
        columns["received_at"].append(RECEIVED_AT)
    pq.write_table(pa.Table.from_pydict(columns, schema=EVENT_SCHEMA.remove(6)), path)


def test_rollups_over_a_few_hundred_thousand_events(workspace, tmp_path):
    with transaction(workspace.engine) as session:
        session.add_all(
            Account(id=f"acc-{n:02d}", name=f"Account {n}") for n in range(40)
        )
    store, rollups = _stores(workspace)
    _generated_events(tmp_path / "events.parquet", count=300_000)
    table = pq.read_table(tmp_path / "events.parquet")
    store.append(table)

    run = update_rollups(workspace.engine, store, rollups)

    assert (run.days_rolled, run.events_read) == (366, 300_000)
    accounts = rollups.read("accounts")
    assert sum(accounts["events"].to_pylist()) == 300_000
    names = table["name"].to_pylist()
    expected = Counter(
        account
        for account, name in zip(table["account_id"].to_pylist(), names, strict=True)
        if name == "login"
    )
    found = Counter()
    for account, logins in zip(
        accounts["account_id"].to_pylist(), accounts["logins"].to_pylist(), strict=True
    ):
        found[account] += logins
    assert found == expected
    last_seen = {
        row.account_id: row.last_seen_on
        for row in account_activity(workspace.engine, rollups, as_of=date(2024, 12, 31))
    }
    assert set(last_seen.values()) == {date(2024, 12, 31)}
