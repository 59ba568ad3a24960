"""One daily digest per CSM of the alerts fired for their accounts."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, User
from tenure.alerts.models import Alert, AlertRule
from tenure.alerts.outbox import queue_notification

# Alerts on accounts without a CSM go to the people who assign CSMs.
UNASSIGNED_RECIPIENT_ROLES = ("admin", "leader")


def _recipients(session: Session, alerts: Sequence[Alert]) -> dict[str, list[Alert]]:
    by_user: dict[str, list[Alert]] = defaultdict(list)
    leads = list(
        session.scalars(
            select(User.id).where(
                User.role.in_(UNASSIGNED_RECIPIENT_ROLES), User.left_on.is_(None)
            )
        )
    )
    for alert in alerts:
        for user_id in [alert.assignee_id] if alert.assignee_id else leads:
            by_user[user_id].append(alert)
    return dict(by_user)


def _names(session: Session) -> dict[str, str]:
    """Names of the accounts and rules, read once per run, not once per digest."""
    accounts = select(Account.id, Account.name)
    rules = select(AlertRule.id, AlertRule.name)
    return {
        **{f"account:{row.id}": row.name for row in session.execute(accounts)},
        **{f"rule:{row.id}": row.name for row in session.execute(rules)},
    }


def _body(alerts: Sequence[Alert], names: dict[str, str]) -> str:
    lines = [
        f"- [{alert.severity}] {names.get(f'rule:{alert.rule_id}', alert.rule_id)}: "
        f"{names.get(f'account:{alert.account_id}', alert.account_id)} "
        f"({alert.account_id}), "
        f"alert {alert.id}"
        for alert in alerts
    ]
    return "New alerts on your accounts:\n" + "\n".join(lines) + "\n"


def queue_digests(
    session: Session,
    fired: Sequence[Alert],
    *,
    on: date,
    channels: Sequence[str],
) -> int:
    """Queue one digest per recipient and channel for the day; return how many."""
    # TODO: alerts fired by a second run on the same day after that day's digest
    # was sent are not mailed — the CSM still sees them in `tenure alerts list`.
    now = datetime.combine(on, time(), tzinfo=UTC)
    queued = 0
    names = _names(session) if fired else {}
    for user_id, alerts in sorted(_recipients(session, fired).items()):
        user = session.get(User, user_id)
        if user is None:
            continue
        subject = f"Tenure: {len(alerts)} new alert(s) on {on.isoformat()}"
        listing = _body(alerts, names)
        for channel in channels:
            # A Slack webhook posts to a shared channel, so it names the CSM.
            body = f"For {user.name}: {listing}" if channel == "slack" else listing
            notification = queue_notification(
                session,
                key=f"digest:{user_id}:{on.isoformat()}:{channel}",
                channel=channel,
                user_id=user_id,
                recipient=user.email if channel == "email" else user_id,
                subject=subject,
                body=body,
                now=now,
            )
            if notification.status == "pending" and notification.body != body:
                notification.body, notification.subject = body, subject
            queued += 1
    return queued
