"""`tenure churn reasons`, `tenure users list` and `tenure accounts list` output."""

import json

import pytest
from typer.testing import CliRunner

from tenure.cli.main import app
from tests.accounts.test_churn_reasons import FILES
from tests.cli.process import run_tenure
from tests.ingest.conftest import write_files


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    source = write_files(tmp_path / "input", FILES)
    for args in (
        ["init"],
        [
            "users",
            "add",
            "ada",
            "--email",
            "ada@example.test",
            "--name",
            "Ada",
            "--fte",
            "0.5",
        ],
        ["import", str(source), "--as-of", "2024-03-01"],
    ):
        result = CliRunner().invoke(app, ["--home", str(folder), *args])
        assert result.exit_code == 0, result.output
    return folder


def tenure(home, *args):
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_churn_reasons_as_json_add_up_to_the_bridge(home):
    out = json.loads(
        tenure(
            home,
            "churn",
            "reasons",
            "--period",
            "2024-Q2",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
        )
    )

    assert out["period"] == "2024-Q2"
    assert (out["churned_arr_cents"], out["contracted_arr_cents"]) == (
        1_680_000,
        1_800_000,
    )
    # No notes here: a2's contraction has no stated reason, a5 keeps 'pricing'.
    reasons = {r["reason"]: r["lost_arr_cents"] for r in out["reasons"]}
    assert reasons == {
        "pricing": 1_200_000 + 360_000,
        "(no reason given)": 1_800_000 + 120_000,
    }


def test_churn_reasons_as_a_table_and_csv(home):
    table = tenure(
        home, "churn", "reasons", "--period", "2024-Q2", "--as-of", "2024-12-31"
    )
    csv_text = tenure(
        home,
        "churn",
        "reasons",
        "--period",
        "2024-Q2",
        "--as-of",
        "2024-12-31",
        "--format",
        "csv",
    )

    assert "2024-Q2: churned 16800.00 and contracted 18000.00 USD ARR" in table
    assert csv_text.splitlines()[:2] == [
        "reason,label,accounts,churned_arr,contracted_arr,lost_arr,currency",
        "(no reason given),(no reason given),2,1200.00,18000.00,19200.00,USD",
    ]


def test_a_period_that_is_not_one_says_how_to_write_it(home):
    result = run_tenure("--home", str(home), "churn", "reasons", "--period", "someday")

    assert result.returncode == 1
    assert result.stderr == (
        "error: period 'someday' is not understood; write 2024, 2024-Q1, 2024-03 "
        "or 2024-01-01..2024-02-15 (end exclusive)\n"
    )


def test_users_list_as_json_gives_fte_as_a_number(home):
    (ada,) = json.loads(tenure(home, "users", "list", "--format", "json"))

    assert ada["fte"] == 0.5
    assert ada["capacity_accounts"] is None


def test_accounts_list_shows_arr_on_the_day(home):
    records = json.loads(
        tenure(home, "accounts", "list", "--as-of", "2024-03-31", "--format", "json")
    )
    table = tenure(home, "accounts", "list", "--as-of", "2024-03-31")

    arr = {r["id"]: r["arr_cents"] for r in records}
    assert arr == {
        "a1": 1_200_000,
        "a2": 2_400_000,
        "a3": 120_000,
        "a4": 360_000,
        "a5": 360_000,
    }
    assert "12,000.00 USD" in table
