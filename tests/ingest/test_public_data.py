"""The example mappings load the public sample exports completely and idempotently."""

from datetime import date
from pathlib import Path

import duckdb
from sqlalchemy import func, select

from tenure.accounts.models import Account, Ticket
from tenure.activity.store import EventStore
from tenure.core.db import make_session_factory
from tenure.revenue.models import Cancellation, ContractLine
from tests.ingest.conftest import dump, run_import

MAPPINGS = Path(__file__).resolve().parents[2] / "examples" / "mappings"


def _count(workspace, model) -> int:
    with make_session_factory(workspace.engine)() as session:
        return session.scalar(select(func.count()).select_from(model))


def _lines_of(workspace, account_id):
    with make_session_factory(workspace.engine)() as session:
        return list(
            session.scalars(
                select(ContractLine)
                .where(ContractLine.account_id == account_id)
                .order_by(ContractLine.kind, ContractLine.starts_on)
            )
        )


def test_ravenstack_loads_all_five_tables_and_a_second_run_changes_nothing(
    workspace, shared_data
):
    folder = shared_data / "ravenstack"
    mapping = MAPPINGS / "ravenstack.yaml"

    first = run_import(workspace, folder, mapping_path=mapping)
    state = dump(workspace)
    second = run_import(workspace, folder, mapping_path=mapping)

    assert _count(workspace, Account) == 500
    assert _count(workspace, ContractLine) == 5_000
    assert _count(workspace, Cancellation) == 600 - 61
    assert _count(workspace, Ticket) == 2_000
    events = EventStore(workspace.settings.event_store_path)
    assert len(events.message_ids()) == 25_000
    assert [item.new for item in first.entities] == [500, 5_000, 539, 2_000, 25_000]
    assert [item.rejected for item in first.entities] == [0, 0, 0, 0, 0]
    assert [(item.new, item.changed) for item in second.entities] == [(0, 0)] * 5
    assert [item.unchanged for item in second.entities] == [
        500,
        5_000,
        539,
        2_000,
        25_000,
    ]
    assert dump(workspace) == state


def test_ravenstack_paid_rows_form_a_plan_history_and_trials_stay_apart(
    workspace, shared_data
):
    run_import(
        workspace,
        shared_data / "ravenstack",
        mapping_path=MAPPINGS / "ravenstack.yaml",
    )

    lines = _lines_of(workspace, "A-2e4581")
    paid = [(line.starts_on, line.ends_on) for line in lines if line.kind == "paid"]
    trials = [line for line in lines if line.kind == "trial"]
    # Source rows: eight paid subscriptions, all open or ending after the next
    # one starts, so each ends on the next start; the last stays open.
    assert paid == [
        (date(2024, 10, 20), date(2024, 10, 25)),
        (date(2024, 10, 25), date(2024, 11, 12)),
        (date(2024, 11, 12), date(2024, 11, 13)),
        (date(2024, 11, 13), date(2024, 11, 29)),
        (date(2024, 11, 29), date(2024, 12, 9)),
        (date(2024, 12, 9), date(2024, 12, 19)),
        (date(2024, 12, 19), date(2024, 12, 22)),
        (date(2024, 12, 22), None),
    ]
    assert [(line.id, line.ends_on, line.amount_cents) for line in trials] == [
        ("S-e79dbc", None, 0),
        ("S-d24841", None, 0),
    ]
    annual = next(line for line in lines if line.id == "S-c4cef7")
    assert (annual.interval, annual.amount_cents, annual.quantity) == (
        "year",
        764_400,
        13,
    )
    assert annual.auto_renew is False


def test_ravenstack_usage_becomes_feature_used_events_duckdb_can_read(
    workspace, shared_data
):
    run_import(
        workspace,
        shared_data / "ravenstack",
        mapping_path=MAPPINGS / "ravenstack.yaml",
    )
    store = EventStore(workspace.settings.event_store_path)

    rows = duckdb.sql(
        f"select account_id, name, occurred_at, properties, day "
        f"from read_parquet('{store.glob}', hive_partitioning=true) "
        f"where message_id = 'U-1c6c24/S-0fcf7d'"
    ).fetchall()

    # Source: U-1c6c24,S-0fcf7d,2023-07-27,feature_20,9 and S-0fcf7d belongs
    # to account A-e08cd3 in the subscriptions file.
    ((account_id, name, occurred_at, properties, day),) = rows
    assert (account_id, name, properties) == (
        "A-e08cd3",
        "feature_used",
        '{"feature": "feature_20", "usage_count": 9}',
    )
    assert occurred_at.isoformat() == "2023-07-27T00:00:00+00:00"
    assert str(day) == "2023-07-27"


def test_dbt_playbook_derives_accounts_and_loads_lines_idempotently(
    workspace, shared_data
):
    folder = shared_data / "dbt_mrr_playbook"
    mapping = MAPPINGS / "dbt_mrr_playbook.yaml"

    first = run_import(workspace, folder, mapping_path=mapping)
    state = dump(workspace)
    second = run_import(workspace, folder, mapping_path=mapping)

    assert [(item.entity, item.new) for item in first.entities] == [
        ("accounts", 55),
        ("contract_lines", 121),
    ]
    assert [(item.new, item.changed, item.unchanged) for item in second.entities] == [
        (0, 0, 55),
        (0, 0, 121),
    ]
    assert dump(workspace) == state
    first_line = _lines_of(workspace, "1")[0]
    # Source row: 1,1,2018-11-01,2019-02-01,50 (dollars per month).
    assert (first_line.starts_on, first_line.ends_on, first_line.amount_cents) == (
        date(2018, 11, 1),
        date(2019, 2, 1),
        5_000,
    )
    with make_session_factory(workspace.engine)() as session:
        assert session.get(Account, "1").name == "Customer 1"
