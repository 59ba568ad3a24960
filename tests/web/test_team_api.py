"""The roster, assignment, onboarding, reason and churn-reason API over real HTTP."""

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from tenure.accounts.access import create_token, set_password
from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.models import Account
from tenure.accounts.onboarding import template_for
from tenure.accounts.roster import add_user
from tenure.core.db import make_session_factory, transaction
from tests.web.conftest import PASSWORD, sign_in

LEADER_EMAIL = "leader@tenure.example"


def _token(site, email: str) -> str:
    with transaction(site.workspace.engine) as session:
        plain, _ = create_token(
            session, name="test", email=email, now=datetime(2026, 12, 1, tzinfo=UTC)
        )
    return plain


def _api(site, email: str) -> httpx.Client:
    return httpx.Client(
        base_url=site.url,
        headers={"Authorization": f"Bearer {_token(site, email)}"},
        timeout=120,
    )


@pytest.fixture
def site(demo_site):
    """The demo site with a leader who can sign in."""
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


def _open_stretches(site) -> dict[str, int]:
    with make_session_factory(site.workspace.engine)() as session:
        counts: dict[str, int] = {}
        for stretch in session.scalars(
            select(CsmAssignment).where(CsmAssignment.ends_on.is_(None))
        ):
            counts[stretch.account_id] = counts.get(stretch.account_id, 0) + 1
        csms = {a: c for a, c in session.execute(select(Account.id, Account.csm_id))}
    return {
        "accounts": len(csms),
        "without_csm": sum(v is None for v in csms.values()),
        "max_open": max(counts.values(), default=0),
    }


def test_a_viewer_reads_the_team_but_changes_nothing(site):
    rule = {"name": "viewer rule", "priority": 5}
    with _api(site, site.viewer_email) as api:
        roster = api.get("/api/users", params={"role": "csm"})
        rules = api.get("/api/assignment-rules")
        refused = [
            api.post("/api/assignment-rules", json=rule),
            api.post(
                f"/api/users/{site.csm_id}/departure/preview",
                json={"left_on": "2026-12-15"},
            ),
            api.put(
                f"/api/accounts/{site.account_id}/csm",
                json={"csm_id": site.csm_id, "reason": "mine now"},
            ),
            api.post("/api/note-tags", json={"name": "viewer_tag"}),
            api.post(
                "/api/users",
                json={"id": "x", "email": "x@tenure.example", "name": "X"},
            ),
        ]

    assert roster.status_code == 200 and rules.status_code == 200
    assert roster.json()["total"] >= 1
    assert [r.status_code for r in refused] == [403] * 5
    assert {r.json()["error"]["code"] for r in refused} == {"not_allowed"}


def test_a_leader_creates_edits_orders_and_removes_a_rule(site):
    with _api(site, LEADER_EMAIL) as api:
        created = api.post(
            "/api/assignment-rules",
            json={
                "name": "enterprise",
                "priority": 500,
                "segment": "Enterprise, Mid-Market",
                "strategy": "balance_arr",
                "csm_ids": [site.csm_id],
            },
        )
        rule_id = created.json()["id"]
        edited = api.put(
            f"/api/assignment-rules/{rule_id}",
            json={"name": "enterprise first", "priority": 1, "segment": "Enterprise"},
        )
        order = [r["name"] for r in api.get("/api/assignment-rules").json()]
        duplicate = api.post("/api/assignment-rules", json={"name": "enterprise first"})
        removed = api.delete(f"/api/assignment-rules/{rule_id}")
        gone = api.get(f"/api/assignment-rules/{rule_id}")

    assert created.status_code == 201, created.text
    assert created.json()["segment"] == "Enterprise,Mid-Market"
    assert edited.json()["csm_ids"] == [] and edited.json()["priority"] == 1
    assert order[0] == "enterprise first"
    assert duplicate.status_code == 422
    assert "exists already" in duplicate.json()["error"]["message"]
    assert removed.status_code == 204
    assert gone.status_code == 404


def test_a_session_change_without_the_csrf_header_is_refused(site):
    with httpx.Client(base_url=site.url, timeout=60) as http:
        csrf = sign_in(http, LEADER_EMAIL)
        refused = http.post("/api/note-tags", json={"name": "no_header"})
        accepted = http.post(
            "/api/note-tags",
            json={"name": "onboarding_gap", "label": "Onboarding gap"},
            headers={"X-CSRF-Token": csrf},
        )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_rejected"
    assert accepted.status_code == 201
    assert accepted.json() == {
        "name": "onboarding_gap",
        "label": "Onboarding gap",
        "is_active": True,
    }


def test_a_departure_preview_writes_nothing_and_the_apply_moves_the_whole_book(site):
    before = _open_stretches(site)
    with _api(site, LEADER_EMAIL) as api:
        book = api.get(
            f"/api/users/{site.csm_id}/book", params={"as_of": "2026-12-14"}
        ).json()["account_ids"]
        preview = api.post(
            f"/api/users/{site.csm_id}/departure/preview",
            json={"left_on": "2026-12-15"},
        ).json()
        still = api.get(
            f"/api/users/{site.csm_id}/book", params={"as_of": "2026-12-15"}
        ).json()["account_ids"]
        applied = api.post(
            f"/api/users/{site.csm_id}/departure", json={"left_on": "2026-12-15"}
        ).json()
        after_book = api.get(
            f"/api/users/{site.csm_id}/book", params={"as_of": "2026-12-15"}
        ).json()["account_ids"]
        earlier_book = api.get(
            f"/api/users/{site.csm_id}/book", params={"as_of": "2026-12-14"}
        ).json()["account_ids"]
        history = api.get(f"/api/accounts/{book[0]}/csm").json()
        person = api.get(f"/api/users/{site.csm_id}").json()

    assert book and still == book
    assert preview["applied"] is False and preview["unassigned"] == []
    assert sorted(m["account_id"] for m in preview["moves"]) == book
    assert applied["applied"] is True
    assert applied["moves"] == preview["moves"]
    assert after_book == [] and earlier_book == book
    assert person["left_on"] == "2026-12-15" and person["accounts"] == 0
    last, current = history["history"][-2:]
    assert (last["csm_id"], last["ends_on"]) == (site.csm_id, "2026-12-15")
    assert current["starts_on"] == "2026-12-15" and current["ends_on"] is None
    assert history["csm_id"] == current["csm_id"] != site.csm_id
    after = _open_stretches(site)
    assert after["without_csm"] == before["without_csm"] == 0
    assert after["max_open"] == 1


def test_a_manual_override_keeps_history_and_needs_a_reason(site):
    with _api(site, LEADER_EMAIL) as api:
        other = api.get("/api/accounts/" + site.other_account_id).json()
        moved = api.put(
            f"/api/accounts/{site.other_account_id}/csm",
            json={
                "csm_id": site.csm_id,
                "reason": "speaks the customer's language",
                "on": "2026-12-20",
            },
        )
        blank = api.put(
            f"/api/accounts/{site.other_account_id}/csm",
            json={"csm_id": site.csm_id, "reason": " "},
        )

    body = moved.json()
    assert moved.status_code == 200 and body["changed"] is True
    assert body["csm_id"] == site.csm_id
    assert body["history"][-2]["csm_id"] == other["account"]["csm_id"]
    assert body["history"][-1]["reason"] == "speaks the customer's language"
    assert body["history"][-1]["changed_by"] == "u-leader"
    assert blank.status_code == 422


def test_a_csm_moves_milestones_of_their_own_accounts_only(site):
    with make_session_factory(site.workspace.engine)() as session:
        first = template_for(session, None)[0][0]
    with _api(site, site.csm_email) as api:
        own = api.put(
            f"/api/accounts/{site.account_id}/milestones/{first}",
            json={"status": "done", "done_on": "2026-11-02"},
        )
        others = api.put(
            f"/api/accounts/{site.other_account_id}/milestones/{first}",
            json={"status": "done"},
        )
        unknown = api.put(
            f"/api/accounts/{site.account_id}/milestones/no_such_step",
            json={"status": "skipped"},
        )
        listed = api.get(
            "/api/onboarding/milestones",
            params={"account": site.account_id, "status": "done"},
        ).json()

    assert own.status_code == 200, own.text
    assert (own.json()["status"], own.json()["done_on"]) == ("done", "2026-11-02")
    assert others.status_code == 403
    assert unknown.status_code == 422
    assert [(m["name"], m["is_overdue"]) for m in listed["items"]] == [(first, False)]


def test_onboarding_templates_are_set_per_segment_by_admins(site):
    steps = {
        "steps": [
            {"name": "kick_off", "due_after_days": 3},
            {"name": "go_live", "due_after_days": 30},
        ]
    }
    with _api(site, LEADER_EMAIL) as leader:
        refused = leader.put("/api/onboarding/templates/default", json=steps)
    with _api(site, site.admin_email) as admin:
        changed = admin.put("/api/onboarding/templates/default", json=steps)
        listed = admin.get("/api/onboarding/templates").json()

    assert refused.status_code == 403
    assert changed.json() == {
        "segment": "default",
        "steps": [
            {"name": "kick_off", "due_after_days": 3},
            {"name": "go_live", "due_after_days": 30},
        ],
    }
    assert listed[0]["segment"] == "default"


def test_the_roster_shows_books_and_capacity(site):
    with transaction(site.workspace.engine) as session:
        held = len(
            session.scalars(
                select(Account.id).where(Account.csm_id == site.csm_id)
            ).all()
        )
    with _api(site, site.admin_email) as api:
        patched = api.patch(
            f"/api/users/{site.csm_id}",
            json={"capacity_accounts": held * 2, "fte": 0.5, "territories": ["DE"]},
        )
        roster = api.get("/api/users", params={"per_page": 100}).json()
        bad = api.post(
            "/api/users",
            json={"id": "dup", "email": site.csm_email.upper(), "name": "Dup"},
        )

    row = patched.json()
    assert row["accounts"] == held and row["capacity_used"] == 0.5
    assert row["fte"] == 0.5 and row["territories"] == ["DE"]
    assert sum(u["accounts"] for u in roster["items"]) == 40
    assert bad.status_code == 422
    assert "has that e-mail already" in bad.json()["error"]["message"]


def test_churn_reasons_add_up_to_the_metric_suite(site):
    with _api(site, site.viewer_email) as api:
        reasons = api.get(
            "/api/churn-reasons", params={"period": "2026", "as_of": "2026-11-30"}
        ).json()
        bridge = api.get(
            "/api/metrics",
            params={
                "period": "2026-01-01..2026-12-01",
                "metric": "arr_movements",
                "as_of": "2026-11-30",
            },
        ).json()[0]["parts"]

    assert reasons["period"] == "2026-01-01..2026-12-01"
    assert reasons["churned_arr_cents"] == round(bridge["churn"] * 100)
    assert reasons["contracted_arr_cents"] == round(bridge["contraction"] * 100)
    assert sum(r["lost_arr_cents"] for r in reasons["reasons"]) == (
        reasons["churned_arr_cents"] + reasons["contracted_arr_cents"]
    )


def test_tagging_a_note_states_the_reason_of_a_loss(site):
    with _api(site, site.admin_email) as api:
        reasons = api.get(
            "/api/churn-reasons", params={"period": "2026", "as_of": "2026-11-30"}
        ).json()
        lost = next((a for a in reasons["accounts"] if a["source"] is None), None)
        if lost is None:
            pytest.fail("the demo has no loss without a stated reason in 2026")
        note = api.post(
            f"/api/accounts/{lost['account_id']}/notes",
            json={
                "text": "They moved to a cheaper tool.",
                "kind": "call",
                "occurred_at": "2026-06-01T10:00:00Z",
            },
        ).json()
        tagged = api.put(f"/api/notes/{note['id']}/tags", json={"tags": ["Pricing"]})
        unknown = api.put(f"/api/notes/{note['id']}/tags", json={"tags": ["nope"]})
        after = api.get(
            "/api/churn-reasons", params={"period": "2026", "as_of": "2026-11-30"}
        ).json()
        by_tag = api.get("/api/notes", params={"tag": "pricing"}).json()

    assert tagged.json()["tags"] == ["pricing"]
    assert unknown.status_code == 422
    row = next(a for a in after["accounts"] if a["account_id"] == lost["account_id"])
    assert (row["reasons"], row["source"]) == (["pricing"], "note")
    assert note["id"] in {n["id"] for n in by_tag["items"]}
    assert all("pricing" in n["tags"] for n in by_tag["items"])
