"""The team pages in real headless Chromium (Debian's chromium package)."""

import pytest
from sqlalchemy import func, select

from tenure.accounts.access import set_password
from tenure.accounts.assignment_rules import list_rules
from tenure.accounts.models import Account, OnboardingMilestone, User
from tenure.accounts.roster import add_user
from tenure.core.db import make_session_factory, transaction
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser

LEADER_EMAIL = "leader@tenure.example"


@pytest.fixture
def site(demo_site):
    with transaction(demo_site.workspace.engine) as session:
        add_user(
            session,
            user_id="u-leader",
            email=LEADER_EMAIL,
            name="Lee Leader",
            role="leader",
        )
        set_password(session, LEADER_EMAIL, PASSWORD)
    return demo_site


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site.url)
    opened = context.new_page()
    yield opened
    context.close()


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_a_leader_creates_a_rule_then_previews_and_applies_a_departure(page, site):
    _sign_in(page, LEADER_EMAIL)
    page.click("nav >> text=Rules")
    page.wait_for_url("**/team/rules")
    form = page.locator("form.new-rule")
    form.locator("input[name=name]").fill("germany")
    form.locator("input[name=priority]").fill("5")
    form.locator("input[name=country]").fill("DE")
    form.locator("select[name=strategy]").select_option("round_robin")
    form.locator("button[type=submit]").click()
    page.locator('tr[data-rule="germany"]').wait_for()
    assert "country=DE" in page.locator('tr[data-rule="germany"]').inner_text()

    page.click("nav >> text=Team")
    page.wait_for_url("**/team")
    page.locator(f'tr[data-user="{site.csm_id}"] >> text=departure…').click()
    page.fill("input[name=left_on]", "2026-12-15")
    page.click("form.filters button[type=submit]")
    page.locator("table.preview").wait_for()
    moves = page.locator("table.preview tbody tr").count()
    assert moves >= 1
    page.click("form.confirm button[type=submit]")
    page.wait_for_url("**/team?departed=*")
    assert f"{site.csm_id} has left" in page.locator("#departed").inner_text()

    with make_session_factory(site.workspace.engine)() as session:
        assert next(r.name for r in list_rules(session)) == "germany"
        left = session.get(User, site.csm_id)
        assert left is not None and str(left.left_on) == "2026-12-15"
        held = session.scalar(select(func.count()).where(Account.csm_id == site.csm_id))
        unassigned = session.scalar(
            select(func.count()).where(Account.csm_id.is_(None))
        )
    assert (held, unassigned) == (0, 0)


def test_a_csm_moves_an_onboarding_milestone(page, site):
    _sign_in(page, site.csm_email)
    page.click("nav >> text=Onboarding")
    page.wait_for_url("**/team/onboarding")
    card = page.locator('section[data-status="pending"] article.milestone').first
    account_id = card.get_attribute("data-account")
    name = card.get_attribute("data-milestone")
    card.locator("button[value=done]").click()
    moved = page.locator(
        f'section[data-status="done"] article[data-account="{account_id}"]'
        f'[data-milestone="{name}"]'
    )
    moved.wait_for()
    assert "done" in moved.inner_text()

    with make_session_factory(site.workspace.engine)() as session:
        row = session.get(OnboardingMilestone, (account_id, name))
        assert row is not None and row.status == "done" and row.done_on is not None


def test_a_viewer_is_refused(page, site):
    _sign_in(page, site.viewer_email)
    page.goto("/team/rules")
    assert page.locator("form.new-rule").count() == 0
    assert "leaders and admins manage assignment" in page.content()

    page.goto("/team/onboarding")
    assert page.locator("article.milestone").count() >= 1
    assert page.locator("article.milestone button").count() == 0

    response = page.goto(f"/team/users/{site.csm_id}/departure")
    assert response is not None and response.status == 403
    assert "may not preview departures" in page.content()
