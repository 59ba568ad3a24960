"""A small book of accounts and contacts, a real SMTP receiver and the web app."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import Message

import pytest

from tenure.accounts.access import create_token
from tenure.accounts.models import Account, Contact, User
from tenure.core.db import make_session_factory, transaction
from tenure.core.workspace import Workspace
from tenure.revenue.models import ContractLine
from tenure.surveys.sending import LinkMaker, SendSummary, SmtpMailer, send_campaigns
from tenure.surveys.service import create_survey, get_campaign_or_raise
from tenure.surveys.settings import SurveyMailSettings, load_link_secret
from tests.alerts.servers import Mailbox, smtp_server
from tests.web.conftest import _serve

SENT_AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# account id, segment, CSM, contacts (id, role)
BOOK = (
    ("a-north", "smb", "u-ana", (("c-n1", "admin"), ("c-n2", "champion"))),
    (
        "a-east",
        "enterprise",
        "u-ben",
        (
            ("c-e1", "admin"),
            ("c-e2", "champion"),
            ("c-e3", "user"),
            ("c-e4", "user"),
            ("c-e5", "user"),
        ),
    ),
    ("a-west", "smb", "u-ben", (("c-w1", "admin"),)),
)


def seed_book(workspace: Workspace) -> None:
    with transaction(workspace.engine) as session:
        for user_id, name, role in (
            ("u-ana", "Ana Lind", "csm"),
            ("u-ben", "Ben Okafor", "csm"),
            ("u-lea", "Lea Hart", "leader"),
            ("u-vic", "Vic Viewer", "viewer"),
        ):
            session.add(
                User(
                    id=user_id, email=f"{user_id}@tenure.example", name=name, role=role
                )
            )
        session.flush()
        for account_id, segment, csm, contacts in BOOK:
            session.add(
                Account(
                    id=account_id,
                    name=account_id.replace("a-", "").title() + " Works",
                    segment=segment,
                    plan="pro",
                    csm_id=csm,
                    created_on=date(2025, 1, 1),
                )
            )
            session.flush()
            session.add(
                ContractLine(
                    id=f"line-{account_id}",
                    account_id=account_id,
                    product="core",
                    kind="paid",
                    starts_on=date(2025, 1, 1),
                    interval="month",
                    interval_count=1,
                    amount_cents=50000,
                    currency="USD",
                )
            )
            for contact_id, role in contacts:
                session.add(
                    Contact(
                        id=contact_id,
                        account_id=account_id,
                        email=f"{contact_id}@{account_id}.example",
                        name=contact_id.upper(),
                        role=role,
                    )
                )
        create_survey(session, survey_id="nps-q4", kind="nps", now=SENT_AT)
        create_survey(session, survey_id="nps-onboard", kind="nps", now=SENT_AT)
        create_survey(session, survey_id="csat-support", kind="csat", now=SENT_AT)


@dataclass
class Site:
    workspace: Workspace
    url: str
    smtp_port: int
    mailbox: Mailbox
    links: LinkMaker

    @property
    def mail_settings(self) -> SurveyMailSettings:
        return SurveyMailSettings(
            smtp_host="127.0.0.1",
            smtp_port=self.smtp_port,
            smtp_from_address="surveys@tenure.example",
            public_url=self.url,
        )

    def send(self, campaign_id: str, *, now: datetime = SENT_AT) -> SendSummary:
        """Send one campaign through the SMTP receiver, as the CLI does."""
        with make_session_factory(self.workspace.engine)() as session:
            campaign = get_campaign_or_raise(session, campaign_id)
            return send_campaigns(
                session,
                [campaign],
                mailer=SmtpMailer(self.mail_settings),
                links=self.links,
                sender="surveys@tenure.example",
                now=now,
            )

    def token(self, name: str) -> str:
        """An API token acting as a seeded user."""
        with transaction(self.workspace.engine) as session:
            plain, _ = create_token(
                session, name="import", email=f"{name}@tenure.example", now=SENT_AT
            )
        return plain


@pytest.fixture
def site(workspace: Workspace) -> Iterator[Site]:
    """The book seeded, the app on loopback, and an SMTP receiver on loopback."""
    seed_book(workspace)
    with _serve(workspace) as url, smtp_server() as (port, mailbox):
        secret = load_link_secret(workspace.settings.home)
        yield Site(workspace, url, port, mailbox, LinkMaker(secret, url))


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("the e-mail has no plain-text part")


def score_links(message: Message) -> dict[int, str]:
    """Score → link, read from the e-mail's text."""
    return {
        int(score): link
        for score, link in re.findall(r"^(\d+): (\S+?)\r?$", text_of(message), re.M)
    }


def mail_to(mailbox: Mailbox, contact_id: str) -> Message:
    found = [m for m in mailbox.messages if m["To"].startswith(f"{contact_id}@")]
    assert len(found) == 1, f"{len(found)} e-mails to {contact_id}"
    return found[0]
