"""RavenStack through the import, checked against the day-walking reference.

Recipe: import `../shared/data/ravenstack` with `examples/mappings/ravenstack.yaml`,
read the contract lines and cancellations back from the store as plain dicts
(a cancellation ends the line it names, or every line of its account that
started before its effective date, on that date; lines that start later are
untouched), and bridge every month of
2023–2024 with `tests/reference/bridge.py` at the default 30-day grace window.
"""

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tenure.cli.main import app
from tenure.core.db import make_session_factory
from tenure.core.settings import Settings
from tenure.core.time import parse_period
from tenure.core.workspace import init_workspace
from tenure.ingest.service import import_path
from tenure.metrics.service import MetricService
from tenure.revenue.models import Cancellation, ContractLine
from tenure.revenue.policy import MetricOptions
from tests.conftest import SHARED_DATA
from tests.reference.bridge import month_starts, monthly_bridge

MAPPING = (
    Path(__file__).resolve().parents[2] / "examples" / "mappings" / "ravenstack.yaml"
)
SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "ravenstack_json_keys.json"
NOW = datetime(2025, 1, 1, tzinfo=UTC)
KEYS = (
    "starting",
    "new",
    "reactivation",
    "expansion",
    "contraction",
    "churn",
    "ending",
)


def _import(workspace) -> None:
    import_path(
        workspace,
        SHARED_DATA / "ravenstack",
        now=NOW,
        mapping_path=MAPPING,
        as_of=date(2024, 12, 31),
    )


def _plain_lines(workspace) -> list[dict]:
    """Contract lines as the reference takes them, with cancellations applied."""
    with make_session_factory(workspace.engine)() as session:
        lines = list(session.scalars(select(ContractLine).order_by(ContractLine.id)))
        stops = list(session.scalars(select(Cancellation)))
    by_account: dict[str, list[Cancellation]] = defaultdict(list)
    for stop in stops:
        by_account[stop.account_id].append(stop)
    plain = []
    for line in lines:
        ends_on = line.ends_on
        for stop in by_account[line.account_id]:
            names_line = stop.contract_line_id == line.id
            ends_account = (
                stop.contract_line_id is None and line.starts_on < stop.effective_on
            )
            if names_line or ends_account:
                effective = max(stop.effective_on, line.starts_on)
                ends_on = effective if ends_on is None else min(ends_on, effective)
        plain.append(
            {
                "account_id": line.account_id,
                "starts_on": line.starts_on,
                "ends_on": ends_on,
                "amount_cents": line.amount_cents,
                "interval": line.interval,
                "interval_count": line.interval_count,
                "kind": line.kind,
                "arr_cents": line.arr_cents,
            }
        )
    return plain


def _reference(lines: list[dict], months: list[date]) -> dict[str, dict[str, int]]:
    """The reference bridge, one account at a time (bridges add up over accounts)."""
    by_account: dict[str, list[dict]] = defaultdict(list)
    for line in lines:
        by_account[line["account_id"]].append(line)
    total = {f"{m:%Y-%m}": dict.fromkeys(KEYS, 0) for m in months}
    for account_lines in by_account.values():
        for label, row in monthly_bridge(account_lines, months, grace_days=30).items():
            for key in KEYS:
                total[label][key] += row[key]
    return total


def test_monthly_bridge_matches_the_reference_to_the_cent(workspace):
    _import(workspace)
    months = month_starts(date(2023, 1, 1), date(2024, 12, 1))
    expected = _reference(_plain_lines(workspace), months)

    service = MetricService.from_engine(workspace.engine, MetricOptions())
    actual = {}
    for start in months:
        (result,) = service.compute(["arr_movements"], parse_period(f"{start:%Y-%m}"))
        parts = result.parts
        actual[result.period] = {
            "starting": round(parts["starting_arr"] * 100),
            "ending": round(parts["ending_arr"] * 100),
            **{key: round(parts[key] * 100) for key in KEYS[1:-1]},
        }
        assert (parts["pause"], parts["resume"], parts["fx"]) == (0, 0, 0)

    assert len(actual) == 24
    assert actual == expected
    assert sum(row["churn"] for row in expected.values()) > 0
    assert sum(row["expansion"] for row in expected.values()) > 0


@pytest.fixture(scope="module")
def ravenstack_home(tmp_path_factory) -> Path:
    """A SQLite workspace holding the RavenStack import, shared by the CLI tests."""
    home = tmp_path_factory.mktemp("ravenstack") / "home"
    workspace = init_workspace(Settings(home=home))
    try:
        _import(workspace)
    finally:
        workspace.engine.dispose()
    return home


def _metrics(home: Path, *args: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(home),
            "metrics",
            "--period",
            "2024",
            "--grain",
            "quarter",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_quarterly_table_by_segment_has_one_none_slice_and_aligned_columns(
    ravenstack_home,
):
    lines = _metrics(ravenstack_home, "--by", "segment").splitlines()

    header, rows = lines[0], lines[1:]
    assert header.split() == [
        "metric",
        "label",
        "unit",
        "period",
        "slice",
        "value",
        "numerator",
        "denominator",
        "reason",
    ]
    slice_at = header.index("slice")
    slices = {row[slice_at:].split()[0] for row in rows}
    assert slices == {"segment=(none)", "all"}
    periods = {row[header.index("period") :].split()[0] for row in rows}
    assert periods == {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}
    assert all(line == line.rstrip() for line in lines)
    assert all(len(row) <= len(max(lines, key=len)) for row in rows)
    assert any(
        row.startswith("arr_movements ")
        and "2024-Q4" in row
        and "segment=(none)" in row
        for row in rows
    )


def test_quarterly_table_by_plan_has_one_slice_per_tier(ravenstack_home):
    lines = _metrics(ravenstack_home, "--metric", "nrr", "--by", "plan").splitlines()

    slice_at = lines[0].index("slice")
    assert sorted(row[slice_at:].split()[0] for row in lines[1:]) == sorted(
        [f"plan={tier}" for tier in ("Basic", "Enterprise", "Pro")] * 4
    )


def _key_shape(payload: dict) -> dict:
    """Every key of the JSON output, per metric, without the values."""
    metrics: dict[str, dict] = {}
    for result in payload["results"]:
        entry = metrics.setdefault(
            result["metric"],
            {"keys": sorted(result), "parts": set(), "slices": set()},
        )
        entry["parts"].update(result["parts"])
        entry["slices"].add(result["slice"])
    return {
        "top": sorted(payload),
        "options": sorted(payload["options"]),
        "periods": sorted({result["period"] for result in payload["results"]}),
        "metrics": {
            slug: {
                "keys": entry["keys"],
                "parts": sorted(entry["parts"]),
                "slices": sorted(entry["slices"]),
            }
            for slug, entry in sorted(metrics.items())
        },
    }


def test_json_output_keys_match_the_snapshot(ravenstack_home):
    payload = json.loads(
        _metrics(ravenstack_home, "--by", "segment", "--format", "json")
    )

    shape = _key_shape(payload)

    assert shape == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
