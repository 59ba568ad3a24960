"""Survey e-mails: one per send, with one signed link per score, over SMTP.

Choosing recipients and queuing their sends is committed first. E-mails then go
out in batches of `BATCH`: a batch is marked `sending` and committed before its
first e-mail, and its outcomes are committed after its last. A crash in between
leaves that batch `sending`, and such sends are never tried again, so no
contact gets the same e-mail twice. A send the server refused goes back to the
queue and is tried again on the next run, up to `MAX_ATTEMPTS` times.
"""

import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from html import escape
from typing import Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Contact
from tenure.core.db import make_session_factory
from tenure.core.workspace import Workspace
from tenure.surveys.audience import Selection, as_utc, select_recipients
from tenure.surveys.errors import MailRefused
from tenure.surveys.models import Survey, SurveyCampaign, SurveySend
from tenure.surveys.settings import (
    SurveyMailSettings,
    load_link_secret,
    load_mail_settings,
)
from tenure.surveys.token import LinkClaims, sign_link

log = structlog.get_logger()

MAX_ATTEMPTS = 5
BATCH = 50
SCORES = {"nps": range(0, 11), "csat": range(1, 6)}


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """Delivers through the configured SMTP server (plain, STARTTLS or SSL)."""

    def __init__(self, settings: SurveyMailSettings) -> None:
        self.settings = settings.check()

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            client: smtplib.SMTP
            if s.smtp_ssl:
                client = smtplib.SMTP_SSL(
                    s.smtp_host,
                    s.smtp_port,
                    timeout=s.smtp_timeout_seconds,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(
                    s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds
                )
            with client:
                if s.smtp_starttls:
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_username and s.smtp_password:
                    client.login(s.smtp_username, s.smtp_password.get_secret_value())
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailRefused(
                f"the SMTP server {s.smtp_host}:{s.smtp_port} refused the e-mail "
                f"({exc}); check TENURE_SMTP_HOST, TENURE_SMTP_PORT and the TLS "
                "and login settings"
            ) from exc


@dataclass(frozen=True)
class LinkMaker:
    secret: bytes
    base_url: str

    def token(self, send: SurveySend) -> str:
        claims = LinkClaims(
            send.id, send.contact_id, send.survey_id, as_utc(send.expires_at)
        )
        return sign_link(self.secret, claims)

    def form_url(self, send: SurveySend) -> str:
        return f"{self.base_url}/surveys/{send.survey_id}/answer?t={self.token(send)}"

    def score_url(self, send: SurveySend, score: int) -> str:
        return f"{self.form_url(send)}&score={score}"


def compose_email(
    survey: Survey, send: SurveySend, contact: Contact, *, links: LinkMaker, sender: str
) -> EmailMessage:
    """The survey e-mail: the question, one link per score, and the form link."""
    scores = list(SCORES[survey.kind])
    lines = [f"{score}: {links.score_url(send, score)}" for score in scores]
    low, high = ("not at all likely", "extremely likely")
    if survey.kind == "csat":
        low, high = ("very unsatisfied", "very satisfied")
    text = "\n".join(
        [
            survey.question,
            f"Click your answer ({scores[0]} = {low}, {scores[-1]} = {high}):",
            "",
            *lines,
            "",
            f"Or answer in the form: {links.form_url(send)}",
            f"The links work until {as_utc(send.expires_at):%Y-%m-%d}.",
        ]
    )
    buttons = " ".join(
        f'<a href="{escape(links.score_url(send, s))}" '
        f'style="padding:6px 10px;border:1px solid #888">{s}</a>'
        for s in scores
    )
    html = (
        f"<p>{escape(survey.question)}</p><p>{buttons}</p>"
        f"<p>{escape(low)} … {escape(high)}</p>"
        f'<p><a href="{escape(links.form_url(send))}">Answer in the form</a></p>'
    )
    message = EmailMessage()
    message["From"] = sender
    message["To"] = contact.email or ""
    message["Subject"] = survey.name
    message["Message-ID"] = f"<survey.{send.id}@tenure>"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


@dataclass
class SendSummary:
    campaigns: int = 0
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def send_id_of(campaign_id: str, contact_id: str) -> str:
    return hashlib.sha256(f"{campaign_id}\n{contact_id}".encode()).hexdigest()[:32]


def queue_campaign(
    session: Session, campaign: SurveyCampaign, *, now: datetime
) -> Selection:
    """Choose the recipients once and queue a send for each; marks it sent."""
    selection = select_recipients(session, campaign, now=now)
    for contact in selection.contacts:
        session.add(
            SurveySend(
                id=send_id_of(campaign.id, contact.id),
                campaign_id=campaign.id,
                survey_id=campaign.survey_id,
                account_id=contact.account_id,
                contact_id=contact.id,
                status="queued",
                attempts=0,
                queued_at=now,
                expires_at=now + timedelta(days=campaign.link_days),
            )
        )
    campaign.status = "sent"
    campaign.sent_at = now
    session.flush()
    log.info(
        "surveys.campaign_queued",
        campaign=campaign.id,
        queued=len(selection.contacts),
        in_audience=selection.in_audience,
        throttled_contacts=selection.throttled_contacts,
        not_sampled=selection.not_sampled,
        throttled_by_account=selection.throttled_by_account,
    )
    return selection


def deliver_sends(
    session: Session,
    sends: Sequence[SurveySend],
    *,
    mailer: Mailer,
    links: LinkMaker,
    sender: str,
    now: datetime,
    summary: SendSummary,
) -> None:
    """E-mail the sends in batches: each batch is marked `sending` and committed
    before its first e-mail and its outcomes are committed after its last."""
    for start in range(0, len(sends), BATCH):
        batch = sends[start : start + BATCH]
        for send in batch:
            send.status = "sending"
            send.attempts += 1
        session.commit()
        for send in batch:
            _deliver_one(session, send, mailer=mailer, links=links, sender=sender)
            if send.status == "sent":
                send.sent_at = now
                summary.sent += 1
            elif send.status == "failed":
                summary.failed += 1
            else:
                summary.retrying += 1
            error = send.last_error
            if send.status != "sent" and error and error not in summary.errors:
                summary.errors.append(error)
        session.commit()


def _deliver_one(
    session: Session,
    send: SurveySend,
    *,
    mailer: Mailer,
    links: LinkMaker,
    sender: str,
) -> None:
    survey = session.get(Survey, send.survey_id)
    contact = session.get(Contact, send.contact_id)
    assert survey is not None and contact is not None
    try:
        mailer.send(compose_email(survey, send, contact, links=links, sender=sender))
    except MailRefused as exc:
        send.last_error = str(exc)[:2000]
        send.status = "failed" if send.attempts >= MAX_ATTEMPTS else "queued"
        log.warning("surveys.send_refused", send=send.id, attempts=send.attempts)
        return
    send.status = "sent"


def send_campaigns(
    session: Session,
    campaigns: Sequence[SurveyCampaign],
    *,
    mailer: Mailer,
    links: LinkMaker,
    sender: str,
    now: datetime,
) -> SendSummary:
    """Queue the scheduled campaigns given, then deliver their queued sends."""
    summary = SendSummary()
    for campaign in campaigns:
        moment = max(now, as_utc(campaign.starts_at))
        if campaign.status == "scheduled":
            summary.queued += len(
                queue_campaign(session, campaign, now=moment).contacts
            )
            summary.campaigns += 1
            session.commit()
        waiting = session.scalars(
            select(SurveySend)
            .where(SurveySend.campaign_id == campaign.id, SurveySend.status == "queued")
            .order_by(SurveySend.id)
        ).all()
        deliver_sends(
            session,
            waiting,
            mailer=mailer,
            links=links,
            sender=sender,
            now=moment,
            summary=summary,
        )
    log.info(
        "surveys.sends_delivered",
        campaigns=summary.campaigns,
        sent=summary.sent,
        retrying=summary.retrying,
        failed=summary.failed,
    )
    return summary


def due_campaigns(session: Session, *, until: datetime) -> list[SurveyCampaign]:
    """Campaigns starting before `until` that are scheduled or still have sends."""
    pending = select(SurveySend.campaign_id).where(SurveySend.status == "queued")
    campaigns = session.scalars(
        select(SurveyCampaign)
        .where((SurveyCampaign.status == "scheduled") | SurveyCampaign.id.in_(pending))
        .order_by(SurveyCampaign.starts_at, SurveyCampaign.id)
    ).all()
    return [c for c in campaigns if as_utc(c.starts_at) < until]


def run_surveys_job(
    workspace: Workspace,
    *,
    as_of: date,
    mailer: Mailer | None = None,
    mail_settings: SurveyMailSettings | None = None,
) -> dict[str, int]:
    """The `surveys` job: send every campaign whose start day is `as_of` or before.

    A campaign's e-mails are stamped with its start time, or midnight UTC of
    `as_of` when it started earlier.
    """
    settings = mail_settings or load_mail_settings()
    mailer = mailer or SmtpMailer(settings)
    links = LinkMaker(
        load_link_secret(workspace.settings.home, settings.survey_secret),
        settings.base_url,
    )
    day_start = datetime.combine(as_of, time(), tzinfo=UTC)
    with make_session_factory(workspace.engine)() as session:
        campaigns = due_campaigns(session, until=day_start + timedelta(days=1))
        summary = send_campaigns(
            session,
            campaigns,
            mailer=mailer,
            links=links,
            sender=settings.smtp_from_address,
            now=day_start,
        )
    return {
        "campaigns_started": summary.campaigns,
        "emails_sent": summary.sent,
        "emails_retrying": summary.retrying,
        "emails_failed": summary.failed,
    }
