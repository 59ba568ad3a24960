"""`tenure metrics --engine spark --from DIR` reads an export, answers like DuckDB."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from tenure.accounts.models import Account
from tenure.cli.main import app
from tenure.core.db import transaction
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.exports.parquet import ExportError
from tenure.revenue.models import ContractLine


@pytest.fixture
def exported(tmp_path):
    """a1 (smb) pays 100 a month; a2 (mid) 200 a month until 15 Feb 2024; exported."""
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
    target = tmp_path / "export"
    done = _run(home, "export", "--format", "parquet", str(target))
    assert done.exit_code == 0, done.output
    return home, target


def _run(home, *args):
    return CliRunner().invoke(
        app, ["--home", str(home), *args, "--option", "as_of=2024-06-30"]
    )


def test_spark_engine_answers_the_same_json_as_duckdb(exported, spark):
    home, target = exported
    query = ["metrics", "--period", "2024-Q1", "--by", "segment", "--format", "json"]
    query += ["--metric", "nrr", "--metric", "arr", "--metric", "customer_churn"]
    duck = _run(home, *query)
    on_spark = _run(home, *query, "--engine", "spark", "--from", str(target))
    assert duck.exit_code == 0, duck.output
    assert on_spark.exit_code == 0, on_spark.output
    assert json.loads(on_spark.output) == json.loads(duck.output)
    results = json.loads(duck.output)["results"]
    nrr = {
        r["slice"]: r["value"]
        for r in results
        if r["metric"] == "net_revenue_retention"
    }
    assert nrr == {"segment=mid": 0.0, "segment=smb": 1.0}


def test_spark_explain_lists_the_same_accounts(exported, spark):
    home, target = exported
    args = ["metrics", "explain", "customer_churn", "--period", "2024-Q1"]
    args += ["--format", "json", "--engine", "spark", "--from", str(target)]
    result = _run(home, *args)
    assert result.exit_code == 0, result.output
    (churn,) = json.loads(result.output)
    assert [row["account_id"] for row in churn["rows"]] == ["a2"]


def test_spark_engine_refuses_what_it_cannot_answer(exported, spark, tmp_path):
    home, target = exported
    no_source = _run(home, "metrics", "--period", "2024-Q1", "--engine", "spark")
    assert "pass --from DIR" in str(no_source.exception)
    no_export = _run(
        home,
        "metrics",
        "--period",
        "2024-Q1",
        "--engine",
        "spark",
        "--from",
        str(tmp_path),
    )
    assert isinstance(no_export.exception, ExportError)
    assert "holds no manifest.json" in str(no_export.exception)
    other = CliRunner().invoke(
        app,
        [
            "--home",
            str(home),
            "metrics",
            "--period",
            "2024-Q1",
            "--engine",
            "spark",
            "--from",
            str(target),
            "--option",
            "as_of=2024-06-30",
            "--option",
            "grace_days=14",
        ],
    )
    assert "was made with grace_days=30 but this run asks for grace_days=14" in str(
        other.exception
    )
    long = _run(
        home,
        "metrics",
        "--period",
        "2024-01-01..2027-01-01",
        "--engine",
        "spark",
        "--from",
        str(target),
    )
    assert "holds renewals due 1900-01-01..2025-12-31 only" in str(long.exception)
