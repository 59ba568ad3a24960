"""One live alert per rule and account; ack, snooze, resolve, cooldown, auto-close."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tenure.accounts.models import Account, User
from tenure.alerts.errors import AlertNotFound, InvalidAlertChange
from tenure.alerts.lifecycle import (
    acknowledge_alert,
    list_alerts,
    resolve_alert,
    snooze_alert,
)
from tenure.alerts.models import Alert, AlertEvent, AlertRule
from tenure.alerts.service import run_alert_rules
from tenure.core.db import transaction

DAY = date(2024, 3, 1)
AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def only_no_csm(engine):
    with transaction(engine) as session:
        session.execute(
            update(AlertRule).where(AlertRule.id != "no_csm").values(is_active=False)
        )
        session.execute(update(AlertRule).values(cooldown_days=7))
        session.add(User(id="u1", email="csm.one@example.test", name="Robin Vale"))
        session.flush()
        session.add(Account(id="a1", name="Acme Test Co"))
    return engine


def _run(engine, day):
    with transaction(engine) as session:
        return run_alert_rules(session, as_of=day, digest_channels=())


def _set_csm(engine, csm_id):
    with transaction(engine) as session:
        session.execute(update(Account).values(csm_id=csm_id))


def _alerts(engine):
    with transaction(engine) as session:
        return [(a.id, a.status, a.resolved_by) for a in list_alerts(session)]


def test_a_rule_fires_once_while_its_condition_holds(only_no_csm):
    engine = only_no_csm
    first = _run(engine, DAY)
    second = _run(engine, DAY + timedelta(days=1))

    assert [a.account_id for a in first.fired] == ["a1"]
    assert second.fired == []
    assert [status for _, status, _ in _alerts(engine)] == ["open"]


def test_the_alert_closes_itself_when_the_condition_clears(only_no_csm):
    engine = only_no_csm
    _run(engine, DAY)
    _set_csm(engine, "u1")
    summary = _run(engine, DAY + timedelta(days=1))

    assert len(summary.resolved) == 1
    assert [(s, by) for _, s, by in _alerts(engine)] == [("resolved", "system")]


def test_after_resolution_the_cooldown_keeps_the_rule_quiet(only_no_csm):
    engine = only_no_csm
    _run(engine, DAY)
    _set_csm(engine, "u1")
    _run(engine, DAY + timedelta(days=1))
    _set_csm(engine, None)

    inside = _run(engine, DAY + timedelta(days=7))
    after = _run(engine, DAY + timedelta(days=8))

    assert inside.fired == []
    assert len(after.fired) == 1


def test_ack_snooze_and_resolve_record_who_and_when(only_no_csm):
    engine = only_no_csm
    _run(engine, DAY)
    ((alert_id, _, _),) = _alerts(engine)
    with transaction(engine) as session:
        acknowledge_alert(session, alert_id, by="u1", at=AT)
        snooze_alert(session, alert_id, until=DAY + timedelta(days=5), by="u1", at=AT)
    still = _run(engine, DAY + timedelta(days=4))
    woken = _run(engine, DAY + timedelta(days=5))
    with transaction(engine) as session:
        resolve_alert(session, alert_id, by="u1", at=AT + timedelta(days=6))
        alert = session.get(Alert, alert_id)
        events = session.scalars(
            select(AlertEvent)
            .where(AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.id)
        ).all()
        trail = [(e.status, e.actor) for e in events]

    assert still.reopened == [] and still.fired == []
    assert [a.id for a in woken.reopened] == [alert_id]
    assert (alert.acknowledged_by, alert.snoozed_by, alert.resolved_by) == (
        "u1",
        "u1",
        "u1",
    )
    assert alert.snoozed_until == DAY + timedelta(days=5)
    assert trail == [
        ("open", "system"),
        ("acknowledged", "u1"),
        ("snoozed", "u1"),
        ("open", "system"),
        ("resolved", "u1"),
    ]


def test_a_resolved_alert_cannot_be_snoozed_and_a_missing_one_is_named(only_no_csm):
    engine = only_no_csm
    _run(engine, DAY)
    ((alert_id, _, _),) = _alerts(engine)
    with transaction(engine) as session:
        resolve_alert(session, alert_id, by="u1", at=AT)
    with (
        transaction(engine) as session,
        pytest.raises(InvalidAlertChange, match="already resolved"),
    ):
        snooze_alert(session, alert_id, until=DAY + timedelta(days=3), by="u1", at=AT)
    with (
        transaction(engine) as session,
        pytest.raises(AlertNotFound, match="no alert 999"),
    ):
        acknowledge_alert(session, 999, by="u1", at=AT)


def test_the_alert_goes_to_the_accounts_csm(only_no_csm):
    engine = only_no_csm
    with transaction(engine) as session:
        session.execute(
            update(AlertRule)
            .where(AlertRule.id == "no_csm")
            .values(condition="score >= 0 or has_csm")
        )
    _set_csm(engine, "u1")
    summary = _run(engine, DAY)
    assert [a.assignee_id for a in summary.fired] == ["u1"]
