"""Named background jobs: `tenure jobs run NAME` and the server's scheduler.

`JOBS` maps a job name to the dotted path of a function
`(workspace, *, as_of) -> dict[str, int]` that returns counts to report. The
path is imported only when the job runs, so this module stays below every
domain package; a package adds its job with one line here.
"""

import importlib
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import cast

import structlog

from tenure.core.errors import NotFound
from tenure.core.workspace import Workspace

log = structlog.get_logger()

JobFunction = Callable[..., dict[str, int]]

JOBS: dict[str, str] = {
    "rollups": "tenure.activity.rollups:run_rollups_job",
    "health": "tenure.health.service:run_health_job",
    "alerts": "tenure.alerts.service:run_alerts_job",
    "surveys": "tenure.surveys.sending:run_surveys_job",
}


class JobNotFound(NotFound):
    """No job is registered under the name asked for."""


def job_function(name: str) -> JobFunction:
    path = JOBS.get(name)
    if path is None:
        raise JobNotFound(
            f"no job is named {name!r}; use one of {', '.join(sorted(JOBS))}"
        )
    module_name, _, attribute = path.partition(":")
    return cast(JobFunction, getattr(importlib.import_module(module_name), attribute))


def run_job(name: str, workspace: Workspace, *, as_of: date) -> dict[str, int]:
    """Run one job now and return its counts."""
    function = job_function(name)
    started = time.perf_counter()
    counts = function(workspace, as_of=as_of)
    log.info(
        "core.job_finished",
        job=name,
        seconds=round(time.perf_counter() - started, 3),
        **counts,
    )
    return counts


class JobScheduler:
    """Runs the named jobs one after another, now and then every `every_seconds`,
    on a background thread, until `stop()`.

    A job that raises is logged (`core.job_failed`) and the next one runs; the
    thread keeps going. `today` gives each round's `as_of`: the scheduler is the
    edge that reads the clock, so the jobs never do.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        names: Sequence[str],
        every_seconds: float,
        today: Callable[[], date],
    ) -> None:
        for name in names:
            job_function(name)
        self.workspace = workspace
        self.names = tuple(names)
        self.every_seconds = every_seconds
        self.today = today
        self.rounds = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name="tenure-jobs", daemon=True
        )

    def start(self) -> None:
        log.info(
            "core.jobs_scheduled", jobs=",".join(self.names), seconds=self.every_seconds
        )
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to finish after the running job, and wait for it."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_round(self) -> dict[str, bool]:
        """Run every job once; which succeeded."""
        outcome = {}
        as_of = self.today()
        for name in self.names:
            if self._stopping.is_set():
                break
            try:
                run_job(name, self.workspace, as_of=as_of)
                outcome[name] = True
            except Exception as exc:  # one broken job must not stop the others
                log.error(
                    "core.job_failed",
                    job=name,
                    as_of=as_of.isoformat(),
                    error=type(exc).__name__,
                    reason=str(exc),
                )
                outcome[name] = False
        self.rounds += 1
        return outcome

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self.run_round()
            self._stopping.wait(self.every_seconds)
