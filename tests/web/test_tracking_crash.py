"""A `tenure serve` process killed mid-stream loses no acknowledged event."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import httpx
import pytest

from tenure.accounts.models import Account
from tenure.activity.keys import create_write_key
from tenure.activity.store import EventStore
from tenure.core.db import transaction

BATCHES = 400
BATCH_SIZE = 25
KILL_AFTER_ACKS = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TENURE_HOME": str(settings.home),
        "TENURE_DATABASE_URL": settings.resolved_database_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tenure.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("tenure serve did not answer within 30 seconds")


def _batch(number: int) -> dict:
    return {
        "batch": [
            {
                "type": "track",
                "userId": f"contact-{item % 7}",
                "event": "login" if item == 0 else "dashboard_viewed",
                "messageId": f"b{number}-{item}",
                "timestamp": "2026-02-01T09:00:00Z",
                "context": {"groupId": "acc-crash"},
            }
            for item in range(BATCH_SIZE)
        ]
    }


def _send_until_refused(url: str, key: str, acked: list[str], sent: list[int]):
    with httpx.Client(base_url=url, auth=(key, ""), timeout=30) as http:
        for number in range(BATCHES):
            sent.append(number)
            try:
                response = http.post("/v1/batch", json=_batch(number))
            except httpx.TransportError:
                return
            if response.status_code == 200:
                acked.extend(m["messageId"] for m in _batch(number)["batch"])


def test_sigkill_mid_stream_loses_no_acknowledged_event(workspace, settings):
    with transaction(workspace.engine) as session:
        session.add(Account(id="acc-crash", name="Crash Test Works"))
        _key, secret = create_write_key(
            session, name="stream", now=datetime(2026, 2, 1, tzinfo=UTC)
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start_server(settings, port)
    acked: list[str] = []
    sent: list[int] = []
    sender = threading.Thread(
        target=_send_until_refused, args=(url, secret, acked, sent)
    )
    sender.start()
    try:
        while len(acked) < KILL_AFTER_ACKS * BATCH_SIZE and sender.is_alive():
            time.sleep(0.005)
        server.send_signal(signal.SIGKILL)
    finally:
        server.wait(timeout=30)
        sender.join(timeout=60)

    stored = set(EventStore(settings.event_store_path).read()["message_id"].to_pylist())
    assert len(sent) < BATCHES, "the server was killed after the stream ended"
    assert set(acked) <= stored
    assert len(acked) >= KILL_AFTER_ACKS * BATCH_SIZE

    restarted = _start_server(settings, port)
    try:
        with httpx.Client(base_url=url, auth=(secret, ""), timeout=30) as http:
            for number in sent:
                assert http.post("/v1/batch", json=_batch(number)).status_code == 200
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    events = EventStore(settings.event_store_path).read()
    assert events.num_rows == len(sent) * BATCH_SIZE
