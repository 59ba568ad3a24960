from datetime import UTC, datetime

import httpx

from tenure.accounts.access import create_token
from tenure.core.db import transaction
from tenure.core.jobs import run_job
from tests.web.conftest import DEMO_END, sign_in


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
        timeout=60,
    )


def test_the_api_refuses_a_caller_without_token_or_session(demo_site):
    response = httpx.get(f"{demo_site.url}/api/accounts")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"


def test_an_unknown_token_is_refused(demo_site):
    response = httpx.get(
        f"{demo_site.url}/api/accounts", headers={"Authorization": "Bearer tnr_nope"}
    )
    assert response.status_code == 401


def test_accounts_are_filtered_sorted_and_paged(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        first = api.get(
            "/api/accounts", params={"per_page": 5, "sort": "arr", "desc": True}
        )
        mine = api.get(
            "/api/accounts", params={"csm": demo_site.csm_id, "per_page": 100}
        )
    body = first.json()
    assert len(body["items"]) == 5
    assert body["total"] == 40
    arrs = [item["arr"] for item in body["items"]]
    assert arrs == sorted(arrs, reverse=True)
    assert {item["csm_id"] for item in mine.json()["items"]} == {demo_site.csm_id}


def test_account_detail_and_metrics(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        detail = api.get(f"/api/accounts/{demo_site.account_id}").json()
        metrics = api.get(
            "/api/metrics",
            params={"period": "2026-Q3", "metric": ["nrr", "logo_churn"]},
        ).json()
    assert detail["account"]["id"] == demo_site.account_id
    assert detail["contract_lines"]
    assert [m["metric"] for m in metrics] == [
        "net_revenue_retention",
        "renewal_logo_churn_rate",
    ]


def test_an_undefined_metric_is_null_with_a_reason(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        metrics = api.get("/api/metrics", params={"period": "2001", "metric": "nrr"})
    (nrr,) = metrics.json()
    assert nrr["value"] is None
    assert nrr["reason"]


def test_days_outside_the_calendar_range_are_refused_not_crashed(demo_site):
    paths = [
        "/api/accounts?as_of=9999-12-31",
        "/api/renewals?as_of=0001-01-01",
        "/api/metrics?period=0001",
        "/api/metrics?period=9999-12",
    ]
    with _api(demo_site, demo_site.admin_email) as api:
        answers = {path: api.get(path) for path in paths}
    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(
        paths, 422
    )
    assert all("error" in r.json() for r in answers.values())


def test_notes_by_token_respect_roles(demo_site):
    path = f"/api/accounts/{demo_site.account_id}/notes"
    with _api(demo_site, demo_site.csm_email) as api:
        created = api.post(path, json={"text": "<b>Renewal call</b>", "kind": "call"})
    with _api(demo_site, demo_site.viewer_email) as api:
        refused = api.post(path, json={"text": "viewer note"})
    assert created.status_code == 201
    assert created.json()["text"] == "<b>Renewal call</b>"
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_allowed"


def test_session_callers_need_the_csrf_header_to_write(demo_site):
    path = f"/api/accounts/{demo_site.account_id}/notes"
    with httpx.Client(base_url=demo_site.url, timeout=60) as http:
        csrf = sign_in(http, demo_site.csm_email)
        without = http.post(path, json={"text": "hello"})
        with_header = http.post(
            path, json={"text": "hello"}, headers={"X-CSRF-Token": csrf}
        )
    assert without.status_code == 403
    assert with_header.status_code == 201


def test_a_nul_character_in_the_address_is_a_400_on_every_database(demo_site):
    with _api(demo_site, demo_site.admin_email) as api:
        in_path = api.get("/api/accounts/acc%00x")
        in_query = api.get("/api/alerts", params={"csm": "a\x00b"})
        fine = api.get("/api/alerts", params={"csm": "a-b"})
    assert in_path.status_code == in_query.status_code == 400
    assert "NUL character" in in_query.json()["error"]["message"]
    assert fine.status_code == 200


def test_account_detail_lists_contacts_with_their_last_login(demo_site):
    run_job("rollups", demo_site.workspace, as_of=DEMO_END)
    with _api(demo_site, demo_site.admin_email) as api:
        detail = api.get(
            f"/api/accounts/{demo_site.account_id}", params={"as_of": str(DEMO_END)}
        ).json()
    contacts = detail["contacts"]
    assert contacts
    seen = [c["last_login_on"] for c in contacts if c["last_login_on"]]
    assert seen and seen == sorted(seen, reverse=True)
    assert detail["active_contacts_30d"] <= len(contacts)
