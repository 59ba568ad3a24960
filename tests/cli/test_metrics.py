"""`tenure metrics` and `tenure metrics explain` on a small workspace."""

import json
import subprocess
import sys
from datetime import date

import pytest
from typer.testing import CliRunner

from tenure.accounts.models import Account
from tenure.cli.main import app
from tenure.core.db import transaction
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.revenue.models import ContractLine


@pytest.fixture
def home(tmp_path):
    """Two accounts: a1 pays 100 a month from 2023, a2 200 a month until 15 Feb 2024."""
    home = tmp_path / "home"
    workspace = init_workspace(Settings(home=home))
    with transaction(workspace.engine) as session:
        session.add_all(
            [
                Account(id="a1", name="Alder", segment="smb"),
                Account(id="a2", name="Birch", segment="mid"),
            ]
        )
        session.flush()
        session.add_all(
            [
                ContractLine(
                    id="l1",
                    account_id="a1",
                    starts_on=date(2023, 1, 1),
                    amount_cents=10000,
                ),
                ContractLine(
                    id="l2",
                    account_id="a2",
                    starts_on=date(2023, 1, 1),
                    ends_on=date(2024, 2, 15),
                    amount_cents=20000,
                ),
            ]
        )
    workspace.engine.dispose()
    return home


def _invoke(home, *args):
    result = CliRunner().invoke(app, ["--home", str(home), "metrics", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_output_has_the_documented_stable_keys(home):
    out = _invoke(home, "--metric", "nrr", "--period", "2024-Q1", "--format", "json")
    payload = json.loads(out)
    (result,) = payload["results"]
    assert set(result) == {
        "metric",
        "label",
        "unit",
        "period",
        "slice",
        "value",
        "numerator",
        "denominator",
        "reason",
        "parts",
    }
    assert (result["metric"], result["value"]) == ("net_revenue_retention", 1200 / 3600)
    assert payload["options"]["grace_days"] == 30


def test_grain_splits_the_period_and_by_slices_it(home):
    out = _invoke(
        home,
        "--metric",
        "gross_churn",
        "--period",
        "2024-Q1",
        "--grain",
        "month",
        "--by",
        "segment",
        "--format",
        "csv",
    )
    lines = out.strip().splitlines()
    assert lines[0].startswith("metric,label,unit,period,slice,value")
    assert "gross_revenue_churn_rate,Gross churn,rate,2024-02,segment=mid,1.0" in out
    assert len(lines) == 1 + 3 * 2


def test_option_changes_a_policy(home):
    out = _invoke(
        home,
        "--metric",
        "gross_churn",
        "--period",
        "2024-Q1",
        "--option",
        "annualise=linear",
        "--format",
        "json",
    )
    parts = json.loads(out)["results"][0]["parts"]
    assert parts["gross_churn_annualised"] == pytest.approx(2400 / 3600 * 4)


def test_explain_lists_the_accounts_behind_the_figure(home):
    out = _invoke(home, "explain", "gross_churn", "--period", "2024-Q1")
    assert out.splitlines()[0] == "Gross churn 2024-Q1: 66.67 % = 2,400.00 / 3,600.00"
    assert "a2" in out and "2400.0" in out


def test_bad_period_prints_one_error_line_and_exits_1(home):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tenure.cli.main",
            "--home",
            str(home),
            "metrics",
            "--period",
            "2024-13",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: period '2024-13' is not a real")
