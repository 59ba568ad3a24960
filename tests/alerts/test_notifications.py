"""Digests reach a real SMTP server, a real webhook and the in-app inbox, once."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tenure.accounts.models import Account, User
from tenure.alerts.channels import EmailChannel, InAppChannel, SlackChannel
from tenure.alerts.models import InAppMessage, Notification
from tenure.alerts.outbox import deliver_notifications, queue_notification
from tenure.alerts.service import run_alert_rules
from tenure.alerts.settings import NotificationSettings
from tenure.core.db import make_session_factory, transaction
from tenure.surveys.models import SurveyResponse
from tests.alerts.servers import smtp_server, webhook_server

AS_OF = date(2024, 5, 1)
NOW = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)


def _seed(engine) -> None:
    with transaction(engine) as session:
        session.add_all(
            [
                User(id="u1", email="csm.one@example.test", name="Robin Vale"),
                User(
                    id="lead",
                    email="lead@example.test",
                    name="Sasha Quill",
                    role="leader",
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                Account(id="a1", name="Acme Test Co", csm_id="u1"),
                Account(id="a2", name="Bluefin Test Ltd"),
            ]
        )
        session.flush()
        session.add(
            SurveyResponse(
                id="r1",
                account_id="a1",
                kind="nps",
                score=3,
                responded_at=datetime(2024, 4, 30, 15, 0, tzinfo=UTC),
            )
        )


def test_daily_digests_go_out_by_email_slack_and_in_app_exactly_once(engine):
    _seed(engine)
    with transaction(engine) as session:
        summary = run_alert_rules(
            session, as_of=AS_OF, digest_channels=("email", "slack", "in_app")
        )
        fired = sorted((a.rule_id, a.account_id, a.assignee_id) for a in summary.fired)
    assert fired == [("detractor", "a1", "u1"), ("no_csm", "a2", None)]

    with smtp_server() as (port, mailbox), webhook_server() as (url, receiver):
        settings = NotificationSettings(
            smtp_host="127.0.0.1", smtp_port=port, smtp_from_address="tenure@test"
        )
        with make_session_factory(engine)() as session:
            channels = {
                "email": EmailChannel(settings),
                "slack": SlackChannel(url, timeout_seconds=10),
                "in_app": InAppChannel(session),
            }
            first = deliver_notifications(session, now=NOW, channels=channels)
            again = deliver_notifications(
                session, now=NOW + timedelta(hours=1), channels=channels
            )

    assert len(first.sent) == 6
    assert again.sent == again.retrying == []
    assert sorted(r for rs in mailbox.recipients for r in rs) == [
        "csm.one@example.test",
        "lead@example.test",
    ]
    to_csm = next(m for m in mailbox.messages if m["To"] == "csm.one@example.test")
    assert to_csm["Subject"] == "Tenure: 1 new alert(s) on 2024-05-01"
    assert "Detractor survey answer: Acme Test Co (a1)" in to_csm.get_payload()
    assert to_csm["Message-ID"] == "<digest.u1.2024-05-01.email@tenure>"
    assert len(receiver.delivered) == 2
    assert "Account without a CSM: Bluefin Test Ltd" in str(receiver.delivered)
    assert "For Sasha Quill: New alerts" in str(receiver.delivered)
    with transaction(engine) as session:
        inbox = session.scalars(select(InAppMessage.user_id)).all()
    assert sorted(inbox) == ["lead", "u1"]


def test_a_webhook_failing_twice_is_retried_with_backoff_and_delivered_once(engine):
    with transaction(engine) as session:
        queue_notification(
            session,
            key="test:one",
            channel="slack",
            user_id=None,
            recipient=None,
            subject="Renewal at risk",
            body="Acme Test Co renews in 30 days and is red.",
            now=NOW,
        )
    with webhook_server(failures=2) as (url, receiver):
        channels = {"slack": SlackChannel(url, timeout_seconds=10)}
        with make_session_factory(engine)() as session:
            runs = [
                deliver_notifications(session, now=NOW + offset, channels=channels)
                for offset in (
                    timedelta(0),
                    timedelta(seconds=30),  # not due: first retry waits 1 minute
                    timedelta(minutes=1),
                    timedelta(minutes=2),  # not due: second retry waits 2 minutes
                    timedelta(minutes=3),
                    timedelta(minutes=10),
                )
            ]

    assert [len(run.sent) for run in runs] == [0, 0, 0, 0, 1, 0]
    assert [len(run.retrying) for run in runs] == [1, 0, 1, 0, 0, 0]
    assert receiver.requests == 3
    assert receiver.keys == ["test:one"]
    with transaction(engine) as session:
        stored = session.scalars(select(Notification)).one()
    assert (stored.status, stored.attempts) == ("sent", 3)


def test_queueing_the_same_key_twice_keeps_one_message(engine):
    with transaction(engine) as session:
        for _ in range(2):
            queue_notification(
                session,
                key="digest:u9:2024-05-01:email",
                channel="email",
                user_id=None,
                recipient="someone@example.test",
                subject="s",
                body="b",
                now=NOW,
            )
        assert len(session.scalars(select(Notification)).all()) == 1


def test_an_unreachable_smtp_server_leaves_the_message_pending(engine):
    with transaction(engine) as session:
        queue_notification(
            session,
            key="test:mail",
            channel="email",
            user_id=None,
            recipient="someone@example.test",
            subject="s",
            body="b",
            now=NOW,
        )
    with smtp_server() as (port, _):
        closed_port = port
    settings = NotificationSettings(smtp_host="127.0.0.1", smtp_port=closed_port)
    with make_session_factory(engine)() as session:
        result = deliver_notifications(
            session, now=NOW, channels={"email": EmailChannel(settings)}
        )
        stored = session.scalars(select(Notification)).one()
        assert result.retrying == [stored.id]
        assert stored.status == "pending"
        assert stored.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=1)
