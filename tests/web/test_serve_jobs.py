"""`tenure serve` runs the named jobs in-process; a failing job stops nothing."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from structlog.testing import capture_logs

from tenure.core import jobs
from tenure.core.db import transaction
from tenure.core.jobs import JobScheduler
from tenure.health.models import HealthScore, ScorecardMeasure
from tests.web.conftest import _free_port, _seed_demo

WAIT_SECONDS = 240


def explode(workspace, *, as_of: date) -> dict[str, int]:
    raise RuntimeError("this job always fails")


def count(workspace, *, as_of: date) -> dict[str, int]:
    return {"day": as_of.day}


def test_a_failing_job_is_logged_and_the_next_one_still_runs(workspace, monkeypatch):
    monkeypatch.setitem(jobs.JOBS, "explode", f"{__name__}:explode")
    monkeypatch.setitem(jobs.JOBS, "count", f"{__name__}:count")
    scheduler = JobScheduler(
        workspace,
        names=("explode", "count"),
        every_seconds=3600,
        today=lambda: date(2026, 11, 30),
    )
    with capture_logs() as logs:
        outcome = scheduler.run_round()
    assert outcome == {"explode": False, "count": True}
    failed = [entry for entry in logs if entry["event"] == "core.job_failed"]
    assert failed == [
        {
            "event": "core.job_failed",
            "log_level": "error",
            "job": "explode",
            "as_of": "2026-11-30",
            "error": "RuntimeError",
            "reason": "this job always fails",
        }
    ]


def test_an_unknown_job_name_is_refused_before_the_server_starts(workspace):
    with pytest.raises(jobs.JobNotFound, match="no job is named 'rolups'"):
        JobScheduler(workspace, names=("rolups",), every_seconds=60, today=date.today)


@contextmanager
def _tenure_serve(workspace, *options: str, log: Path) -> Iterator[str]:
    """`tenure serve` in a child process on a free loopback port."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENURE_")}
    env["TENURE_DATABASE_URL"] = workspace.settings.database_url or ""
    if not env["TENURE_DATABASE_URL"]:
        del env["TENURE_DATABASE_URL"]
    home = str(workspace.settings.home)
    command = [sys.executable, "-m", "tenure.cli.main", "--home", home]
    command += ["--log-level", "info", "serve", "--port", str(port), *options]
    with log.open("w") as sink:
        child = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=env
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(lambda: _answers(url), what="the server to answer")
            yield url
        finally:
            child.terminate()
            child.wait(timeout=60)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _wait_for(condition, *, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def _scores(workspace) -> int:
    with transaction(workspace.engine) as session:
        return int(session.scalar(select(func.count(HealthScore.id))) or 0)


def test_serve_runs_rollups_health_and_alerts_on_a_schedule(workspace, tmp_path):
    _seed_demo(workspace, tmp_path / "demo")
    log = tmp_path / "serve.log"
    with _tenure_serve(workspace, "--jobs-every", "0.01", log=log) as url:
        _wait_for(lambda: _scores(workspace) > 0, what="health scores")
        _wait_for(
            lambda: log.read_text().count("job=alerts") >= 2,
            what="a second round of jobs",
        )
        assert httpx.get(f"{url}/api/health").status_code == 200
    text = log.read_text()
    assert (
        "Jobs rollups, health, alerts, surveys run now and every 0.01 minutes" in text
    )
    assert (workspace.settings.home / "rollups" / "watermark.json").is_file()
    assert "core.job_failed" not in text


def test_a_broken_health_job_leaves_the_server_and_rollups_running(workspace, tmp_path):
    _seed_demo(workspace, tmp_path / "demo")
    with transaction(workspace.engine) as session:
        session.add(
            ScorecardMeasure(
                scorecard_id="default",
                measure="retired_measure",
                weight=1,
                thresholds=[[0, 100]],
            )
        )
    log = tmp_path / "serve.log"
    with _tenure_serve(workspace, "--jobs-every", "0.01", log=log) as url:
        _wait_for(
            lambda: log.read_text().count("job=rollups") >= 2,
            what="rollups to run twice",
        )
        assert httpx.get(f"{url}/api/health").status_code == 200
    text = log.read_text()
    failures = [line for line in text.splitlines() if "core.job_failed" in line]
    assert any("job=health" in line for line in failures)
    assert any("retired_measure" in line for line in failures)
    assert _scores(workspace) == 0


def test_no_jobs_serves_without_scheduling(workspace, tmp_path):
    log = tmp_path / "serve.log"
    with _tenure_serve(workspace, "--no-jobs", log=log) as url:
        assert httpx.get(f"{url}/api/health").status_code == 200
    text = log.read_text()
    assert "serving at" in text
    assert "core.jobs_scheduled" not in text
    assert "Jobs rollups" not in text
