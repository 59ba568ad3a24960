"""Health panel, band column, alerts inbox and their API on scored demo data."""

import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from tenure.accounts.access import create_token
from tenure.accounts.models import Account
from tenure.alerts.models import Alert, AlertEvent
from tenure.core.db import transaction
from tenure.health.models import HealthScore
from tests.web.conftest import DEMO_END, sign_in

AS_OF = f"as_of={DEMO_END}"


def _api(site, email: str) -> httpx.Client:
    with transaction(site.workspace.engine) as session:
        plain, _ = create_token(
            session, name="test", email=email, now=datetime(2026, 12, 1, tzinfo=UTC)
        )
    return httpx.Client(
        base_url=site.url, headers={"Authorization": f"Bearer {plain}"}, timeout=60
    )


def _browser(site) -> httpx.Client:
    return httpx.Client(base_url=site.url, timeout=60)


def _scored_account(site) -> tuple[str, int, str]:
    with transaction(site.workspace.engine) as session:
        row = session.scalars(
            select(HealthScore)
            .where(HealthScore.as_of == DEMO_END)
            .order_by(HealthScore.score, HealthScore.account_id)
        ).first()
        assert row is not None
        return row.account_id, row.score, row.band


def _unscored_account(site) -> str:
    with transaction(site.workspace.engine) as session:
        scored = select(HealthScore.account_id)
        account_id = session.scalar(
            select(Account.id).where(Account.id.not_in(scored)).order_by(Account.id)
        )
    assert account_id is not None
    return str(account_id)


def _alert_of(site, assignee_id: str, *, mine: bool = True) -> Alert:
    with transaction(site.workspace.engine) as session:
        match = (
            Alert.assignee_id == assignee_id
            if mine
            else Alert.assignee_id != assignee_id
        )
        alert = session.scalars(select(Alert).where(match).order_by(Alert.id)).first()
        assert alert is not None
        session.expunge(alert)
        return alert


def _events(site, alert_id: int) -> list[tuple[str, str]]:
    with transaction(site.workspace.engine) as session:
        rows = session.scalars(
            select(AlertEvent)
            .where(AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.id)
        )
        return [(e.status, e.actor) for e in rows]


def test_the_account_page_shows_the_latest_score_explained(scored_site):
    account_id, score, band = _scored_account(scored_site)
    with _browser(scored_site) as http:
        sign_in(http, scored_site.admin_email)
        page = http.get(f"/accounts/{account_id}?{AS_OF}").text
    assert f'<span class="band band-{band} score">{score}</span>' in page
    assert "health-parts" in page
    assert "Since 2026-11-23:" in page
    with _api(scored_site, scored_site.admin_email) as api:
        health = api.get(
            f"/api/accounts/{account_id}/health", params={"as_of": DEMO_END}
        )
    measures = health.json()["measures"]
    for m in measures:
        assert m["measure"].replace("_", " ") in page
    assert page.count('class="missing"') == sum(m["is_missing"] for m in measures)


def test_a_missing_measure_is_shown_missing_never_zero(scored_site):
    account_id, _, _ = _scored_account(scored_site)
    with _api(scored_site, scored_site.admin_email) as api:
        body = api.get(f"/api/accounts/{account_id}/health").json()
    missing = [m for m in body["measures"] if m["is_missing"]]
    present = [m for m in body["measures"] if not m["is_missing"]]
    assert missing, "the demo has no support data for some measure"
    assert all(m["value"] is None and m["points"] is None for m in missing)
    assert sum(m["weight_share"] for m in present) == pytest.approx(1)
    assert round(sum(m["contribution"] for m in present)) == body["score"]
    assert body["week_ago"]["as_of"] == "2026-11-23"


def test_an_account_never_scored_says_how_to_score_it(scored_site):
    account_id = _unscored_account(scored_site)
    with _browser(scored_site) as http:
        sign_in(http, scored_site.admin_email)
        page = http.get(f"/accounts/{account_id}").text
    assert "never been scored" in page
    assert "tenure health --as-of" in page
    with _api(scored_site, scored_site.viewer_email) as api:
        response = api.get(f"/api/accounts/{account_id}/health")
        unknown = api.get("/api/accounts/acc-nope/health")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "tenure health --as-of" in response.json()["error"]["message"]
    assert unknown.status_code == 404


def test_a_score_kept_after_as_of_is_not_shown(scored_site):
    account_id, _, _ = _scored_account(scored_site)
    with _api(scored_site, scored_site.admin_email) as api:
        earlier = api.get(
            f"/api/accounts/{account_id}/health", params={"as_of": "2026-11-25"}
        )
        before_any = api.get(
            f"/api/accounts/{account_id}/health", params={"as_of": "2026-11-22"}
        )
    assert earlier.json()["as_of"] == "2026-11-23"
    assert earlier.json()["week_ago"] is None
    assert before_any.status_code == 404


def test_the_accounts_list_has_a_band_column_and_filter(scored_site):
    with transaction(scored_site.workspace.engine) as session:
        yellow = session.scalar(
            select(func.count())
            .select_from(HealthScore)
            .where(HealthScore.as_of == DEMO_END, HealthScore.band == "yellow")
        )
    with _browser(scored_site) as http:
        sign_in(http, scored_site.admin_email)
        everyone = http.get(f"/accounts?{AS_OF}").text
        only_yellow = http.get(f"/accounts?band=yellow&{AS_OF}").text
        unscored = http.get(f"/accounts?band=unscored&{AS_OF}").text
        bad = http.get("/accounts?band=purple")
    assert "<th>Health</th>" in everyone
    assert re.search(r"Accounts <span class=\"muted\">(\d+)", only_yellow).group(
        1
    ) == str(yellow)
    assert only_yellow.count('class="band band-yellow"') == yellow
    assert 'class="band band-green"' not in only_yellow
    assert "band band-" not in unscored.split("<tbody>")[1]
    assert bad.status_code == 422


def test_a_csm_sees_their_own_alerts_by_default_and_everyones_on_request(scored_site):
    with transaction(scored_site.workspace.engine) as session:
        mine = session.scalar(
            select(func.count(Alert.id)).where(Alert.assignee_id == scored_site.csm_id)
        )
        total = session.scalar(select(func.count(Alert.id)))
    with _browser(scored_site) as http:
        sign_in(http, scored_site.csm_email)
        own = http.get("/alerts").text
        everyone = http.get("/alerts?csm=all").text
    assert f'Alerts <span class="muted">{mine}</span>' in own
    assert f'<span class="count" title="open alerts">{mine}</span>' in own
    assert f'Alerts <span class="muted">{total}</span>' in everyone
    assert own.count("Acknowledge</button>") == mine
    assert everyone.count("Acknowledge</button>") == mine < total


def test_a_leader_or_admin_sees_every_alert(scored_site):
    with transaction(scored_site.workspace.engine) as session:
        total = session.scalar(select(func.count(Alert.id)))
    with _browser(scored_site) as http:
        sign_in(http, scored_site.admin_email)
        inbox = http.get("/alerts").text
        one_csm = http.get(f"/alerts?csm={scored_site.csm_id}").text
    assert f'Alerts <span class="muted">{total}</span>' in inbox
    assert inbox.count("Acknowledge</button>") == min(total, 25)
    assert f'Alerts <span class="muted">{total}</span>' not in one_csm


def test_acknowledging_in_the_inbox_swaps_the_row_and_records_who(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    with _browser(scored_site) as http:
        csrf = sign_in(http, scored_site.csm_email)
        response = http.post(
            f"/alerts/{alert.id}/acknowledge",
            data={"csrf_token": csrf},
            headers={"HX-Request": "true"},
        )
        missing_token = http.post(f"/alerts/{alert.id}/resolve")
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="alert-{alert.id}"')
    assert '<span class="tag">acknowledged</span>' in response.text
    assert missing_token.status_code == 403
    assert _events(scored_site, alert.id) == [
        ("open", "system"),
        ("acknowledged", scored_site.csm_id),
    ]


def test_a_viewer_sees_the_inbox_but_cannot_change_it(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    with _browser(scored_site) as http:
        csrf = sign_in(http, scored_site.viewer_email)
        inbox = http.get("/alerts").text
        response = http.post(f"/alerts/{alert.id}/resolve", data={"csrf_token": csrf})
    assert "viewers cannot acknowledge" in inbox
    assert "Acknowledge</button>" not in inbox
    assert response.status_code == 403
    assert "cannot change alert" in response.text
    with _api(scored_site, scored_site.viewer_email) as api:
        refused = api.post(f"/api/alerts/{alert.id}/acknowledge")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_allowed"
    assert _events(scored_site, alert.id) == [("open", "system")]


def test_the_api_lists_alerts_with_filters_and_pages(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    with _api(scored_site, scored_site.viewer_email) as api:
        first = api.get("/api/alerts", params={"per_page": 5})
        mine = api.get(
            "/api/alerts", params={"csm": scored_site.csm_id, "per_page": 100}
        )
        account = api.get("/api/alerts", params={"account": alert.account_id})
        resolved = api.get("/api/alerts", params={"status": "resolved"})
        bad = api.get("/api/alerts", params={"status": "closed"})
    body = first.json()
    assert len(body["items"]) == 5
    assert body["pages"] == -(-body["total"] // 5)
    assert {i["assignee_id"] for i in mine.json()["items"]} == {scored_site.csm_id}
    assert {i["account_id"] for i in account.json()["items"]} == {alert.account_id}
    assert resolved.json()["total"] == 0
    assert bad.status_code == 422
    item = body["items"][0]
    assert item["rule_name"] and item["account_name"] and item["severity"]


def test_the_api_acknowledges_snoozes_and_resolves(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    others = _alert_of(scored_site, scored_site.csm_id, mine=False)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    with _api(scored_site, scored_site.csm_email) as api:
        acked = api.post(f"/api/alerts/{alert.id}/acknowledge")
        past = api.post(f"/api/alerts/{alert.id}/snooze", json={"until": "2026-01-01"})
        snoozed = api.post(
            f"/api/alerts/{alert.id}/snooze", json={"until": tomorrow.isoformat()}
        )
        resolved = api.post(f"/api/alerts/{alert.id}/resolve")
        again = api.post(f"/api/alerts/{alert.id}/resolve")
        not_mine = api.post(f"/api/alerts/{others.id}/acknowledge")
        unknown = api.post("/api/alerts/999999/acknowledge")
    assert acked.json()["status"] == "acknowledged"
    assert acked.json()["acknowledged_by"] == scored_site.csm_id
    assert past.status_code == 422
    assert "pick a day after" in past.json()["error"]["message"]
    assert snoozed.json()["snoozed_until"] == tomorrow.isoformat()
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_by"] == scored_site.csm_id
    assert again.status_code == 422
    assert not_mine.status_code == 403
    assert unknown.status_code == 404
    assert [s for s, _ in _events(scored_site, alert.id)] == [
        "open",
        "acknowledged",
        "snoozed",
        "resolved",
    ]


def test_session_writes_to_the_alerts_api_need_the_csrf_header(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    with _browser(scored_site) as http:
        csrf = sign_in(http, scored_site.admin_email)
        refused = http.post(f"/api/alerts/{alert.id}/acknowledge")
        done = http.post(
            f"/api/alerts/{alert.id}/acknowledge", headers={"X-CSRF-Token": csrf}
        )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_rejected"
    assert done.status_code == 200


def test_the_account_page_lists_its_alerts(scored_site):
    alert = _alert_of(scored_site, scored_site.csm_id)
    with _api(scored_site, scored_site.admin_email) as api:
        rule_name = api.get("/api/alerts", params={"account": alert.account_id}).json()[
            "items"
        ][0]["rule_name"]
    with _browser(scored_site) as http:
        sign_in(http, scored_site.admin_email)
        page = http.get(f"/accounts/{alert.account_id}").text
    section = page.split('id="alerts"')[1].split("</article>")[0]
    assert rule_name in section
    assert str(alert.fired_on) in section
    assert alert.severity in section
    assert date.fromisoformat(str(alert.fired_on)) == DEMO_END
