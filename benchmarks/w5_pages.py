"""W5: the account page and the dashboard under 50 concurrent clients.

A real server on 127.0.0.1 answers signed-in requests (an API token of the
generated CS leader) for account pages of accounts spread over the book and
for the dashboard; the baseline is the same server's trivial endpoint
(`/api/health`) under the same concurrency, in a server of its own.
"""

import http.client
import statistics
import threading
import time
from typing import Any

from benchmarks.scales import Scale

TRIVIAL_REPEAT = 20


def account_paths(scale: Scale, count: int) -> list[str]:
    step = max(1, scale.accounts // max(1, count))
    return [f"/accounts/acc{(n * step) % scale.accounts:06d}" for n in range(count)]


def drive(url: str, token: str, paths: list[list[str]]) -> dict[str, Any]:
    """Each client requests its list of paths in turn; latencies per path kind."""
    host, port = url.removeprefix("http://").split(":")
    latencies: dict[str, list[float]] = {}
    lock = threading.Lock()
    failures: list[str] = []

    def client(mine: list[str]) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=900)
        for path in mine:
            started = time.perf_counter()
            try:
                connection.request(
                    "GET", path, headers={"Authorization": f"Bearer {token}"}
                )
                response = connection.getresponse()
                response.read()
                status: int | str = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=900)
            elapsed = time.perf_counter() - started
            if status != 200:
                # An error answer still took its time; it is counted, not hidden.
                with lock:
                    failures.append(f"{path}: {status}")
            kind = "account_page" if path.startswith("/accounts/") else path
            with lock:
                latencies.setdefault(kind, []).append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in paths]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    everything = [value for values in latencies.values() for value in values]
    result: dict[str, Any] = {
        "seconds": percentile(everything, 99),
        "p50_seconds": percentile(everything, 50),
        "requests": len(everything),
        "wall_seconds": round(wall, 3),
        "clients": len(paths),
        "failed": len(failures),
        "first_failure": failures[0] if failures else None,
    }
    for kind, values in latencies.items():
        name = "dashboard" if kind == "/" else kind.strip("/").replace("/", "_")
        result[f"{name}_p50_seconds"] = percentile(values, 50)
        result[f"{name}_p99_seconds"] = percentile(values, 99)
    return result


def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return round(values[0], 4)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 4)


def page_paths(scale: Scale) -> list[list[str]]:
    accounts = account_paths(scale, scale.clients * scale.page_requests)
    return [
        [
            path
            for n in range(scale.page_requests)
            for path in (accounts[client * scale.page_requests + n], "/")
        ]
        for client in range(scale.clients)
    ]


def trivial_paths(scale: Scale) -> list[list[str]]:
    repeat = TRIVIAL_REPEAT * scale.page_requests
    return [["/api/health"] * repeat for _ in range(scale.clients)]
