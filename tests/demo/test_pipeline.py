"""`run_demo`: the generated company loads cleanly and its figures hang together."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tenure.core.errors import ConfigurationError
from tenure.core.settings import Settings
from tenure.demo.pipeline import SUMMARY_METRICS, last_whole_quarters, run_demo
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions

END_ON = date(2026, 11, 30)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _run(home: Path, *, accounts: int = 60, seed: int = 3):
    return run_demo(
        Settings(home=home),
        accounts=accounts,
        months=18,
        seed=seed,
        end_on=END_ON,
        now=NOW,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    run = _run(tmp_path_factory.mktemp("demo") / "home")
    yield run
    run.workspace.engine.dispose()


def test_last_whole_quarters_stop_before_an_unfinished_quarter():
    labels = [q.label for q in last_whole_quarters(date(2026, 11, 30), 4)]
    assert labels == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert last_whole_quarters(date(2026, 12, 31), 1)[0].label == "2026-Q4"


def test_generated_company_imports_with_zero_rejected_rows(demo_run):
    assert demo_run.report.is_written
    assert all(item.rejected == 0 for item in demo_run.report.entities)
    counts = demo_run.company.counts()
    loaded = {item.entity: item.new for item in demo_run.report.entities}
    assert {entity: loaded.get(entity) for entity in counts} == counts


def test_every_summary_metric_is_computed_for_each_quarter(demo_run):
    keys = {(r.slug, r.period) for r in demo_run.results}
    assert keys == {(s, q.label) for s in SUMMARY_METRICS for q in demo_run.quarters}
    undefined = [r for r in demo_run.results if r.value is None]
    assert all(r.reason for r in undefined)


def test_the_arr_bridge_balances_in_every_demo_quarter(demo_run):
    service = MetricService.from_engine(demo_run.workspace.engine, MetricOptions())
    for quarter in demo_run.quarters:
        (bridge,) = service.compute(["arr_movements"], quarter)
        parts = bridge.parts
        gained = parts["new"] + parts["reactivation"] + parts["expansion"]
        lost = parts["contraction"] + parts["churn"]
        moved = gained - lost + parts["fx"] - parts["pause"] + parts["resume"]
        assert round(parts["starting_arr"] + moved - parts["ending_arr"], 2) == 0


def test_demo_refuses_a_home_it_did_not_make(tmp_path):
    home = tmp_path / "company"
    home.mkdir()
    (home / "precious.csv").write_text("id\n1\n")
    with pytest.raises(ConfigurationError, match="did not make"):
        _run(home, accounts=5)
    assert (home / "precious.csv").exists()


def test_running_the_demo_again_replaces_its_own_home(tmp_path):
    home = tmp_path / "home"
    first = _run(home, accounts=8, seed=1)
    first.workspace.engine.dispose()
    second = _run(home, accounts=8, seed=2)
    second.workspace.engine.dispose()
    assert second.report.summary("accounts").new == 8


def test_demo_refuses_an_external_database(tmp_path):
    settings = Settings(home=tmp_path / "h", database_url="sqlite:///elsewhere.db")
    with pytest.raises(ConfigurationError, match="TENURE_DATABASE_URL"):
        run_demo(settings, accounts=5, months=6, seed=1, end_on=END_ON, now=NOW)


def test_every_live_account_is_scored_and_alerts_have_a_csm(demo_run):
    assert sum(demo_run.health_bands.values()) > 0
    assert set(demo_run.health_bands) <= {"red", "yellow", "green"}
    assert "(no CSM)" not in demo_run.open_alerts_by_csm


def test_the_demo_leader_can_sign_in_with_the_demo_password(demo_run):
    from tenure.accounts.access import authenticate
    from tenure.core.db import make_session_factory
    from tenure.demo.pipeline import DEMO_PASSWORD

    with make_session_factory(demo_run.workspace.engine)() as session:
        user = authenticate(session, demo_run.sign_in_email, DEMO_PASSWORD)
    assert user is not None and user.role == "leader"
