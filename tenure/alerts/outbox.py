"""The notification outbox: queue once per idempotency key, deliver with retries.

A failed send stays pending and is retried with exponential backoff (1, 2, 4,
... minutes) up to `MAX_ATTEMPTS`; after that it is marked failed and kept, so
nothing is lost. Each outcome is committed right after its send, so a crash
later in the run never sends a delivered message again.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.alerts.channels import Channel, OutgoingMessage
from tenure.alerts.errors import DeliveryFailed
from tenure.alerts.models import Notification

log = structlog.get_logger()

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)


@dataclass
class DeliverySummary:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def queue_notification(
    session: Session,
    *,
    key: str,
    channel: str,
    user_id: str | None,
    recipient: str | None,
    subject: str,
    body: str,
    now: datetime,
) -> Notification:
    """Queue a message, or return the one already queued under `key`."""
    existing = session.scalar(
        select(Notification).where(Notification.idempotency_key == key)
    )
    if existing is not None:
        return existing
    notification = Notification(
        idempotency_key=key,
        channel=channel,
        user_id=user_id,
        recipient=recipient,
        subject=subject,
        body=body,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(notification)
    session.flush()
    return notification


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones."""
    factor: int = 2 ** max(attempts - 1, 0)
    return FIRST_RETRY * factor


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def deliver_notifications(
    session: Session, *, now: datetime, channels: Mapping[str, Channel]
) -> DeliverySummary:
    """Send every pending message that is due, through the channel it names.

    Messages for a channel not in `channels` wait. Commits after each message.
    """
    summary = DeliverySummary()
    due = session.scalars(
        select(Notification)
        .where(Notification.status == "pending", Notification.channel.in_(channels))
        .order_by(Notification.id)
    ).all()
    for notification in due:
        if _as_utc(notification.next_attempt_at) > now:
            continue
        _attempt(notification, channels[notification.channel], now=now, summary=summary)
        session.commit()
    log.info(
        "alerts.notifications_delivered",
        sent=len(summary.sent),
        retrying=len(summary.retrying),
        failed=len(summary.failed),
    )
    return summary


def _attempt(
    notification: Notification,
    channel: Channel,
    *,
    now: datetime,
    summary: DeliverySummary,
) -> None:
    message = OutgoingMessage(
        notification.idempotency_key,
        notification.user_id,
        notification.recipient,
        notification.subject,
        notification.body,
        _as_utc(notification.created_at),
    )
    notification.attempts += 1
    try:
        channel.send(message)
    except DeliveryFailed as exc:
        notification.last_error = str(exc)[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = "failed"
            summary.failed.append(notification.id)
            log.error(
                "alerts.notification_failed",
                notification=notification.id,
                channel=channel.name,
                attempts=notification.attempts,
            )
            return
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        summary.retrying.append(notification.id)
        log.warning(
            "alerts.notification_retrying",
            notification=notification.id,
            channel=channel.name,
            attempts=notification.attempts,
        )
        return
    notification.status = "sent"
    notification.sent_at = now
    summary.sent.append(notification.id)
