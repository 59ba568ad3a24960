"""Campaign e-mails through a real SMTP receiver, answered through real links."""

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from tenure.core.db import make_session_factory, transaction
from tenure.surveys.models import SurveyResponse, SurveySend
from tenure.surveys.sending import SmtpMailer, send_campaigns
from tenure.surveys.service import (
    Audience,
    Throttle,
    create_campaign,
    get_campaign_or_raise,
)
from tests.surveys.conftest import SENT_AT, Site, mail_to, score_links, text_of

LIVE_LINK_DAYS = 3650


def _campaign(site: Site, campaign_id: str, **kwargs) -> None:
    kwargs.setdefault("starts_at", SENT_AT)
    kwargs.setdefault("survey_id", "nps-q4")
    # Links are checked against the server's clock: keep them alive for years.
    kwargs.setdefault("throttle", Throttle(link_days=LIVE_LINK_DAYS))
    with transaction(site.workspace.engine) as session:
        create_campaign(session, campaign_id=campaign_id, now=SENT_AT, **kwargs)


def _responses(site: Site) -> list[SurveyResponse]:
    with make_session_factory(site.workspace.engine)() as session:
        return list(session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))


def _sends(site: Site, campaign_id: str) -> list[SurveySend]:
    with make_session_factory(site.workspace.engine)() as session:
        return list(
            session.scalars(
                select(SurveySend).where(SurveySend.campaign_id == campaign_id)
            )
        )


def test_a_score_link_records_the_answer_at_once_and_opens_the_follow_up(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    site.send("q4")

    assert sorted(r[0] for r in site.mailbox.recipients) == [
        "c-n1@a-north.example",
        "c-n2@a-north.example",
        "c-w1@a-west.example",
    ]
    links = score_links(mail_to(site.mailbox, "c-n1"))
    assert sorted(links) == list(range(11))
    page = httpx.get(links[3])

    assert page.status_code == 200
    assert "is recorded" in page.text
    assert "What would we have to change" in page.text  # the detractor follow-up
    [response] = _responses(site)
    assert (response.account_id, response.contact_id) == ("a-north", "c-n1")
    assert (response.survey, response.kind, response.score) == ("nps-q4", "nps", 3)


def test_a_second_click_in_the_same_email_changes_the_one_answer(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    site.send("q4")
    links = score_links(mail_to(site.mailbox, "c-w1"))

    httpx.get(links[4])
    httpx.get(links[4])
    page = httpx.get(links[10])

    assert "What do you value most" in page.text  # the promoter follow-up
    [response] = _responses(site)
    assert response.score == 10
    [send] = [s for s in _sends(site, "q4") if s.contact_id == "c-w1"]
    assert send.response_id == response.id


def test_the_follow_up_form_saves_the_comment_and_may_change_the_score(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    site.send("q4")
    link = score_links(mail_to(site.mailbox, "c-n2"))[6]
    page = httpx.get(link)
    token = re.search(r'name="t" value="([^"]+)"', page.text)
    assert token is not None

    saved = httpx.post(
        f"{site.url}/surveys/nps-q4/answer",
        data={"t": token.group(1), "score": "8", "comment": "Reports are slow."},
    )

    assert saved.status_code == 200
    assert "comment is saved" in saved.text
    [response] = _responses(site)
    assert (response.score, response.comment) == (8, "Reports are slow.")


def test_the_form_link_shows_the_scores_without_recording_anything(site):
    _campaign(
        site, "csat", survey_id="csat-support", audience=Audience(roles=("admin",))
    )
    site.send("csat")
    message = mail_to(site.mailbox, "c-e1")
    assert sorted(score_links(message)) == [1, 2, 3, 4, 5]
    form_link = re.search(r"answer in the form: (\S+)", text_of(message), re.I)
    assert form_link is not None

    page = httpx.get(form_link.group(1))

    assert page.status_code == 200
    assert 'name="score" value="5"' in page.text
    assert _responses(site) == []


def test_an_expired_link_gets_a_clear_page_and_records_nothing(site):
    sent_long_ago = SENT_AT - timedelta(days=400)
    _campaign(
        site,
        "old",
        starts_at=sent_long_ago,
        audience=Audience(segments=("smb",)),
        throttle=Throttle(link_days=30),
    )
    site.send("old", now=sent_long_ago)
    link = score_links(mail_to(site.mailbox, "c-n1"))[9]

    page = httpx.get(link)

    assert page.status_code == 400
    assert "expired on" in page.text
    assert "Nothing was recorded" in page.text
    assert _responses(site) == []


def test_a_tampered_link_gets_a_clear_page_and_records_nothing(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    site.send("q4")
    link = score_links(mail_to(site.mailbox, "c-n1"))[9]
    other = score_links(mail_to(site.mailbox, "c-n2"))[9]
    payload, mac = re.search(r"t=([^.]+)\.([^&]+)", link).groups()  # type: ignore[union-attr]
    other_payload = re.search(r"t=([^.]+)\.", other).group(1)  # type: ignore[union-attr]
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")

    for bad in (
        link.replace(mac, flipped),
        link.replace(payload, other_payload),
        link.replace(f"t={payload}", "t=x"),
    ):
        page = httpx.get(bad)
        assert page.status_code == 400
        assert "damaged or was changed" in page.text
    assert _responses(site) == []


def test_a_link_replayed_for_another_survey_is_refused_and_records_nothing(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    _campaign(
        site,
        "onboard",
        survey_id="nps-onboard",
        audience=Audience(segments=("enterprise",)),
    )
    site.send("q4")
    site.send("onboard")
    link = score_links(mail_to(site.mailbox, "c-n1"))[2]

    page = httpx.get(link.replace("/surveys/nps-q4/", "/surveys/nps-onboard/"))

    assert page.status_code == 400
    assert "belongs to another survey" in page.text
    assert _responses(site) == []


def test_a_contact_is_not_asked_again_within_the_quiet_days(site):
    _campaign(site, "first", audience=Audience(segments=("smb",)))
    site.send("first")
    httpx.get(score_links(mail_to(site.mailbox, "c-n1"))[9])  # c-n1 answers
    site.mailbox.messages.clear()

    _campaign(
        site,
        "a-week-later",
        starts_at=SENT_AT + timedelta(days=7),
        audience=Audience(segments=("smb",)),
    )
    site.send("a-week-later", now=SENT_AT + timedelta(days=7))
    _campaign(
        site,
        "31-days-later",
        starts_at=SENT_AT + timedelta(days=31),
        audience=Audience(segments=("smb",)),
    )
    site.send("31-days-later", now=SENT_AT + timedelta(days=31))

    assert _sends(site, "a-week-later") == []
    # Unanswered sends are quiet for 30 days, answers for 90.
    assert sorted(s.contact_id for s in _sends(site, "31-days-later")) == [
        "c-n2",
        "c-w1",
    ]
    assert sorted(m["To"] for m in site.mailbox.messages) == [
        "c-n2@a-north.example",
        "c-w1@a-west.example",
    ]


def test_at_most_the_account_limit_of_contacts_of_one_account_is_asked(site):
    throttle = Throttle(
        account_limit=2, account_window_days=30, link_days=LIVE_LINK_DAYS
    )
    _campaign(
        site, "east", audience=Audience(segments=("enterprise",)), throttle=throttle
    )
    site.send("east")
    _campaign(
        site,
        "east-again",
        starts_at=SENT_AT + timedelta(days=1),
        audience=Audience(segments=("enterprise",)),
        throttle=throttle,
    )
    site.send("east-again", now=SENT_AT + timedelta(days=1))

    assert len(site.mailbox.messages) == 2
    assert len(_sends(site, "east")) == 2
    assert _sends(site, "east-again") == []  # the window is still full


def test_sampling_is_deterministic_for_a_seed(site):
    with transaction(site.workspace.engine) as session:
        for campaign_id in ("s1", "s2"):
            create_campaign(
                session,
                campaign_id=campaign_id,
                survey_id="nps-q4",
                starts_at=SENT_AT,
                sample_size=4,
                seed=7,
                throttle=Throttle(account_limit=None),
                now=SENT_AT,
            )
        from tenure.surveys.audience import select_recipients
        from tenure.surveys.service import get_campaign_or_raise

        picks = [
            [
                c.id
                for c in select_recipients(
                    session, get_campaign_or_raise(session, c), now=SENT_AT
                ).contacts
            ]
            for c in ("s1", "s2")
        ]
        count = session.scalar(select(func.count()).select_from(SurveySend))

    assert picks[0] == picks[1]
    assert len(picks[0]) == 4
    assert count == 0


class _CrashingMailer:
    """Delivers through the real receiver, then the process 'dies' mid-batch."""

    def __init__(self, real) -> None:
        self.real = real

    def send(self, message) -> None:
        self.real.send(message)
        raise RuntimeError("the process stopped")


def test_a_run_that_stops_mid_batch_never_sends_an_email_twice(site):
    _campaign(site, "q4", audience=Audience(segments=("smb",)))
    with make_session_factory(site.workspace.engine)() as session:
        campaign = get_campaign_or_raise(session, "q4")
        with pytest.raises(RuntimeError):
            send_campaigns(
                session,
                [campaign],
                mailer=_CrashingMailer(SmtpMailer(site.mail_settings)),
                links=site.links,
                sender="surveys@tenure.example",
                now=SENT_AT,
            )

    again = site.send("q4")

    assert len(site.mailbox.messages) == 1
    assert again.sent == 0
    assert sorted(s.status for s in _sends(site, "q4")) == ["sending"] * 3
