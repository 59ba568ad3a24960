"""Run workloads side by side and format the results."""

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import credentials, ensure_data
from benchmarks.harness import ServerChild, SideResult, WorkloadResult, run_child
from benchmarks.scales import Scale

WORKLOADS = {
    "W1": "ARR movements for 36 months, then the suite by segment and CSM",
    "W2": "daily rollups of the event store",
    "W3": "health scores and alert rules",
    "W4": "tracking API ingestion, batches of 100",
    "W5": "account page and dashboard, p99 latency",
}
MEASURES = {
    "W1": "seconds",
    "W2": "seconds",
    "W3": "seconds",
    "W4": "seconds for all batches",
    "W5": "p99 seconds per request",
}


def run_side(workload: str, side: str, folder: Path, scale: Scale) -> dict[str, Any]:
    """The body of one side's child process: do the work, return measurements."""
    from benchmarks import w1_metrics, w2_rollups, w3_health, w4_tracking

    sides: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
        ("W1", "tenure"): lambda: _timed(lambda: w1_metrics.run_tenure(folder)),
        ("W1", "baseline"): lambda: _timed(lambda: w1_metrics.run_baseline(folder)),
        ("W2", "tenure"): lambda: w2_rollups.run_tenure(folder, scale),
        ("W2", "baseline"): lambda: w2_rollups.run_floor(folder),
        ("W3", "tenure"): lambda: w3_health.run_tenure(folder),
        ("W3", "baseline"): lambda: w3_health.run_baseline(folder),
        ("W4", "baseline"): lambda: w4_tracking.run_baseline(folder, scale),
    }
    return sides[(workload, side)]()


def _timed(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    done = work()
    seconds = time.perf_counter() - started
    movements = done.pop("movements", None)
    if movements is not None:
        done["account_months_moved"] = len(movements)
    return {"seconds": seconds, **done}


def run_load(workload: str, url: str, folder: Path, scale: Scale) -> dict[str, Any]:
    """The body of a client process driving a benchmark server."""
    from benchmarks import w4_tracking, w5_pages

    keys = credentials(folder)
    if workload == "W4":
        return w4_tracking.drive(
            url, keys["write_key"], w4_tracking.request_bodies(scale)
        )
    paths = (
        w5_pages.page_paths(scale)
        if workload == "W5"
        else w5_pages.trivial_paths(scale)
    )
    return w5_pages.drive(url, keys["api_token"], paths)


def run_workload(workload: str, scale: Scale, data: Path) -> WorkloadResult:
    folder = ensure_data(data, scale)
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    common = ["--scale", scale.name, "--data", str(data)]
    common += ["--clients", str(scale.clients)]

    def child(*arguments: str) -> SideResult:
        name = "-".join(arguments[:3] if arguments[0] == "side" else arguments[:2])
        return run_child(
            [*arguments, *common],
            result_file=logs / f"{name}.json",
            log_file=logs / f"{name}.log",
        )

    def served(home: Path, load: str) -> SideResult:
        server = ServerChild(home, log_file=logs / f"{load}-server.log")
        try:
            measured = child("load", load, "--url", server.url)
        finally:
            peak = server.stop()
        measured.peak_rss_mib = peak
        return measured

    if workload == "W4":
        from benchmarks.w4_tracking import scratch_home

        tenure = served(scratch_home(folder), "W4")
        baseline = child("side", "W4", "baseline")
    elif workload == "W5":
        tenure = served(folder / "home", "W5")
        baseline = served(folder / "home", "W5-trivial")
    else:
        tenure = child("side", workload, "tenure")
        baseline = child("side", workload, "baseline")
    note = f"{scale.clients} clients" if workload == "W5" else ""
    return WorkloadResult(
        workload, scale.name, MEASURES[workload], tenure, baseline, note
    )


def table(results: list[WorkloadResult]) -> str:
    header = (
        "| workload | measure | Tenure | baseline | time ratio | Tenure peak MiB "
        "| baseline peak MiB | memory ratio |"
    )
    lines = [header, "|" + "---|" * 8]
    for r in results:
        lines.append(
            f"| {r.workload} ({r.scale}) | {r.measure} | {r.tenure.seconds:.3f} "
            f"| {r.baseline.seconds:.3f} | {r.time_ratio:.2f}× "
            f"| {r.tenure.peak_rss_mib:.0f} | {r.baseline.peak_rss_mib:.0f} "
            f"| {r.memory_ratio:.2f}× |"
        )
    lines.append("")
    for r in results:
        lines.append(f"{r.workload} Tenure: {_extras(r.tenure.extra)}")
        lines.append(f"{r.workload} baseline: {_extras(r.baseline.extra)}")
    return "\n".join(lines)


def _extras(extra: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in extra.items())


def as_json(results: list[WorkloadResult]) -> str:
    return json.dumps([r.to_dict() for r in results], indent=2)
