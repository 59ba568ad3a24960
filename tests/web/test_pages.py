import httpx

from tests.web.conftest import PASSWORD, sign_in

SCRIPT = "<script>alert('x')</script> & <b>bold</b>"


def _client(site) -> httpx.Client:
    return httpx.Client(base_url=site.url, timeout=60)


def test_pages_need_a_session(demo_site):
    with _client(demo_site) as http:
        response = http.get("/accounts")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_a_wrong_password_is_refused_without_saying_which_part(demo_site):
    with _client(demo_site) as http:
        form = http.get("/login").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        response = http.post(
            "/login",
            data={
                "email": demo_site.admin_email,
                "password": "nope",
                "csrf_token": token,
            },
        )
    assert response.status_code == 401
    assert "do not match" in response.text


def test_login_without_the_form_token_is_refused(demo_site):
    with _client(demo_site) as http:
        response = http.post(
            "/login", data={"email": demo_site.admin_email, "password": PASSWORD}
        )
    assert response.status_code == 403


def test_session_cookie_is_http_only_and_same_site_lax(demo_site):
    with _client(demo_site) as http:
        form = http.get("/login").text
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        response = http.post(
            "/login",
            data={
                "email": demo_site.admin_email,
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on loopback


def test_every_page_renders_for_an_admin(demo_site):
    with _client(demo_site) as http:
        sign_in(http, demo_site.admin_email)
        for path in (
            "/?period=2026&grain=quarter",
            "/metrics/net_revenue_retention?period=2026",
            "/accounts?sort=arr&desc=true",
            "/accounts?renewal_within=90&q=a",
            "/accounts?q=&csm=&segment=&renewal_within=&sort=name",
            f"/accounts/{demo_site.account_id}",
            f"/book/{demo_site.csm_id}",
            "/renewals",
            "/users",
            "/tokens",
            "/settings/scorecards",
            "/settings/scorecards/default",
            "/settings/alert-rules",
            "/settings/alert-rules/new",
            "/settings/alert-rules/no_login",
        ):
            response = http.get(path)
            assert response.status_code == 200, (path, response.text[:300])


def test_undefined_metrics_show_na_with_the_reason(demo_site):
    with _client(demo_site) as http:
        sign_in(http, demo_site.admin_email)
        page = http.get("/?period=2010&grain=year").text
    assert 'class="na" title="' in page
    assert ">n/a<" in page


def test_a_note_with_markup_renders_as_text(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.csm_email)
        added = http.post(
            f"/accounts/{demo_site.account_id}/notes",
            data={"text": SCRIPT, "kind": "call", "csrf_token": csrf},
        )
        assert added.status_code == 303
        page = http.get(f"/accounts/{demo_site.account_id}").text
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page


def test_a_post_without_the_csrf_token_is_refused(demo_site):
    with _client(demo_site) as http:
        sign_in(http, demo_site.csm_email)
        response = http.post(
            f"/accounts/{demo_site.account_id}/notes", data={"text": "hello"}
        )
    assert response.status_code == 403


def test_a_viewer_cannot_add_notes_and_sees_no_form(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.viewer_email)
        page = http.get(f"/accounts/{demo_site.account_id}").text
        response = http.post(
            f"/accounts/{demo_site.account_id}/notes",
            data={"text": "hello", "csrf_token": csrf},
        )
    assert "Add note" not in page
    assert response.status_code == 403


def test_a_csm_cannot_write_on_another_csms_account(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.csm_email)
        response = http.post(
            f"/accounts/{demo_site.other_account_id}/notes",
            data={"text": "hello", "csrf_token": csrf},
        )
    assert response.status_code == 403


def test_only_admins_see_the_users_page(demo_site):
    with _client(demo_site) as http:
        sign_in(http, demo_site.csm_email)
        response = http.get("/users")
    assert response.status_code == 403


def test_a_user_form_with_bad_fields_adds_nobody(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.admin_email)
        form = {
            "email": "ola@tenure.example",
            "name": "Ola Short",
            "role": "csm",
            "csrf_token": csrf,
        }
        bad_fte = http.post("/users", data={**form, "fte": "half"})
        short = http.post(
            "/users", data={**form, "access": "password", "password": "short"}
        )
        page = http.get("/users").text
    assert bad_fte.status_code == 422
    assert "FTE &#39;half&#39; is not a number" in bad_fte.text
    assert short.status_code == 422
    assert "shorter than 10 characters" in short.text
    assert "ola@tenure.example" not in page


def test_an_admin_adds_a_user_with_an_initial_password(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.admin_email)
        added = http.post(
            "/users",
            data={
                "email": "pim@tenure.example",
                "name": "Pim Password",
                "role": "viewer",
                "fte": "1",
                "access": "password",
                "password": PASSWORD,
                "csrf_token": csrf,
            },
        )
    assert added.status_code == 303
    with _client(demo_site) as http:
        sign_in(http, "pim@tenure.example")
        assert http.get("/settings/scorecards").status_code == 403


def test_sign_out_ends_the_session(demo_site):
    with _client(demo_site) as http:
        csrf = sign_in(http, demo_site.admin_email)
        http.post("/logout", data={"csrf_token": csrf})
        response = http.get("/accounts")
    assert response.status_code == 303
