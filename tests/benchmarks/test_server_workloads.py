"""W4 and W5 at the tiny scale against a real server on 127.0.0.1, and the
`run` command end to end."""

import json
import subprocess
import sys

import pyarrow.parquet as pq

from benchmarks import w4_tracking, w5_pages
from benchmarks.generate import credentials
from benchmarks.harness import CHECKOUT, ServerChild
from benchmarks.scales import SCALES
from tenure.activity.store import EventStore

TINY = SCALES["tiny"]


def test_w4_every_event_posted_is_stored_once(tiny, tmp_path):
    home = w4_tracking.scratch_home(tiny)
    before = len(EventStore(home / "events").files())
    bodies = w4_tracking.request_bodies(TINY)
    server = ServerChild(home, log_file=tmp_path / "server.log")
    try:
        first = w4_tracking.drive(server.url, credentials(tiny)["write_key"], bodies)
        again = w4_tracking.drive(server.url, credentials(tiny)["write_key"], bodies)
    finally:
        peak = server.stop()

    posted = TINY.batches * w4_tracking.BATCH_SIZE
    assert (first["events"], again["events"]) == (posted, 0)
    written = EventStore(home / "events").files()[before:]
    assert sum(pq.read_metadata(path).num_rows for path in written) == posted
    assert peak > 0


def test_w4_baseline_writes_the_same_events(tiny):
    result = w4_tracking.run_baseline(tiny, TINY)
    folder = tiny / "scratch" / "w4-baseline"

    rows = sum(pq.read_metadata(path).num_rows for path in folder.glob("*.parquet"))
    assert result["events"] == rows == TINY.batches * w4_tracking.BATCH_SIZE


def test_w5_pages_and_the_trivial_endpoint_answer_every_client(tiny, tmp_path):
    token = credentials(tiny)["api_token"]
    server = ServerChild(tiny / "home", log_file=tmp_path / "server.log")
    try:
        pages = w5_pages.drive(server.url, token, w5_pages.page_paths(TINY))
        trivial = w5_pages.drive(server.url, token, w5_pages.trivial_paths(TINY))
    finally:
        server.stop()

    assert pages["requests"] == TINY.clients * TINY.page_requests * 2
    assert (pages["failed"], trivial["failed"]) == (0, 0)
    assert {"account_page_p99_seconds", "dashboard_p99_seconds"} <= set(pages)
    assert trivial["requests"] == TINY.clients * TINY.page_requests * 20


def test_run_prints_both_sides_with_their_ratio_as_json(data_root):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "run",
            "--scale",
            "tiny",
            "--data",
            str(data_root),
            "--workload",
            "W2",
            "--format",
            "json",
        ],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        check=True,
    )
    (result,) = json.loads(completed.stdout)

    assert result["workload"] == "W2"
    assert result["tenure"]["extra"]["events"] == TINY.events
    assert result["tenure"]["peak_rss_mib"] > 0 < result["baseline"]["peak_rss_mib"]
    assert result["time_ratio"] == round(
        result["tenure"]["seconds"] / result["baseline"]["seconds"], 3
    )
