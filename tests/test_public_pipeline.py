"""The whole job on data nobody on the team wrote: RavenStack with the
Retentioneering clickstream as product activity, through the shipped mappings.

Checks internal consistency: every quarter's ARR bridge balances, every paying
account on the last day is scored with an explanation, and every alert says
which rule fired and on which values.
"""

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from tenure.activity.store import EventStore
from tenure.alerts.models import Alert
from tenure.alerts.service import run_alert_rules
from tenure.core.db import make_session_factory, transaction
from tenure.core.time import parse_period
from tenure.health.service import compute_health_scores
from tenure.ingest.service import import_path
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions

MAPPINGS = Path(__file__).resolve().parents[1] / "examples" / "mappings"
AS_OF = date(2024, 12, 31)
NOW = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)


def _load(workspace, shared_data):
    import_path(
        workspace,
        shared_data / "ravenstack",
        now=NOW,
        as_of=AS_OF,
        mapping_path=MAPPINGS / "ravenstack.yaml",
    )
    import_path(
        workspace,
        shared_data / "retentioneering_ecom" / "ecom.csv.gz",
        now=NOW,
        mapping_path=MAPPINGS / "retentioneering_ecom.yaml",
        entities=("contacts", "events"),
    )


def test_public_data_runs_end_to_end_and_hangs_together(workspace, shared_data):
    _load(workspace, shared_data)

    service = MetricService.from_engine(
        workspace.engine, MetricOptions(as_of=AS_OF.isoformat())
    )
    for quarter in parse_period("2023-04-01..2025-01-01").split("quarter"):
        (bridge,) = service.compute(["arr_movements"], quarter)
        parts = bridge.parts
        moved = (
            parts["new"] + parts["reactivation"] + parts["expansion"]
            - parts["contraction"] - parts["churn"]
            - parts["pause"] + parts["resume"] + parts["fx"]
        )  # fmt: skip
        assert round(parts["starting_arr"] + moved - parts["ending_arr"], 2) == 0
    (arr,) = service.compute(["arr_snapshot"], parse_period("2024-Q4"))
    paying = set(arr.parts["arr_by_account"])

    store = EventStore(workspace.settings.event_store_path)
    with transaction(workspace.engine) as session:
        scores = compute_health_scores(session, as_of=AS_OF, store=store)
        summary = run_alert_rules(session, as_of=AS_OF, store=store)
    scored = {score.account_id for score in scores}
    assert paying and paying <= scored
    assert all(0 <= score.score <= 100 and score.parts for score in scores)
    assert summary.fired

    with make_session_factory(workspace.engine)() as session:
        alerts = list(session.scalars(select(Alert).where(Alert.status == "open")))
    assert alerts
    assert all(alert.rule_id and alert.values for alert in alerts)
