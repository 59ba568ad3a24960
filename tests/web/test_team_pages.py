"""The team pages over real HTTP: what each role sees, forms and their CSRF checks."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tenure.accounts.access import set_password
from tenure.accounts.models import Account
from tenure.accounts.roster import add_user, set_capacity
from tenure.core.db import transaction
from tests.web.conftest import PASSWORD, sign_in

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


@contextmanager
def _signed_in(site, email: str) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=site.url, timeout=120) as http:
        yield http, sign_in(http, email)


def test_every_team_page_is_in_the_nav_and_renders(site):
    with _signed_in(site, site.viewer_email) as (http, _):
        pages = {
            path: http.get(path)
            for path in (
                "/team",
                "/team/rules",
                "/team/onboarding",
                "/team/tags",
                "/churn-reasons?period=2026&as_of=2026-11-30",
            )
        }
        dashboard = http.get("/", params={"period": "2026", "as_of": "2026-11-30"})

    assert {path: r.status_code for path, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    nav = re.search(r"<nav>(.*?)</nav>", pages["/team"].text, re.S)
    assert nav is not None
    for link in ("/team", "/team/rules", "/team/onboarding", "/team/tags"):
        assert f'href="{link}"' in nav.group(1)
    assert 'href="/churn-reasons?period=' in dashboard.text


def test_the_roster_shows_capacity_used_and_book_arr(site):
    with transaction(site.workspace.engine) as session:
        set_capacity(session, site.csm_id, capacity_accounts=40)
    with _signed_in(site, site.admin_email) as (http, _):
        page = http.get("/team", params={"as_of": "2026-11-30"}).text

    row = re.search(rf'<tr data-user="{site.csm_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert row is not None
    assert re.search(r"\d+ of 40 accounts", row.group(1))
    assert "<meter" in row.group(1)
    assert "departure…" in row.group(1)


def test_a_leader_adds_a_rule_with_the_form_and_needs_the_csrf_token(site):
    form = {
        "name": "germany",
        "priority": "7",
        "country": "DE",
        "strategy": "round_robin",
    }
    with _signed_in(site, LEADER_EMAIL) as (http, csrf):
        forged = http.post("/team/rules", data=form)
        bad = http.post(
            "/team/rules", data={**form, "priority": "soon", "csrf_token": csrf}
        )
        made = http.post("/team/rules", data={**form, "csrf_token": csrf})
        listed = http.get("/team/rules").text

    assert forged.status_code == 403
    assert bad.status_code == 422
    assert "priority &#39;soon&#39; is not a whole number" in bad.text
    assert made.status_code == 303
    row = re.search(r'<tr data-rule="germany">(.*?)</tr>', listed, re.S)
    assert row is not None and "country=DE" in row.group(1)


def test_a_viewer_gets_no_forms_and_cannot_post_them(site):
    with _signed_in(site, site.viewer_email) as (http, csrf):
        rules = http.get("/team/rules").text
        tags = http.get("/team/tags").text
        posted = http.post("/team/rules", data={"name": "mine", "csrf_token": csrf})
        departure = http.get(f"/team/users/{site.csm_id}/departure")

    assert 'action="/team/rules"' not in rules
    assert "leaders and admins manage assignment" in rules
    assert 'action="/team/tags"' not in tags
    assert posted.status_code == 403
    assert departure.status_code == 403


def test_a_departure_is_previewed_then_confirmed(site):
    path = f"/team/users/{site.csm_id}/departure"
    with _signed_in(site, LEADER_EMAIL) as (http, csrf):
        preview = http.get(path, params={"left_on": "2026-12-15"}).text
        confirmed = http.post(path, data={"left_on": "2026-12-15", "csrf_token": csrf})
        roster = http.get(confirmed.headers["location"]).text

    moves = re.findall(r"<tr><td><a href=\"/accounts/", preview)
    assert moves and "Confirm departure and move" in preview
    assert confirmed.status_code == 303
    assert f"{site.csm_id} has left; {len(moves)} accounts moved" in roster


def test_the_onboarding_board_filters_by_csm_and_moves_a_milestone(site):
    with _signed_in(site, site.csm_email) as (http, csrf):
        board = http.get("/team/onboarding", params={"as_of": "2026-11-30"}).text
        card = re.search(r'data-account="([^"]+)" data-milestone="([^"]+)"', board)
        assert card is not None
        account_id, name = card.groups()
        moved = http.post(
            f"/team/onboarding/{account_id}/{name}",
            data={"status": "skipped", "csrf_token": csrf},
        )
        after = http.get("/team/onboarding", params={"as_of": "2026-11-30"}).text

    accounts = set(re.findall(r'data-account="([^"]+)"', board))
    with transaction(site.workspace.engine) as session:
        for shown in accounts:
            assert session.get(Account, shown).csm_id == site.csm_id
    assert moved.status_code == 303
    skipped = after.split('data-status="skipped"')[1]
    assert f'data-account="{account_id}" data-milestone="{name}"' in skipped


def test_the_reason_list_editor_adds_and_retires(site):
    with _signed_in(site, site.admin_email) as (http, csrf):
        added = http.post(
            "/team/tags",
            data={
                "name": "Slow_Onboarding",
                "label": "Slow onboarding",
                "csrf_token": csrf,
            },
        )
        bad = http.post("/team/tags", data={"name": "two words", "csrf_token": csrf})
        retired = http.post("/team/tags/pricing/retire", data={"csrf_token": csrf})
        page = http.get("/team/tags").text

    assert added.status_code == 303 and retired.status_code == 303
    assert bad.status_code == 422 and "is not a plain name" in bad.text
    assert re.search(r'data-tag="slow_onboarding">.*?Slow onboarding.*?in use', page)
    assert re.search(r'data-tag="pricing">.*?retired', page)


def test_the_churn_reason_page_lists_reasons_that_add_up(site):
    with _signed_in(site, site.viewer_email) as (http, _):
        page = http.get(
            "/churn-reasons", params={"period": "2026", "as_of": "2026-11-30"}
        ).text

    assert "Churned and contracted ARR by reason" in page
    assert re.search(r'<tr data-reason="[^"]+">', page)
