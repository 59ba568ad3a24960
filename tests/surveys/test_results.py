"""Survey results agree with the metric suite; a detractor answer fires its alert."""

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import select

from tenure.alerts.models import Alert
from tenure.core.db import make_session_factory, transaction
from tenure.core.jobs import run_job
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions
from tenure.surveys.answers import answer_by_link
from tenure.surveys.results import survey_results
from tenure.surveys.service import Throttle, create_campaign
from tests.surveys.conftest import SENT_AT, Site, mail_to, score_links

ANSWERED_AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
# contact → (score, comment) answered through the e-mail links on 2 November
LINK_ANSWERS = {
    "c-n1": (9, None),
    "c-n2": (3, "Exports keep failing."),
    "c-e1": (10, "Great onboarding."),
    "c-e2": (7, None),
}


def _answer(site: Site, contact_id: str, score: int, comment: str | None) -> None:
    link = score_links(mail_to(site.mailbox, contact_id))[score]
    token = parse_qs(urlparse(link).query)["t"][0]
    with transaction(site.workspace.engine) as session:
        answer_by_link(
            session,
            site.links.secret,
            token,
            survey_id="nps-q4",
            score=score,
            comment=comment,
            now=ANSWERED_AT,
        )


def _import(site: Site, responses: list[dict]) -> httpx.Response:
    return httpx.post(
        f"{site.url}/api/surveys/nps-q4/responses",
        json={"responses": responses},
        headers={"Authorization": f"Bearer {site.token('u-lea')}"},
    )


@pytest.fixture
def answered(site: Site) -> Site:
    """Everyone e-mailed on 2 November; four answer by link, two more imported.

    c-w1 answers 6 in the other tool on 2 November, then 10 on 20 November: its
    latest answer (10) is the one that counts. An answer in December is outside
    November.
    """
    with transaction(site.workspace.engine) as session:
        create_campaign(
            session,
            campaign_id="q4",
            survey_id="nps-q4",
            starts_at=SENT_AT,
            throttle=Throttle(account_limit=None, link_days=3650),
            now=SENT_AT,
        )
    site.send("q4")
    for contact_id, (score, comment) in LINK_ANSWERS.items():
        _answer(site, contact_id, score, comment)
    reply = _import(
        site,
        [
            {
                "external_id": "tool-1",
                "account_id": "a-west",
                "contact_id": "c-w1",
                "score": 6,
                "responded_at": "2026-11-02T10:00:00Z",
            },
            {
                "external_id": "tool-2",
                "account_id": "a-west",
                "contact_id": "c-w1",
                "score": 10,
                "responded_at": "2026-11-20T10:00:00Z",
            },
            {
                "external_id": "tool-3",
                "account_id": "a-east",
                "contact_id": "c-e3",
                "score": 0,
                "responded_at": "2026-12-01T10:00:00Z",
            },
        ],
    )
    assert reply.status_code == 200, reply.text
    return site


def _suite_nps(site: Site, period: str, by: str | None = None) -> dict[str, float]:
    service = MetricService.from_engine(site.workspace.engine, MetricOptions())
    results = service.compute(["nps"], parse_period(period), by=by)
    return {
        (r.slice or "all").partition("=")[2] or "all": r.parts["nps_unrounded"]
        for r in results
    }


def _survey_nps(site: Site, period: str, by: str | None = None) -> dict[str, float]:
    with make_session_factory(site.workspace.engine)() as session:
        results = survey_results(
            session, kind="nps", period=parse_period(period), timezone="UTC", by=by
        )
    return {g.key: g.score for g in results.groups if g.score is not None}


def test_nps_from_survey_answers_equals_the_metric_suites_nps(answered):
    """November: c-n1 9, c-n2 3, c-e1 10, c-e2 7, c-w1 10 (latest of 6 and 10):
    promoters 3, detractors 1 of 5 → 100 × 2/5 = 40. December adds c-e3 0."""
    assert _survey_nps(answered, "2026-11") == {"all": 40.0}
    assert _suite_nps(answered, "2026-11") == {"all": 40.0}
    for period in ("2026-Q4", "2026-12", "2026-11-01..2026-11-10"):
        # The suite computes NPS in the query engine, so the last bit may differ.
        assert _survey_nps(answered, period) == pytest.approx(
            _suite_nps(answered, period), rel=1e-12
        )


def test_nps_by_segment_equals_the_metric_suites_slices(answered):
    """smb: 9, 3, 10 → 100 × 1/3; enterprise: 10, 7 → 50."""
    by_segment = _survey_nps(answered, "2026-11", by="segment")

    assert by_segment == pytest.approx({"smb": 100 / 3, "enterprise": 50.0})
    assert by_segment == pytest.approx(_suite_nps(answered, "2026-11", by="segment"))


def test_results_show_response_rate_non_responding_accounts_and_comments(answered):
    with make_session_factory(answered.workspace.engine)() as session:
        results = survey_results(
            session, kind="nps", period=parse_period("2026-11"), timezone="UTC"
        )
        by_csm = survey_results(
            session,
            kind="nps",
            period=parse_period("2026-11"),
            timezone="UTC",
            by="csm",
        )

    [whole] = results.groups
    # 8 e-mails, answered by c-n1, c-n2, c-e1, c-e2; a-west only answered elsewhere.
    assert (whole.sent, whole.answered, whole.response_rate) == (8, 4, 0.5)
    assert whole.non_responding_accounts == ["a-west"]
    assert sorted((c.account_id, c.score, c.comment) for c in results.comments) == [
        ("a-east", 10, "Great onboarding."),
        ("a-north", 3, "Exports keep failing."),
    ]
    assert {g.label: g.score for g in by_csm.groups} == {
        "Ana Lind": 0.0,  # a-north: 9 and 3
        "Ben Okafor": pytest.approx(100 * 2 / 3),  # 10, 7 and 10
    }


def test_the_results_api_and_page_show_the_same_figures(answered):
    token = answered.token("u-lea")
    headers = {"Authorization": f"Bearer {token}"}

    reply = httpx.get(
        f"{answered.url}/api/surveys/results",
        params={"period": "2026-11", "by": "account"},
        headers=headers,
    )
    page = httpx.get(
        f"{answered.url}/surveys",
        params={"period": "2026-11", "by": "account"},
        headers=headers,
    )

    assert reply.status_code == 200, reply.text
    scores = {g["key"]: g["score"] for g in reply.json()["groups"]}
    assert scores == {"a-north": 0.0, "a-east": 50.0, "a-west": 100.0}
    assert page.status_code == 200
    assert "Exports keep failing." in page.text
    assert 'href="/accounts/a-west">a-west</a>' in page.text  # not answering


def test_a_detractor_answer_fires_the_detractor_alert_through_the_alert_job(answered):
    """c-n2 answered 3 and c-w1 6 on 2 November: the next day's run alerts both."""
    counts = run_job("alerts", answered.workspace, as_of=date(2026, 11, 3))

    with make_session_factory(answered.workspace.engine)() as session:
        fired = session.scalars(select(Alert).where(Alert.rule_id == "detractor"))
        accounts = sorted(a.account_id for a in fired)
    assert counts["alerts_fired"] >= 2
    assert accounts == ["a-north", "a-west"]
