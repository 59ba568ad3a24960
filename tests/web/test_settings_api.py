"""The settings JSON API through a real server: scorecards, alert rules, users
and tokens, with their permissions."""

from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from tenure.accounts.access import create_token
from tenure.accounts.models import User
from tenure.activity.store import EventStore
from tenure.alerts.models import AlertRule
from tenure.alerts.service import parsed_rules
from tenure.core.db import transaction
from tenure.health.models import HealthScore, ScorecardChange, ScorecardMeasure
from tenure.health.service import compute_health_scores
from tests.web.conftest import DEMO_END, PASSWORD, sign_in


def _api(site, email: str) -> httpx.Client:
    with transaction(site.workspace.engine) as session:
        plain, _ = create_token(
            session, name="test", email=email, now=datetime(2026, 12, 1, tzinfo=UTC)
        )
    return httpx.Client(
        base_url=site.url, headers={"Authorization": f"Bearer {plain}"}, timeout=60
    )


ONE_MEASURE = {
    "name": "Logins only",
    "red_below": 30,
    "green_from": 60,
    "measures": [
        {
            "measure": "days_since_last_login",
            "weight": 7,
            "thresholds": [[30, 0], [0, 100]],
        }
    ],
}


def test_an_admin_replaces_a_scorecard_and_the_change_is_kept(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        saved = api.put("/api/scorecards/default", json=ONE_MEASURE)
        again = api.get("/api/scorecards/default").json()
    assert saved.status_code == 200, saved.text
    assert again["name"] == "Logins only"
    assert again["measures"] == [
        {
            "measure": "days_since_last_login",
            "weight": 7,
            "thresholds": [[0.0, 100.0], [30.0, 0.0]],
        }
    ]
    change = again["changes"][0]
    assert change["after"]["red_below"] == 30
    assert change["before"]["red_below"] == 40
    assert len(change["before"]["measures"]) == 10
    with transaction(demo_site.workspace.engine) as session:
        by = session.scalar(select(ScorecardChange.changed_by))
        admin_id = session.scalar(
            select(User.id).where(User.email == demo_site.admin_email)
        )
    assert change["changed_by"] == by == admin_id


def test_the_next_scoring_uses_the_edited_scorecard(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        assert api.put("/api/scorecards/default", json=ONE_MEASURE).status_code == 200
    with transaction(demo_site.workspace.engine) as session:
        scores = compute_health_scores(
            session,
            as_of=DEMO_END,
            store=EventStore(demo_site.workspace.settings.event_store_path),
        )
        assert scores
        for score in scores:
            measures = [part["measure"] for part in score.parts["measures"]]
            assert measures == ["days_since_last_login"]
            assert score.score in (0, 100)


def test_a_bad_scorecard_names_every_field_and_saves_nothing(demo_site):
    bad = {
        "name": "",
        "red_below": 80,
        "green_from": 50,
        "measures": [
            {"measure": "nps_average", "weight": -1, "thresholds": [[0, 150]]},
            {"measure": "open_tickets", "weight": 5, "thresholds": [[0, 100]]},
        ],
    }
    with _api(demo_site, demo_site.admin_email) as api:
        response = api.put("/api/scorecards/default", json=bad)
        after = api.get("/api/scorecards/default").json()
    assert response.status_code == 422
    problems = {p["field"]: p["reason"] for p in response.json()["error"]["problems"]}
    assert set(problems) == {
        "name",
        "green_from",
        "measures.nps_average.weight",
        "measures.nps_average.thresholds",
    }
    assert "below red below 80" in problems["green_from"]
    assert after["name"] != ""
    assert len(after["measures"]) == 10
    assert after["changes"] == []


def test_a_viewer_cannot_read_scorecards_and_a_csm_cannot_change_them(demo_site):
    with _api(demo_site, demo_site.viewer_email) as viewer:
        assert viewer.get("/api/scorecards").status_code == 403
    with _api(demo_site, demo_site.csm_email) as csm:
        assert csm.get("/api/scorecards").status_code == 200
        refused = csm.put("/api/scorecards/default", json=ONE_MEASURE)
        assert csm.get("/api/alert-rules").status_code == 403
    assert refused.status_code == 403
    with transaction(demo_site.workspace.engine) as session:
        weights = session.scalars(select(ScorecardMeasure.weight)).all()
        assert len(weights) == 10


def test_an_admin_adds_edits_and_disables_an_alert_rule(demo_site):
    rule = {
        "id": "quiet_week",
        "name": "Quiet for a week",
        "condition": "days_since_last_login >= 7",
        "severity": "low",
        "cooldown_days": 3,
    }
    with _api(demo_site, demo_site.admin_email) as api:
        created = api.post("/api/alert-rules", json=rule)
        edited = api.put(
            "/api/alert-rules/quiet_week",
            json={
                **rule,
                "condition": "days_since_last_login >= 10",
                "is_active": False,
            },
        )
    assert created.status_code == 201, created.text
    assert edited.json()["condition"] == "days_since_last_login >= 10"
    assert [c["before"] is None for c in edited.json()["changes"]] == [False, True]
    with transaction(demo_site.workspace.engine) as session:
        active = [r.id for r, _ in parsed_rules(session)]
        assert "quiet_week" not in active
        assert session.get(AlertRule, "quiet_week").is_active is False


def test_a_bad_condition_gets_the_parsers_message_and_saves_nothing(demo_site):
    rule = {"id": "broken", "name": "Broken", "condition": "days_since_last_login >="}
    with _api(demo_site, demo_site.admin_email) as api:
        response = api.post("/api/alert-rules", json=rule)
        unknown = api.post(
            "/api/alert-rules", json={**rule, "condition": "logins_per_fortnight > 3"}
        )
    assert response.status_code == 422
    problems = response.json()["error"]["problems"]
    assert problems[0]["field"] == "condition"
    assert "expected a value at the end" in problems[0]["reason"]
    assert "unknown measure 'logins_per_fortnight'" in unknown.text
    with transaction(demo_site.workspace.engine) as session:
        assert session.get(AlertRule, "broken") is None


def test_an_invited_user_chooses_a_password_once_and_signs_in(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        response = api.post(
            "/api/users",
            json={"email": "nia@tenure.example", "name": "Nia New", "role": "csm"},
        )
    body = response.json()
    assert response.status_code == 201, response.text
    assert body["user"]["can_sign_in"] is False
    link = httpx.URL(body["invitation_url"])
    token = link.params["token"]
    with httpx.Client(base_url=demo_site.url, timeout=30) as http:
        assert http.get("/invitation", params={"token": token}).status_code == 200
        form = {"token": token, "password": PASSWORD, "password_again": PASSWORD}
        assert http.post("/invitation", data=form).status_code == 303
        reused = http.post("/invitation", data=form)
        sign_in(http, "nia@tenure.example")
        assert http.get("/accounts").status_code == 200
    assert reused.status_code == 404


def test_a_deactivated_user_loses_sessions_and_tokens(demo_site):
    with _api(demo_site, demo_site.csm_email) as csm:
        assert csm.get("/api/accounts").status_code == 200
        with _api(demo_site, demo_site.admin_email) as api:
            roster = api.get("/api/users", params={"per_page": 100}).json()
            users = {u["email"]: u for u in roster["items"]}
            csm_id = users[demo_site.csm_email]["id"]
            gone = api.patch(f"/api/users/{csm_id}", json={"is_active": False})
            me = users[demo_site.admin_email]["id"]
            self_demoted = api.patch(f"/api/users/{me}", json={"role": "viewer"})
        assert gone.status_code == 200
        assert gone.json()["can_sign_in"] is False
        assert csm.get("/api/accounts").status_code == 401
    assert self_demoted.status_code == 403


def test_tokens_are_shown_once_listed_and_revoked(demo_site):
    with _api(demo_site, demo_site.csm_email) as csm:
        made = csm.post("/api/tokens", json={"name": "export script"}).json()
        listed = csm.get("/api/tokens").json()
        assert csm.get("/api/tokens", params={"all": True}).status_code == 403
        with httpx.Client(
            base_url=demo_site.url,
            headers={"Authorization": f"Bearer {made['token']}"},
        ) as script:
            assert script.get("/api/accounts").status_code == 200
            revoked = csm.delete(f"/api/tokens/{made['id']}")
            assert revoked.json()["revoked_at"] is not None
            assert script.get("/api/accounts").status_code == 401
    assert all("token" not in t for t in listed)
    assert made["id"] in {t["id"] for t in listed}


def test_only_an_admin_revokes_someone_elses_token(demo_site):
    with _api(demo_site, demo_site.csm_email) as csm:
        mine = csm.post("/api/tokens", json={"name": "mine"}).json()
    with _api(demo_site, demo_site.viewer_email) as viewer:
        assert viewer.delete(f"/api/tokens/{mine['id']}").status_code == 404
    with _api(demo_site, demo_site.admin_email) as admin:
        every = {t["id"] for t in admin.get("/api/tokens", params={"all": True}).json()}
        assert mine["id"] in every
        assert admin.delete(f"/api/tokens/{mine['id']}").status_code == 200


def test_session_callers_need_the_csrf_header(demo_site):
    with httpx.Client(base_url=demo_site.url, timeout=30) as http:
        csrf = sign_in(http, demo_site.admin_email)
        refused = http.post("/api/tokens", json={"name": "no header"})
        made = http.post(
            "/api/tokens", json={"name": "header"}, headers={"X-CSRF-Token": csrf}
        )
    assert refused.status_code == 403
    assert made.status_code == 201


def test_kept_scores_are_not_rewritten_by_an_edit(scored_site):
    with transaction(scored_site.workspace.engine) as session:
        before = sorted(session.scalars(select(HealthScore.score)).all())
    with _api(scored_site, scored_site.admin_email) as api:
        assert api.put("/api/scorecards/default", json=ONE_MEASURE).status_code == 200
    with transaction(scored_site.workspace.engine) as session:
        assert sorted(session.scalars(select(HealthScore.score)).all()) == before
