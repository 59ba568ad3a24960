"""The tracking API through the official Segment Python client and raw requests."""

import gzip
import json
from datetime import UTC, datetime

import pytest
from segment.analytics.client import Client
from segment.analytics.request import APIError, post

from tenure.accounts.models import Account, Contact
from tenure.activity.keys import create_write_key, revoke_write_key
from tenure.activity.store import EventStore
from tenure.core.db import make_session_factory, transaction

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def write_key(workspace) -> str:
    with transaction(workspace.engine) as session:
        session.add(Account(id="acc-north", name="North Shipping"))
        session.add(Account(id="acc-south", name="South Bakery"))
        _key, secret = create_write_key(session, name="web app", now=NOW)
    return secret


def _segment(write_key: str, server_url: str) -> Client:
    return Client(write_key=write_key, host=server_url, sync_mode=True, max_retries=0)


def _events(workspace):
    return EventStore(workspace.settings.event_store_path).read().to_pylist()


def test_segment_client_events_land_once_when_sent_twice(
    workspace, server_url, write_key
):
    segment = _segment(write_key, server_url)
    segment.group("contact-ada", "acc-north")
    segment.identify("contact-ada", {"email": "ada@example.test", "name": "Ada Vale"})
    for _ in range(2):
        segment.track("contact-ada", "login", message_id="m-login-1")
        segment.track(
            "contact-ada",
            "report_exported",
            {"format": "pdf"},
            message_id="m-export-1",
        )

    events = sorted(_events(workspace), key=lambda row: row["message_id"])
    assert [(e["message_id"], e["name"], e["account_id"]) for e in events] == [
        ("m-export-1", "report_exported", "acc-north"),
        ("m-login-1", "login", "acc-north"),
    ]
    assert json.loads(events[0]["properties"]) == {"format": "pdf"}
    with make_session_factory(workspace.engine)() as session:
        contact = session.get(Contact, "contact-ada")
        assert (contact.account_id, contact.email, contact.name) == (
            "acc-north",
            "ada@example.test",
            "Ada Vale",
        )


def test_batch_of_the_segment_client_in_queue_mode_is_stored(
    workspace, server_url, write_key
):
    segment = Client(write_key=write_key, host=server_url, upload_size=50)
    for number in range(120):
        segment.track(
            f"contact-{number % 4}",
            "page_opened",
            context={"groupId": "acc-south"},
            message_id=f"q-{number}",
        )
    segment.flush()
    segment.join()

    events = _events(workspace)
    assert len(events) == 120
    assert {event["account_id"] for event in events} == {"acc-south"}


def test_track_uses_the_account_of_an_earlier_group_call(workspace, client, write_key):
    auth = (write_key, "")
    client.post("/v1/group", json={"userId": "c-1", "groupId": "acc-south"}, auth=auth)
    response = client.post(
        "/v1/track",
        json={"userId": "c-1", "event": "login", "messageId": "t-1"},
        auth=auth,
    )
    assert response.status_code == 200
    assert [e["account_id"] for e in _events(workspace)] == ["acc-south"]


def test_clock_skew_is_corrected_with_sent_at(workspace, client, write_key):
    """The client clock is one hour fast: timestamp 13:00 and sentAt 13:05 on its
    clock arrive at about 12:05 on the server's, so the event happened near 12:00."""
    before = datetime.now(UTC)
    client.post(
        "/v1/batch",
        json={
            "writeKey": write_key,
            "sentAt": _iso(before.replace(microsecond=0), hours=1, minutes=0),
            "batch": [
                {
                    "type": "track",
                    "userId": "c-2",
                    "event": "login",
                    "messageId": "skew-1",
                    "timestamp": _iso(
                        before.replace(microsecond=0), hours=1, minutes=-5
                    ),
                    "context": {"groupId": "acc-north"},
                }
            ],
        },
    )
    after = datetime.now(UTC)
    occurred_at = _events(workspace)[0]["occurred_at"]
    assert before.timestamp() - 300 - 1 <= occurred_at.timestamp()
    assert occurred_at.timestamp() <= after.timestamp() - 300 + 1


def _iso(moment: datetime, *, hours: int, minutes: int) -> str:
    from datetime import timedelta

    return (moment + timedelta(hours=hours, minutes=minutes)).isoformat()


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        (
            {"batch": [{"type": "track", "userId": "u", "messageId": "x"}]},
            422,
            "batch[0].event",
        ),
        ({"batch": [{"type": "track", "event": "login"}]}, 422, "userId"),
        ({"batch": [{"type": "group", "userId": "u"}]}, 422, "groupId"),
        ({"batch": [{"type": "unknown", "userId": "u"}]}, 422, "batch[0].type"),
        (
            {
                "batch": [
                    {
                        "type": "track",
                        "userId": "u",
                        "event": "e",
                        "timestamp": "yesterday",
                    }
                ]
            },
            422,
            "batch[0].timestamp",
        ),
        ({"batch": []}, 422, "non-empty list"),
        (
            {
                "batch": [
                    {
                        "type": "track",
                        "userId": "u",
                        "event": "e",
                        "properties": {"text": "x" * 40_000},
                    }
                ]
            },
            413,
            "32,768",
        ),
    ],
)
def test_bad_payloads_get_a_4xx_with_a_reason(
    workspace, server_url, write_key, body, status, fragment
):
    with pytest.raises(APIError) as caught:
        post(write_key, server_url, **body)
    assert caught.value.status == status
    assert fragment in caught.value.message
    assert _events(workspace) == []


def test_oversized_batch_and_bad_json_are_refused(client, write_key):
    auth = (write_key, "")
    big = {
        "batch": [
            {
                "type": "track",
                "userId": "u",
                "event": "e",
                "properties": {"t": "x" * 30_000},
            }
        ]
        * 20
    }
    response = client.post("/v1/batch", json=big, auth=auth)
    assert response.status_code == 413
    assert "512,000" in response.json()["error"]["message"]
    response = client.post("/v1/track", content=b"{not json", auth=auth)
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["error"]["message"]


def test_missing_unknown_and_revoked_keys_are_refused(workspace, client, write_key):
    message = {"userId": "u", "event": "login", "context": {"groupId": "acc-north"}}
    assert client.post("/v1/track", json=message).status_code == 401
    wrong = client.post("/v1/track", json=message, auth=("tk_wrong", ""))
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"].startswith("the write key is not known")
    with transaction(workspace.engine) as session:
        key, secret = create_write_key(session, name="old", now=NOW)
        revoke_write_key(session, key.id, now=NOW)
    revoked = client.post("/v1/track", json={**message, "writeKey": secret})
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["error"]["message"]


def test_gzip_bodies_are_read(workspace, client, write_key):
    body = gzip.compress(
        json.dumps(
            {
                "userId": "u",
                "event": "login",
                "messageId": "gz-1",
                "context": {"groupId": "acc-north"},
            }
        ).encode()
    )
    response = client.post(
        "/v1/track",
        content=body,
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        auth=(write_key, ""),
    )
    assert response.status_code == 200
    assert [e["message_id"] for e in _events(workspace)] == ["gz-1"]


def test_group_with_an_unknown_account_is_skipped_and_reported(client, write_key):
    response = client.post(
        "/v1/group",
        json={"userId": "c-9", "groupId": "acc-nowhere"},
        auth=(write_key, ""),
    )
    assert response.status_code == 200
    assert response.json()["skipped"][0]["reason"].startswith(
        "groupId 'acc-nowhere' is not an account"
    )


def test_a_batch_applies_group_and_identify_in_order(workspace, client, write_key):
    batch = [
        {"type": "track", "userId": "c-5", "event": "login", "messageId": "o-1"},
        {"type": "group", "userId": "c-5", "groupId": "acc-north"},
        {"type": "track", "userId": "c-5", "event": "login", "messageId": "o-2"},
        {
            "type": "identify",
            "userId": "c-6",
            "traits": {"firstName": "Bo", "lastName": "Lind", "title": "Buyer"},
            "context": {"groupId": "acc-south"},
        },
        {"type": "identify", "userId": "c-7", "traits": {"email": "x@example.test"}},
        {"type": "page", "userId": "c-5", "name": "Home"},
    ]

    response = client.post("/v1/batch", json={"batch": batch}, auth=(write_key, ""))

    assert response.status_code == 200
    assert response.json()["skipped"] == [
        {
            "where": "batch[4]",
            "reason": "contact 'c-7' has no account yet; send a group call first "
            "or put its account id in context.groupId",
        }
    ]
    events = {e["message_id"]: e["account_id"] for e in _events(workspace)}
    assert events == {"o-1": None, "o-2": "acc-north"}
    with make_session_factory(workspace.engine)() as session:
        contact = session.get(Contact, "c-6")
        assert (contact.account_id, contact.name, contact.role) == (
            "acc-south",
            "Bo Lind",
            "Buyer",
        )
