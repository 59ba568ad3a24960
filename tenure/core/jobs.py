"""Named background jobs: `tenure jobs run NAME` and the server's scheduler.

`JOBS` maps a job name to the dotted path of a function
`(workspace, *, as_of) -> dict[str, int]` that returns counts to report. The
path is imported only when the job runs, so this module stays below every
domain package; a package adds its job with one line here.
"""

import importlib
import time
from collections.abc import Callable
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
