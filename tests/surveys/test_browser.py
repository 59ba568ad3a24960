"""The answer page, the surveys page and the trend charts in headless Chromium."""

import pytest
from sqlalchemy import select

from tenure.accounts.access import set_password
from tenure.core.db import make_session_factory, transaction
from tenure.surveys.models import SurveyResponse
from tenure.surveys.service import Audience, Throttle, create_campaign
from tests.surveys.conftest import SENT_AT, mail_to, score_links
from tests.web.conftest import PASSWORD, browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, site):  # noqa: F811
    with transaction(site.workspace.engine) as session:
        set_password(session, "u-lea@tenure.example", PASSWORD)
        create_campaign(
            session,
            campaign_id="q4",
            survey_id="nps-q4",
            starts_at=SENT_AT,
            audience=Audience(segments=("smb",)),
            throttle=Throttle(link_days=3650),
            now=SENT_AT,
        )
    site.send("q4")
    context = browser.new_context(base_url=site.url)
    opened = context.new_page()
    yield opened
    context.close()


def test_a_contact_answers_in_one_click_then_adds_a_comment(page, site):
    page.goto(score_links(mail_to(site.mailbox, "c-n1"))[5])
    assert "is recorded" in page.inner_text("#recorded")

    page.check("input[name=score][value='9']")
    page.fill("textarea[name=comment]", "Support is quick.")
    page.click("button[type=submit]")
    page.wait_for_selector("text=comment is saved")

    with make_session_factory(site.workspace.engine)() as session:
        [response] = session.scalars(select(SurveyResponse)).all()
    assert (response.score, response.comment) == (9, "Support is quick.")


def test_the_dashboard_and_account_page_draw_the_nps_trend(page, site):
    page.goto(score_links(mail_to(site.mailbox, "c-n1"))[10])
    page.goto("/login")
    page.fill("input[name=email]", "u-lea@tenure.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.wait_for_selector(".survey-trend .chart canvas")
    page.goto("/accounts/a-north")
    page.wait_for_selector(".survey-trend .chart canvas")
    assert "1 answer in 12 months" in page.inner_text(".survey-trend")

    page.goto("/surveys?kind=nps")
    row = page.inner_text("table.survey-results tbody tr")
    # c-n1 answered 10; three e-mails sent; a-west never answered.
    assert row.split("\t")[1:6] == ["100", "1", "1 · 0 · 0", "3", "33%"]
    assert "a-west" in row
