"""Real headless Chromium against the loopback server (Debian's chromium package)."""

import pytest
from sqlalchemy import select

from tenure.alerts.models import Alert
from tenure.core.db import transaction
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser

SCRIPT_NOTE = "<script>window.pwned = true</script> Called about renewal"


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url)
    opened = context.new_page()
    yield opened
    context.close()


def _sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_a_csm_signs_in_drills_down_adds_a_note_and_signs_out(page, demo_site):
    _sign_in(page, demo_site.csm_email)
    page.goto("/?period=2026&grain=quarter")
    assert page.locator("article.metric").count() >= 10
    assert page.locator("article.metric .chart canvas").count() >= 1

    page.locator("article.metric a.figure").first.click()
    page.wait_for_url("**/metrics/**")
    assert page.locator("h1").inner_text().startswith("ARR")

    page.goto(f"/accounts/{demo_site.account_id}")
    page.fill("textarea[name=text]", SCRIPT_NOTE)
    page.click("form.note-form button[type=submit]")
    note = page.locator(".note-text", has_text="Called about renewal")
    note.wait_for()
    assert note.first.inner_text() == SCRIPT_NOTE
    assert page.evaluate("window.pwned === undefined")

    page.reload()
    assert page.locator(".note-text").first.inner_text() == SCRIPT_NOTE
    assert page.evaluate("window.pwned === undefined")

    page.click("text=Sign out")
    page.wait_for_url("**/login")
    page.goto("/accounts")
    assert page.url.endswith("/login")


def test_a_viewers_note_is_refused(page, demo_site):
    _sign_in(page, demo_site.viewer_email)
    page.goto(f"/accounts/{demo_site.account_id}")
    assert page.locator("form.note-form").count() == 0
    status = page.evaluate(
        """async (path) => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const body = new URLSearchParams({text: "sneaky", csrf_token: token});
            const response = await fetch(path, {method: "POST", body});
            return response.status;
        }""",
        f"/accounts/{demo_site.account_id}/notes",
    )
    assert status == 403
    page.reload()
    assert page.locator(".note-text", has_text="sneaky").count() == 0


def test_the_accounts_search_narrows_the_list_in_place(page, demo_site):
    _sign_in(page, demo_site.admin_email)
    page.goto("/accounts")
    before = page.locator("table.data tbody tr").count()
    page.fill("input[name=q]", demo_site.account_id)
    page.wait_for_function(
        "document.querySelectorAll('table.data tbody tr').length === 1"
    )
    assert f"q={demo_site.account_id}" in page.url
    assert page.locator("main").count() == 1
    assert page.locator("table.data tbody tr").count() == 1 < before


def _first_alert_of(site, assignee_id: str) -> int:
    with transaction(site.workspace.engine) as session:
        alert_id = session.scalar(
            select(Alert.id)
            .where(Alert.assignee_id == assignee_id, Alert.status == "open")
            .order_by(Alert.id)
        )
    assert alert_id is not None
    return int(alert_id)


@pytest.fixture
def scored_page(browser, scored_site):
    context = browser.new_context(base_url=scored_site.url)
    opened = context.new_page()
    yield opened
    context.close()


def test_a_csm_acknowledges_an_alert_in_the_inbox(scored_page, scored_site):
    page = scored_page
    alert_id = _first_alert_of(scored_site, scored_site.csm_id)
    _sign_in(page, scored_site.csm_email)
    count = page.locator("header nav a[href='/alerts'] .count").inner_text()
    page.click("header nav a[href='/alerts']")
    page.wait_for_url("**/alerts")
    row = page.locator(f"#alert-{alert_id}")
    assert row.locator(".alert-status").inner_text() == "open"
    assert page.locator("tr.alert-row").count() == int(count)

    row.locator("button", has_text="Acknowledge").click()
    page.wait_for_function(
        "id => document.querySelector(`#alert-${id} .alert-status`)"
        ".innerText.startsWith('acknowledged')",
        arg=alert_id,
    )
    assert (
        page.locator(f"#alert-{alert_id} button", has_text="Acknowledge").count() == 0
    )

    page.reload()
    status = page.locator(f"#alert-{alert_id} .alert-status").inner_text()
    assert status.startswith("acknowledged")


def test_a_viewers_acknowledge_is_refused(scored_page, scored_site):
    page = scored_page
    alert_id = _first_alert_of(scored_site, scored_site.csm_id)
    _sign_in(page, scored_site.viewer_email)
    page.goto("/alerts")
    assert "viewers cannot acknowledge" in page.locator("main").inner_text()
    assert page.locator(f"#alert-{alert_id} button").count() == 0
    status = page.evaluate(
        """async (path) => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const body = new URLSearchParams({csrf_token: token});
            const response = await fetch(path, {method: "POST", body});
            return response.status;
        }""",
        f"/alerts/{alert_id}/acknowledge",
    )
    assert status == 403
    page.reload()
    assert page.locator(f"#alert-{alert_id} .alert-status").inner_text() == "open"
