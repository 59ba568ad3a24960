"""Comparing the results of two engines: money to the cent, rates to 1e-9."""

import math
from collections.abc import Sequence
from typing import Any

from tenure.metrics.result import MetricResult

RATE_TOLERANCE = 1e-9
FIGURES = ("value", "numerator", "denominator")


def _close(a: Any, b: Any, *, exact: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if exact:
            return a == b
        if math.isnan(a) or math.isnan(b):
            return False
        return abs(a - b) <= RATE_TOLERANCE * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], exact=exact) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(
            _close(x, y, exact=exact) for x, y in zip(a, b, strict=True)
        )
    return bool(a == b)


def _account_ids(result: MetricResult) -> list[str]:
    return sorted(str(row["account_id"]) for row in result.rows if "account_id" in row)


def differences(
    expected: Sequence[MetricResult], got: Sequence[MetricResult]
) -> list[str]:
    """Every way two engines' results for the same query differ."""
    if [(r.slug, r.slice) for r in expected] != [(r.slug, r.slice) for r in got]:
        return [
            f"different results: {[(r.slug, r.slice) for r in expected]} vs "
            f"{[(r.slug, r.slice) for r in got]}"
        ]
    problems = []
    for a, b in zip(expected, got, strict=True):
        where = f"{a.slug} {a.period} {a.slice or ''}".strip()
        money = a.unit == "money"
        for name in FIGURES:
            x, y = getattr(a, name), getattr(b, name)
            exact = money and name in ("value", "numerator")
            if not _close(x, y, exact=exact):
                problems.append(f"{where} {name}: {x!r} vs {y!r}")
        if a.reason != b.reason:
            problems.append(f"{where} reason: {a.reason!r} vs {b.reason!r}")
        if not _close(a.parts, b.parts, exact=False):
            problems.append(f"{where} parts: {a.parts!r} vs {b.parts!r}")
        if _account_ids(a) != _account_ids(b):
            problems.append(f"{where} drill-down accounts differ")
        if len(a.rows) != len(b.rows):
            problems.append(f"{where} rows: {len(a.rows)} vs {len(b.rows)}")
    return problems
