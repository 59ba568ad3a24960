"""The hand-worked cases of the shared case file, through the public service."""

import subprocess
import sys

import pytest
import yaml

from tests.conftest import SHARED_CASES
from tests.metric_cases import check_case, compute_flat

CASE_FILE = SHARED_CASES / "metric_cases.yaml"
CASES = yaml.safe_load(CASE_FILE.read_text()) if CASE_FILE.exists() else []


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case_matches_hand_working_and_produces_no_wrong_value(case, engine):
    """Every case on every store backend (SQLite, and PostgreSQL when set)."""
    assert check_case(case, engine=engine) == []


def test_runner_passes_every_case_of_the_shared_file():
    done = subprocess.run(
        [sys.executable, "-m", "tests.metric_cases", str(CASE_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout
    assert lines[-1] == f"{len(CASES)} passed, 0 failed"
    assert all(line.startswith("PASS ") for line in lines[:-1])


def test_runner_reports_a_wrong_expectation_and_exits_1(tmp_path):
    case = next(c for c in CASES if c["id"] == "C07")
    case = {
        **case,
        "expected": {
            **case["expected"],
            "values": {**case["expected"]["values"], "logo_churn": 0.2},
        },
    }
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump([case]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.metric_cases", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "FAIL C07 logo_churn expected 0.2 got 0.1" in done.stdout
    assert done.stdout.strip().endswith("0 passed, 1 failed")


def test_c07_without_a_renewals_table_derives_the_same_logo_churn():
    """Renewals derived from terms: ten monthly lines due in January (0703's term
    ends 12 January, unrenewed); 0714 leaves on 20 January before its first
    renewal (8 February), so it is not due in January: 1/10."""
    case = next(c for c in CASES if c["id"] == "C07")
    data = {k: v for k, v in case["input"].items() if k != "renewals"}
    flat = compute_flat(data, case["query"])
    (values,) = flat.values()
    assert values["logo_churn"] == 0.1
    assert values["up_for_renewal"] == [f"acct-07{n:02d}" for n in range(1, 11)]
    assert values["lost"] == ["acct-0703"]
