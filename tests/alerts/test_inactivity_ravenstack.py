"""The inactivity rule on RavenStack matches an independent reading of the data."""

from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
from sqlalchemy import select, update

from tenure.activity.store import EventStore
from tenure.alerts.history import dry_run_rule
from tenure.alerts.models import Alert
from tenure.alerts.service import run_alert_rules
from tenure.core.db import transaction
from tenure.health.models import Scorecard
from tests.alerts.ravenstack import (
    expected_inactive,
    former_accounts,
    import_ravenstack,
    last_usage_days,
    signup_days,
)

AS_OF = date(2024, 12, 1)


def _logins(rows: list[tuple[str, str, datetime]]) -> pa.Table:
    return pa.table(
        {
            "message_id": [message_id for message_id, _, _ in rows],
            "account_id": [account for _, account, _ in rows],
            "contact_id": [f"{account}-contact" for _, account, _ in rows],
            "name": ["login"] * len(rows),
            "occurred_at": [at for _, _, at in rows],
            "received_at": [at for _, _, at in rows],
        }
    )


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=UTC)


def _open_no_login(session) -> dict[str, Alert]:
    alerts = session.scalars(
        select(Alert).where(Alert.rule_id == "no_login", Alert.status == "open")
    )
    return {alert.account_id: alert for alert in alerts}


def test_no_login_fires_for_exactly_the_inactive_accounts_and_resolves_on_login(
    workspace, shared_data
):
    import_ravenstack(workspace, shared_data)
    signups = signup_days(shared_data)
    picked = sorted(signups)[:5]
    # Logins 3, 29, 30 and 45 days before the run, and one on the run day itself,
    # which is after the 00:00 cut-off and must not count yet.
    login_days = dict(zip(picked, [3, 29, 30, 45, 0], strict=True))
    store = EventStore(workspace.settings.event_store_path)
    store.append(
        _logins(
            [
                (f"login-{account}", account, _at(AS_OF - timedelta(days=back)))
                for account, back in login_days.items()
            ]
        )
    )
    last_seen = {
        account: AS_OF - timedelta(days=back)
        for account, back in login_days.items()
        if back > 0
    }
    expected = expected_inactive(
        signups,
        last_seen,
        as_of=AS_OF,
        days=30,
        former=former_accounts(shared_data, on=AS_OF),
    )

    with transaction(workspace.engine) as session:
        run_alert_rules(session, as_of=AS_OF, store=store)
    with transaction(workspace.engine) as session:
        fired = _open_no_login(session)

    assert set(fired) == expected
    assert {picked[2], picked[3]} <= expected
    assert not {picked[0], picked[1]} & expected
    assert fired[picked[3]].values == {"days_since_last_login": 45.0}

    later = AS_OF + timedelta(days=5)
    store.append(_logins([("login-again", picked[3], _at(later - timedelta(days=1)))]))
    with transaction(workspace.engine) as session:
        run_alert_rules(session, as_of=later, store=store)
    with transaction(workspace.engine) as session:
        still_open = _open_no_login(session)
        resolved = session.scalars(
            select(Alert).where(
                Alert.rule_id == "no_login", Alert.account_id == picked[3]
            )
        ).one()
        every = session.scalars(select(Alert).where(Alert.rule_id == "no_login"))
        per_account = [alert.account_id for alert in every]

    assert resolved.status == "resolved"
    assert resolved.resolved_by == "system"
    assert picked[3] not in still_open
    expected_later = expected_inactive(
        signups,
        {**last_seen, picked[3]: later - timedelta(days=1), picked[4]: AS_OF},
        as_of=later,
        days=30,
        former=former_accounts(shared_data, on=later),
    )
    assert set(still_open) == expected_later
    assert len(per_account) == len(set(per_account))


def test_real_ravenstack_feature_usage_drives_the_inactivity_rule(
    workspace, shared_data
):
    import_ravenstack(workspace, shared_data)
    as_of = date(2024, 6, 1)
    with transaction(workspace.engine) as session:
        session.execute(
            update(Scorecard)
            .where(Scorecard.id == "default")
            .values(activity_events=["feature_used"])
        )
    store = EventStore(workspace.settings.event_store_path)
    expected = expected_inactive(
        signup_days(shared_data),
        last_usage_days(shared_data, before=as_of),
        as_of=as_of,
        days=30,
        former=former_accounts(shared_data, on=as_of),
    )

    with transaction(workspace.engine) as session:
        run_alert_rules(session, as_of=as_of, store=store)
        fired = set(_open_no_login(session))
        dry_run = dry_run_rule(
            session,
            "no_login",
            start=as_of,
            end=as_of + timedelta(days=28),
            store=store,
        )

    assert len(expected) > 0
    assert fired == expected
    first_run = {f.account_id for f in dry_run.firings if f.as_of == as_of}
    assert first_run == expected
    assert dry_run.runs == 5
    assert dry_run.accounts == len({f.account_id for f in dry_run.firings})
