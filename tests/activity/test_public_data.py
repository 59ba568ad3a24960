"""The Retentioneering clickstream imported against the RavenStack accounts.

The expected figures are computed independently in plain Python over the CSV:
a user's account is the sorted RavenStack account id at position
sha256(user_id)[:8] (big-endian) mod 500, as the mapping documents; a session's
first event (earliest timestamp) is its login; a day is the UTC calendar day.
"""

import csv
import gzip
import hashlib
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tenure.activity.rollups import RollupStore, update_rollups
from tenure.activity.service import account_activity, contact_last_seen
from tenure.activity.store import EventStore
from tenure.ingest.service import EVENT_IMPORT_ENTITIES, import_path

REPOSITORY = Path(__file__).resolve().parents[2]
MAPPINGS = REPOSITORY / "examples" / "mappings"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def combined(workspace, shared_data):
    import_path(
        workspace,
        shared_data / "ravenstack",
        now=NOW,
        mapping_path=MAPPINGS / "ravenstack.yaml",
    )
    report = import_path(
        workspace,
        shared_data / "retentioneering_ecom" / "ecom.csv.gz",
        now=NOW,
        mapping_path=MAPPINGS / "retentioneering_ecom.yaml",
        entities=EVENT_IMPORT_ENTITIES,
    )
    rollups = RollupStore(workspace.settings.home / "rollups")
    store = EventStore(workspace.settings.event_store_path)
    update_rollups(workspace.engine, store, rollups)
    return report, rollups


def _independent(shared_data):
    with (shared_data / "ravenstack" / "ravenstack_accounts.csv").open() as handle:
        account_ids = sorted(row["account_id"] for row in csv.DictReader(handle))
    with gzip.open(shared_data / "retentioneering_ecom" / "ecom.csv.gz", "rt") as f:
        rows = list(csv.DictReader(f))
    account_of = {}
    session_start = {}
    for row in rows:
        digest = hashlib.sha256(row["user_id"].encode()).digest()
        position = int.from_bytes(digest[:8], "big") % len(account_ids)
        account_of[row["user_id"]] = account_ids[position]
        start = session_start.get(row["session_id"])
        if start is None or row["timestamp"] < start[0]:
            session_start[row["session_id"]] = (row["timestamp"], row["user_id"])
    last_login = {}
    for timestamp, user in session_start.values():
        day = date.fromisoformat(timestamp[:10])
        last_login[user] = max(last_login.get(user, day), day)
    active_days = defaultdict(set)
    for row in rows:
        active_days[row["user_id"]].add(date.fromisoformat(row["timestamp"][:10]))
    return account_of, last_login, active_days


def test_last_login_per_contact_matches_the_csv(combined, shared_data):
    report, rollups = combined
    _account_of, last_login, _active = _independent(shared_data)
    assert report.summary("contacts").new == 600
    # 31,106 rows, of which 30 repeat an earlier row exactly (read once).
    assert report.summary("events").new == 31_076

    found = {
        row.contact_id.removeprefix("ecom-"): row.last_login_on
        for row in contact_last_seen(rollups, as_of=date(2024, 6, 30))
        if row.contact_id.startswith("ecom-")
    }

    assert len(found) == 600
    assert found == last_login


def test_active_contacts_per_account_match_the_csv(combined, shared_data, workspace):
    _report, rollups = combined
    account_of, _last_login, active_days = _independent(shared_data)
    for as_of in (date(2024, 3, 15), date(2024, 6, 29)):
        start = as_of - timedelta(days=29)
        expected = defaultdict(int)
        for user, days in active_days.items():
            if any(start <= day <= as_of for day in days):
                expected[account_of[user]] += 1

        rows = account_activity(workspace.engine, rollups, as_of=as_of)
        # RavenStack's own feature-usage events have no contact, so only the
        # clickstream shoppers count as active contacts.
        found = {row.account_id: row.active_contacts_30d for row in rows}

        assert len(rows) == 500
        assert {k: v for k, v in found.items() if v} == dict(expected), as_of
        assert sum(expected.values()) > 50
