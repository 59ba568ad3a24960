"""Notification channels: e-mail over SMTP, Slack incoming webhook, in-app.

A channel is anything with a `name` and a `send(message)` that raises
`DeliveryFailed` when the message did not get through; the outbox passes them
in, so tests can point them at real servers on loopback.
"""

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.alerts.errors import DeliveryFailed
from tenure.alerts.models import InAppMessage
from tenure.alerts.settings import NotificationSettings


@dataclass(frozen=True)
class OutgoingMessage:
    idempotency_key: str
    user_id: str | None
    recipient: str | None
    subject: str
    body: str
    created_at: datetime


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, message: OutgoingMessage) -> None: ...


class EmailChannel:
    """Sends each message as one e-mail; its Message-ID carries the idempotency
    key so a receiving server can drop a copy."""

    name = "email"

    def __init__(self, settings: NotificationSettings) -> None:
        self.settings = settings

    def send(self, message: OutgoingMessage) -> None:
        if not message.recipient:
            raise DeliveryFailed(f"message {message.idempotency_key} has no address")
        email = EmailMessage()
        email["From"] = self.settings.smtp_from_address
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.idempotency_key.replace(':', '.')}@tenure>"
        email.set_content(message.body)
        try:
            self._deliver(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP delivery failed: {exc}") from exc

    def _deliver(self, email: EmailMessage) -> None:
        settings = self.settings
        with smtplib.SMTP(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout_seconds,
        ) as client:
            if settings.smtp_starttls:
                client.starttls()
            if settings.smtp_username and settings.smtp_password:
                client.login(
                    settings.smtp_username, settings.smtp_password.get_secret_value()
                )
            client.send_message(email)


class SlackChannel:
    """Posts each message to a Slack incoming webhook."""

    name = "slack"

    def __init__(self, webhook_url: str, *, timeout_seconds: float = 30.0) -> None:
        self.webhook_url = webhook_url
        self.timeout_seconds = timeout_seconds

    def send(self, message: OutgoingMessage) -> None:
        payload = json.dumps({"text": f"*{message.subject}*\n{message.body}"})
        request = urllib.request.Request(
            self.webhook_url,
            data=payload.encode(),
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": message.idempotency_key,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as reply:
                reply.read()
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(f"Slack webhook failed: {exc}") from exc


class InAppChannel:
    """Keeps the message in the in-app inbox of its user, once per key."""

    name = "in_app"

    def __init__(self, session: Session) -> None:
        self.session = session

    def send(self, message: OutgoingMessage) -> None:
        if message.user_id is None:
            raise DeliveryFailed(f"message {message.idempotency_key} has no user")
        exists = self.session.scalar(
            select(InAppMessage.id).where(
                InAppMessage.idempotency_key == message.idempotency_key
            )
        )
        if exists is None:
            self.session.add(
                InAppMessage(
                    idempotency_key=message.idempotency_key,
                    user_id=message.user_id,
                    subject=message.subject,
                    body=message.body,
                    created_at=message.created_at,
                )
            )
            self.session.flush()


def configured_channels(
    settings: NotificationSettings, session: Session
) -> dict[str, Channel]:
    """E-mail and in-app always; Slack when a webhook URL is set."""
    channels: dict[str, Channel] = {
        "email": EmailChannel(settings),
        "in_app": InAppChannel(session),
    }
    if settings.slack_webhook_url:
        channels["slack"] = SlackChannel(
            settings.slack_webhook_url, timeout_seconds=settings.slack_timeout_seconds
        )
    return channels
