"""W4: tracking API ingestion, batches of 100 track calls.

Tenure is a real server (`tenure serve`'s own code) on 127.0.0.1 whose event
store already holds the generated history; concurrent clients post to
`/v1/batch` with the write key and count what the answers say was stored. The
baseline parses the same request bodies and writes each batch's events straight
to a Parquet file with PyArrow, one process, no HTTP.
"""

import base64
import http.client
import json
import shutil
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.generate import CONTACTS_PER_ACCOUNT, EVENT_NAMES
from benchmarks.scales import AS_OF, Scale
from tenure.activity.store import EVENT_SCHEMA

BATCH_SIZE = 100
CLIENTS = 8


def request_bodies(scale: Scale) -> list[bytes]:
    """The scale's batches as JSON bodies, the same for both sides."""
    day = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    bodies = []
    for batch in range(scale.batches):
        messages = []
        for n in range(BATCH_SIZE):
            serial = batch * BATCH_SIZE + n
            account = f"acc{serial % scale.accounts:06d}"
            messages.append(
                {
                    "type": "track",
                    "messageId": f"w4-{serial}",
                    "userId": f"{account}-c{serial % CONTACTS_PER_ACCOUNT}",
                    "event": EVENT_NAMES[serial % len(EVENT_NAMES)],
                    "timestamp": (day + timedelta(seconds=serial % 86_400)).isoformat(),
                    "properties": {"plan": "growth", "step": serial % 7},
                    "context": {"groupId": account},
                }
            )
        bodies.append(json.dumps({"batch": messages}).encode())
    return bodies


def scratch_home(folder: Path) -> Path:
    """A copy of the database and a store that links to the generated days."""
    home = folder / "scratch" / "w4"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    shutil.copy2(folder / "home" / "tenure.db", home / "tenure.db")
    events = home / "events"
    events.mkdir()
    for day in sorted((folder / "home" / "events").glob("day=*")):
        (events / day.name).symlink_to(day.resolve(), target_is_directory=True)
    return home


def drive(url: str, write_key: str, bodies: list[bytes]) -> dict[str, Any]:
    """Post every body from `CLIENTS` threads; time from first send to last answer."""
    host, port = url.removeprefix("http://").split(":")
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    stored = [0] * CLIENTS
    failures: list[str] = []

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=600)
        for body in bodies[index::CLIENTS]:
            connection.request(
                "POST",
                "/v1/batch",
                body=body,
                headers={"Content-Type": "application/json", "Authorization": auth},
            )
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append(f"{response.status} {answer[:200]!r}")
                return
            stored[index] += json.loads(answer)["stored"]
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"the tracking API refused a batch: {failures[0]}")
    events = sum(stored)
    return {
        "seconds": seconds,
        "events": events,
        "events_per_second": round(events / seconds),
        "clients": CLIENTS,
    }


def run_baseline(folder: Path, scale: Scale) -> dict[str, Any]:
    bodies = request_bodies(scale)
    target = folder / "scratch" / "w4-baseline"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    received_at = datetime.now(UTC)
    started = time.perf_counter()
    events = 0
    for body in bodies:
        messages = json.loads(body)["batch"]
        table = pa.Table.from_pydict(
            {
                "message_id": [m["messageId"] for m in messages],
                "account_id": [m["context"]["groupId"] for m in messages],
                "contact_id": [m["userId"] for m in messages],
                "name": [m["event"] for m in messages],
                "occurred_at": [
                    datetime.fromisoformat(m["timestamp"]) for m in messages
                ],
                "received_at": [received_at] * len(messages),
                "properties": [json.dumps(m["properties"]) for m in messages],
            },
            schema=EVENT_SCHEMA,
        )
        pq.write_table(table, target / f"part-{uuid.uuid4().hex}.parquet")
        events += table.num_rows
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "events": events,
        "events_per_second": round(events / seconds),
    }
