"""Run each side of a workload in its own child process and compare them.

A side's child writes its measurements as JSON to a result file; its peak
memory is the maximum resident set size the kernel reports when the child is
reaped (`os.wait4`), so the two sides never share a heap. For the server
workloads the measured child is the server itself and a separate client
process drives it on 127.0.0.1.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SIDES = ("tenure", "baseline")


@dataclass
class SideResult:
    seconds: float
    peak_rss_mib: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class WorkloadResult:
    workload: str
    scale: str
    measure: str
    tenure: SideResult
    baseline: SideResult
    note: str = ""

    @property
    def time_ratio(self) -> float:
        return self.tenure.seconds / self.baseline.seconds

    @property
    def memory_ratio(self) -> float:
        return self.tenure.peak_rss_mib / self.baseline.peak_rss_mib

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["time_ratio"] = round(self.time_ratio, 3)
        data["memory_ratio"] = round(self.memory_ratio, 3)
        return data


CHECKOUT = Path(__file__).resolve().parents[1]


def _module_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks", *arguments]


def _child_environment() -> dict[str, str]:
    """This environment, with the checkout importable (benchmarks is not installed)."""
    paths = [str(CHECKOUT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _reap(process: subprocess.Popen[bytes]) -> float:
    """Wait for the child and return its peak resident memory in MiB."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024


def run_child(arguments: list[str], *, result_file: Path, log_file: Path) -> SideResult:
    """Run `python -m benchmarks <arguments>` and read what it measured."""
    result_file.unlink(missing_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            _module_command(*arguments, "--result", str(result_file)),
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_child_environment(),
        )
        peak = _reap(process)
    if process.returncode != 0:
        raise RuntimeError(
            f"benchmark child {' '.join(arguments)} exited with {process.returncode}; "
            f"see {log_file}"
        )
    measured = json.loads(result_file.read_text(encoding="utf-8"))
    return SideResult(measured.pop("seconds"), round(peak, 1), measured)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerChild:
    """`python -m benchmarks serve` on 127.0.0.1, stopped with SIGINT."""

    def __init__(self, home: Path, *, log_file: Path) -> None:
        self.port = free_port()
        self._log = log_file.open("ab")
        self.process = subprocess.Popen(
            _module_command("serve", "--home", str(home), "--port", str(self.port)),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=_child_environment(),
        )
        self._wait_until_up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_until_up(self) -> None:
        for _ in range(600):
            if self.process.poll() is not None:
                raise RuntimeError("the benchmark server stopped while starting")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("the benchmark server did not answer within a minute")

    def stop(self) -> float:
        """Stop the server and return its peak resident memory in MiB."""
        self.process.send_signal(signal.SIGINT)
        peak = _reap(self.process)
        self._log.close()
        return round(peak, 1)
