"""Settings, users, tokens and contacts in a real headless Chromium."""

import re

import httpx
import pytest
from sqlalchemy import select

from tenure.accounts.models import Contact
from tenure.alerts.models import AlertRule
from tenure.core.db import transaction
from tenure.core.jobs import run_job
from tenure.health.models import ScorecardChange, ScorecardMeasure
from tests.web.conftest import DEMO_END, PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url)
    opened = context.new_page()
    yield opened
    context.close()


def _sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def _weight(site, measure: str) -> int:
    with transaction(site.workspace.engine) as session:
        weight = session.scalar(
            select(ScorecardMeasure.weight).where(
                ScorecardMeasure.scorecard_id == "default",
                ScorecardMeasure.measure == measure,
            )
        )
    assert weight is not None
    return int(weight)


def test_an_admin_edits_a_scorecard_weight_and_an_alert_rule(page, demo_site):
    _sign_in(page, demo_site.admin_email)
    page.click("header nav a[href='/settings']")
    page.wait_for_url("**/settings/scorecards")
    page.click("a[href='/settings/scorecards/default']")
    page.fill("input[name='weight.nps_average']", "25")
    page.click("button:has-text('Save scorecard')")
    page.wait_for_url("**/settings/scorecards/default?saved=true")
    assert "next health job" in page.locator("[role=status]").inner_text()
    assert page.input_value("input[name='weight.nps_average']") == "25"
    changes = page.locator("ul.changes li")
    assert changes.count() == 1
    assert changes.first.inner_text().endswith("nps_average weight 10 → 25")
    assert _weight(demo_site, "nps_average") == 25

    page.goto("/settings/alert-rules")
    page.click("a[href='/settings/alert-rules/no_login']")
    page.fill("textarea[name=condition]", "days_since_last_login >= 21")
    page.click("button:has-text('Save rule')")
    page.wait_for_url("**/settings/alert-rules/no_login?saved=true")
    assert (
        page.locator("ul.changes li")
        .first.inner_text()
        .endswith("condition days_since_last_login >= 30 → days_since_last_login >= 21")
    )
    page.goto("/settings/alert-rules")
    row = page.locator("#rule-no_login")
    assert "days_since_last_login >= 21" in row.inner_text()
    row.locator("button", has_text="Disable").click()
    page.wait_for_url("**/settings/alert-rules")
    assert page.locator("#rule-no_login .state").inner_text() == "disabled"
    with transaction(demo_site.workspace.engine) as session:
        rule = session.get(AlertRule, "no_login")
        assert rule.condition == "days_since_last_login >= 21"
        assert rule.is_active is False


def test_a_bad_rule_expression_is_shown_by_the_field_and_nothing_is_saved(
    page, demo_site
):
    _sign_in(page, demo_site.admin_email)
    page.goto("/settings/alert-rules/no_login")
    page.fill("textarea[name=condition]", "days_since_last_login >= 30 and")
    page.click("button:has-text('Save rule')")
    problem = page.locator(".field-problem[data-field=condition]")
    assert "expected a value at the end" in problem.inner_text()
    label = page.locator("label", has=page.locator("textarea[name=condition]"))
    assert "expected a value" in label.inner_text()
    assert page.input_value("textarea[name=condition]").endswith(">= 30 and")

    page.goto("/settings/scorecards/default")
    page.fill("input[name=red_below]", "90")
    page.fill("input[name='thresholds.open_tickets']", "0:100, three:20")
    page.click("button:has-text('Save scorecard')")
    assert (
        "below red below 90"
        in page.locator(".field-problem[data-field=green_from]").inner_text()
    )
    thresholds = ".field-problem[data-field='measures.open_tickets.thresholds']"
    assert "'three:20' is not lower_bound:points" in page.inner_text(thresholds)
    with transaction(demo_site.workspace.engine) as session:
        rule = session.get(AlertRule, "no_login")
        assert rule.condition == "days_since_last_login >= 30"
        assert session.scalars(select(ScorecardChange)).all() == []


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("viewer", "/settings/scorecards"),
        ("viewer", "/settings/alert-rules"),
        ("csm", "/settings/alert-rules"),
        ("csm", "/users"),
    ],
)
def test_a_viewer_and_a_csm_cannot_open_settings(page, demo_site, who, path):
    email = demo_site.viewer_email if who == "viewer" else demo_site.csm_email
    _sign_in(page, email)
    response = page.goto(path)
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"


def test_a_csm_reads_the_scorecard_without_a_save_button(page, demo_site):
    _sign_in(page, demo_site.csm_email)
    page.goto("/settings/scorecards/default")
    assert page.locator("button:has-text('Save scorecard')").count() == 0
    assert page.locator("input[name='weight.nps_average']").is_disabled()
    status = page.evaluate(
        """async () => {
            const form = document.querySelector("form.settings-form");
            const body = new URLSearchParams(new FormData(form));
            body.set("weight.nps_average", "99");
            const response = await fetch(form.action, {method: "POST", body});
            return response.status;
        }"""
    )
    assert status == 403
    assert _weight(demo_site, "nps_average") != 99


def test_an_admin_adds_a_user_who_then_signs_in(page, demo_site, browser):
    _sign_in(page, demo_site.admin_email)
    page.goto("/users")
    page.fill("form.add-user input[name=email]", "lena@tenure.example")
    page.fill("form.add-user input[name=name]", "Lena Leader")
    page.select_option("form.add-user select[name=role]", "leader")
    page.fill("form.add-user input[name=fte]", "0.5")
    page.click("form.add-user button[type=submit]")
    link = page.locator("#invitation-link").inner_text()
    assert "/invitation?token=" in link

    invited = browser.new_context(base_url=demo_site.url).new_page()
    invited.goto(link)
    invited.fill("input[name=password]", "lenas-own-password")
    invited.fill("input[name=password_again]", "lenas-own-password")
    invited.click("button[type=submit]")
    invited.wait_for_url("**/login")
    _sign_in(invited, "lena@tenure.example", "lenas-own-password")
    assert "Lena Leader · leader" in invited.locator(".who").inner_text()
    invited.context.close()

    page.reload()
    assert "can sign in" in page.locator("tr", has_text="Lena Leader").inner_text()


def test_a_user_creates_uses_and_revokes_a_token(page, demo_site):
    _sign_in(page, demo_site.csm_email)
    page.click("header nav a[href='/tokens']")
    page.fill("input[name=name]", "spreadsheet")
    page.click("button:has-text('Create token')")
    token = page.locator("#new-token").inner_text().strip()
    assert re.fullmatch(r"tnr_[A-Za-z0-9_-]+", token)

    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=demo_site.url, headers=headers, timeout=30) as api:
        assert api.get("/api/accounts").status_code == 200
        page.goto("/tokens")
        assert page.locator("#new-token").count() == 0
        row = page.locator("table.mine tr", has_text="spreadsheet")
        assert row.locator(".state").inner_text() == "active"
        row.locator("button", has_text="Revoke").click()
        page.wait_for_url("**/tokens")
        assert row.locator(".state").inner_text() == "revoked"
        assert api.get("/api/accounts").status_code == 401


def test_the_account_page_shows_contacts_with_their_last_login(page, demo_site):
    run_job("rollups", demo_site.workspace, as_of=DEMO_END)
    with transaction(demo_site.workspace.engine) as session:
        names = session.scalars(
            select(Contact.name).where(Contact.account_id == demo_site.account_id)
        ).all()
    _sign_in(page, demo_site.csm_email)
    page.goto(f"/accounts/{demo_site.account_id}?as_of={DEMO_END}")
    table = page.locator("table.contacts")
    assert table.locator("tbody tr").count() == len(names) > 0
    logins = table.locator("td.last-login").all_inner_texts()
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in logins)
    assert re.search(
        r"\d+ active in the last 30 days of \d+ licensed seats?",
        page.locator("p.seats").inner_text(),
    )
