"""`tenure health` and `tenure alerts` on a small workspace."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from tenure.accounts.models import Account, User
from tenure.cli.main import app
from tenure.core.db import transaction
from tenure.core.logging import configure_logging
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.revenue.models import ContractLine


@pytest.fixture(autouse=True)
def _restore_logging():
    """The CLI points logging at the runner's stream, which closes after a run."""
    yield
    configure_logging(level="WARNING")


@pytest.fixture
def home(tmp_path):
    """a1 (CSM u1) pays 100 a month from 2023 for 5 seats; a2 has no CSM."""
    home = tmp_path / "home"
    workspace = init_workspace(Settings(home=home))
    with transaction(workspace.engine) as session:
        session.add(User(id="u1", email="csm.one@example.test", name="Robin Vale"))
        session.flush()
        session.add_all(
            [
                Account(id="a1", name="Alder", csm_id="u1"),
                Account(id="a2", name="Birch"),
            ]
        )
        session.flush()
        session.add(
            ContractLine(
                id="l1",
                account_id="a1",
                starts_on=date(2023, 1, 1),
                amount_cents=10000,
                quantity=5,
            )
        )
    workspace.engine.dispose()
    return home


def _run(home, *args):
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_health_shows_scores_and_explains_one_account(home):
    rows = json.loads(_run(home, "health", "--as-of", "2024-03-01", "--format", "json"))
    explained = _run(home, "health", "--as-of", "2024-03-01", "--account", "a1")

    assert [row["account_id"] for row in rows] == ["a1", "a2"]
    assert rows[0]["band"] == "green"
    assert "arr_trend_rate" in explained
    assert "missing" in explained


def test_alerts_run_list_ack_snooze_resolve(home):
    assert "fired" in _run(home, "alerts", "run", "--as-of", "2024-03-01")
    alerts = json.loads(_run(home, "alerts", "list", "--format", "json"))
    no_csm = next(a for a in alerts if a["rule"] == "no_csm")

    _run(home, "alerts", "ack", no_csm["id"], "--by", "u1")
    _run(home, "alerts", "snooze", no_csm["id"], "--until", "2999-01-01")
    snoozed = json.loads(
        _run(home, "alerts", "list", "--status", "snoozed", "--format", "json")
    )
    _run(home, "alerts", "resolve", no_csm["id"])
    resolved = json.loads(
        _run(home, "alerts", "list", "--status", "resolved", "--format", "json")
    )

    assert no_csm["account"] == "a2"
    assert [a["id"] for a in snoozed] == [no_csm["id"]]
    assert [a["id"] for a in resolved] == [no_csm["id"]]


def test_dry_run_and_backtest_print_their_summaries(home):
    dry = _run(
        home,
        "alerts",
        "dry-run",
        "no_csm",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-15",
    )
    backtest = _run(
        home,
        "health",
        "backtest",
        "--from",
        "2023-06-01",
        "--to",
        "2023-12-01",
        "--horizon",
        "90d",
    )

    assert (
        "rule no_csm (has_csm == false): 1 alert(s) on 1 account(s) over 3 runs" in dry
    )
    assert "AUC: n/a (churn or contraction)" in backtest
    assert "days_since_last_login >= 30" in _run(home, "alerts", "rules")


def test_an_unknown_rule_is_one_error_line(home):
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(home),
            "alerts",
            "dry-run",
            "nope",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-02",
        ],
    )
    assert result.exit_code != 0
    assert "no alert rule 'nope'" in str(result.exception)
