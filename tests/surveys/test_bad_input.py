"""Bad audiences, SMTP settings and imported answers get one clear sentence."""

import os
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from tenure.core.db import make_session_factory, transaction
from tenure.core.jobs import run_job
from tenure.surveys.errors import InvalidSurvey, MailSettingsInvalid
from tenure.surveys.models import SurveyResponse, SurveySend
from tenure.surveys.service import Audience, Throttle, create_campaign
from tenure.surveys.settings import load_link_secret, load_mail_settings
from tests.cli.process import run_tenure
from tests.surveys.conftest import SENT_AT, Site, mail_to, score_links


def _campaign(site: Site, **kwargs) -> None:
    with transaction(site.workspace.engine) as session:
        create_campaign(
            session,
            campaign_id="c1",
            survey_id="nps-q4",
            starts_at=SENT_AT,
            now=SENT_AT,
            **kwargs,
        )


def _count(site: Site, model) -> int:
    with make_session_factory(site.workspace.engine)() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("audience", "message"),
    [
        (
            Audience(segments=("mid-market",)),
            "no account is in segment 'mid-market'; known segments: enterprise, smb",
        ),
        (
            Audience(roles=("cfo",)),
            "no contact has role 'cfo'; known roles: admin, champion, user",
        ),
        (
            Audience(attributes={"tier": ("gold",)}),
            "audience attribute 'tier' is unknown; use one of plan, industry, "
            "country, onboarding_stage, csm_id",
        ),
        (
            Audience(attributes={"plan": ("platinum",)}),
            "no account has plan 'platinum'; check the spelling",
        ),
    ],
)
def test_an_unknown_audience_is_refused_with_one_sentence(site, audience, message):
    with pytest.raises(InvalidSurvey) as caught:
        _campaign(site, audience=audience)

    assert str(caught.value) == message
    assert _count(site, SurveySend) == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"smtp_port": 0}, "TENURE_SMTP_PORT 0 is not a port"),
        (
            {"smtp_starttls": True, "smtp_ssl": True},
            "TENURE_SMTP_STARTTLS and TENURE_SMTP_SSL are both on",
        ),
        ({"smtp_username": "mailer"}, "set both TENURE_SMTP_USERNAME and"),
        ({"smtp_from_address": "surveys"}, "TENURE_SMTP_FROM_ADDRESS 'surveys' is"),
        ({"public_url": "tenure.example"}, "TENURE_PUBLIC_URL 'tenure.example'"),
        ({"smtp_port": "many"}, "setting TENURE_SMTP_PORT is invalid"),
        ({"smtp_timeout_seconds": -1}, "TENURE_SMTP_TIMEOUT_SECONDS -1 is out"),
        ({"smtp_timeout_seconds": 0}, "TENURE_SMTP_TIMEOUT_SECONDS 0 is out"),
    ],
)
def test_bad_smtp_settings_are_refused_with_the_setting_to_fix(settings, message):
    with pytest.raises(MailSettingsInvalid) as caught:
        load_mail_settings(**settings)

    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_short_survey_secret_is_refused(tmp_path):
    from pydantic import SecretStr

    with pytest.raises(MailSettingsInvalid, match="TENURE_SURVEY_SECRET is shorter"):
        load_link_secret(tmp_path, SecretStr("change-me"))


def test_the_send_command_reports_an_unreachable_server_and_keeps_the_sends(site):
    _campaign(site, audience=Audience(segments=("smb",)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENURE_")}
    env.update(
        TENURE_HOME=str(site.workspace.settings.home),
        TENURE_DATABASE_URL=str(site.workspace.settings.resolved_database_url),
        TENURE_SMTP_HOST="127.0.0.1",
        TENURE_SMTP_PORT="1",  # nothing listens there
        TENURE_SMTP_TIMEOUT_SECONDS="5",
    )

    result = run_tenure("surveys", "send", "c1", env=env)

    assert result.returncode == 1
    # Warnings in the log name each refused send; one error line sums it up.
    [line] = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert line.startswith("error: the SMTP server 127.0.0.1:1 refused the e-mail")
    assert "campaign c1: 3 queued, 0 sent, 3 to retry, 0 failed" in result.stdout
    with make_session_factory(site.workspace.engine)() as session:
        statuses = list(session.scalars(select(SurveySend.status)))
    assert statuses == ["queued"] * 3


def test_the_surveys_job_sends_what_is_due_once(site, monkeypatch):
    _campaign(site, audience=Audience(segments=("smb",)))
    with transaction(site.workspace.engine) as session:
        create_campaign(
            session,
            campaign_id="later",
            survey_id="nps-q4",
            starts_at=SENT_AT.replace(month=12),
            now=SENT_AT,
        )
    monkeypatch.setenv("TENURE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TENURE_SMTP_PORT", str(site.smtp_port))
    monkeypatch.setenv("TENURE_PUBLIC_URL", site.url)

    first = run_job("surveys", site.workspace, as_of=date(2026, 11, 2))
    again = run_job("surveys", site.workspace, as_of=date(2026, 11, 3))

    assert first == {
        "campaigns_started": 1,
        "emails_sent": 3,
        "emails_retrying": 0,
        "emails_failed": 0,
    }
    assert again["campaigns_started"] == again["emails_sent"] == 0
    assert len(site.mailbox.messages) == 3
    assert score_links(mail_to(site.mailbox, "c-w1"))[0].startswith(site.url)


def _import(site: Site, survey: str, responses: list[dict], user: str = "u-lea"):
    return httpx.post(
        f"{site.url}/api/surveys/{survey}/responses",
        json={"responses": responses},
        headers={"Authorization": f"Bearer {site.token(user)}"},
    )


ANSWER = {
    "external_id": "zd-1001",
    "account_id": "a-north",
    "contact_id": "c-n1",
    "score": 4,
    "comment": "Quick reply.",
    "responded_at": "2026-11-05T12:00:00Z",
}


def test_a_csat_score_of_7_is_refused_and_nothing_is_imported(site):
    reply = _import(
        site,
        "csat-support",
        [ANSWER, {**ANSWER, "external_id": "zd-1002", "score": 7}],
    )

    assert reply.status_code == 422
    assert reply.json()["error"]["message"] == (
        "response 2: score 7 is not a CSAT score; give a whole number from 1 to 5"
    )
    assert _count(site, SurveyResponse) == 0


@pytest.mark.parametrize("score", [True, "4", 4.0])
def test_a_score_that_is_not_a_whole_number_is_refused(site, score):
    reply = _import(site, "csat-support", [{**ANSWER, "score": score}])

    assert reply.status_code == 422
    assert _count(site, SurveyResponse) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"account_id": "a-nowhere"},
            "response 1: account_id 'a-nowhere' is not an account in Tenure",
        ),
        (
            {"contact_id": "c-e1"},
            "response 1: contact_id 'c-e1' is not a contact of account 'a-north'",
        ),
        (
            {"responded_at": "2999-01-01T00:00:00Z"},
            "response 1: responded_at 2999-01-01 00:00 is in the future",
        ),
    ],
)
def test_an_answer_for_an_unknown_account_or_contact_is_refused(site, change, message):
    reply = _import(site, "csat-support", [{**ANSWER, **change}])

    assert reply.status_code == 422
    assert reply.json()["error"]["message"].startswith(message)
    assert _count(site, SurveyResponse) == 0


def test_an_unknown_survey_or_a_viewer_token_is_refused(site):
    missing = _import(site, "nps-2019", [ANSWER])
    viewer = _import(site, "csat-support", [ANSWER], user="u-vic")
    anonymous = httpx.post(
        f"{site.url}/api/surveys/csat-support/responses", json={"responses": [ANSWER]}
    )

    assert missing.status_code == 404
    assert "no survey 'nps-2019'" in missing.json()["error"]["message"]
    assert viewer.status_code == 403
    assert anonymous.status_code == 401
    assert _count(site, SurveyResponse) == 0


def test_importing_the_same_external_id_again_is_idempotent(site):
    first = _import(site, "csat-support", [ANSWER])
    again = _import(site, "csat-support", [ANSWER])
    changed = _import(site, "csat-support", [{**ANSWER, "score": 2}])

    assert first.json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 0}
    with make_session_factory(site.workspace.engine)() as session:
        [response] = session.scalars(select(SurveyResponse)).all()
    assert (response.kind, response.survey, response.score) == (
        "csat",
        "csat-support",
        2,
    )


def test_a_csat_link_with_an_nps_score_records_nothing(site):
    with transaction(site.workspace.engine) as session:
        create_campaign(
            session,
            campaign_id="support",
            survey_id="csat-support",
            starts_at=SENT_AT,
            audience=Audience(segments=("smb",)),
            throttle=Throttle(link_days=3650),
            now=SENT_AT,
        )
    site.send("support")
    link = score_links(mail_to(site.mailbox, "c-w1"))[5].replace("score=5", "score=7")

    page = httpx.get(link)

    assert page.status_code == 422
    assert "score 7 is not a CSAT score; give a whole number from 1 to 5" in page.text
    assert _count(site, SurveyResponse) == 0
