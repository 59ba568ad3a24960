"""A real server on loopback for web tests, and a real headless Chromium."""

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from tenure.accounts.access import set_password
from tenure.accounts.models import Account, User
from tenure.accounts.roster import add_user
from tenure.activity.store import EventStore
from tenure.alerts.service import run_alert_rules
from tenure.core.db import transaction
from tenure.core.workspace import Workspace
from tenure.demo.generator import generate_company
from tenure.health.service import compute_health_scores
from tenure.ingest.service import import_path
from tenure.web.app import create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serve(workspace: Workspace) -> Iterator[str]:
    """Run the app in a uvicorn thread on a free loopback port."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(workspace), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start within 10 seconds")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def server_url(workspace) -> Iterator[str]:
    """The app on a free loopback port."""
    with _serve(workspace) as url:
        yield url


@pytest.fixture
def client(server_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=10) as http:
        yield http


DEMO_END = date(2026, 11, 30)
PASSWORD = "a-long-test-password"


@dataclass(frozen=True)
class DemoSite:
    url: str
    workspace: Workspace
    admin_email: str
    csm_email: str
    csm_id: str
    viewer_email: str
    account_id: str
    other_account_id: str


def _seed_demo(workspace: Workspace, folder: Path) -> DemoSite:
    generate_company(folder, accounts=40, months=12, seed=11, end_on=DEMO_END)
    import_path(workspace, folder, now=datetime(2026, 12, 1, tzinfo=UTC))
    with transaction(workspace.engine) as session:
        add_user(
            session,
            user_id="u-viewer",
            email="viewer@tenure.example",
            name="Vera Viewer",
            role="viewer",
        )
        admin = session.scalars(select(User).where(User.role == "admin")).first()
        account = session.scalars(
            select(Account).where(Account.csm_id.is_not(None)).order_by(Account.id)
        ).first()
        assert admin is not None and account is not None
        csm = session.get(User, account.csm_id)
        assert csm is not None
        other = session.scalars(
            select(Account).where(Account.csm_id != csm.id).order_by(Account.id)
        ).first()
        assert other is not None
        for email in (admin.email, csm.email, "viewer@tenure.example"):
            set_password(session, email, PASSWORD)
        return DemoSite(
            url="",
            workspace=workspace,
            admin_email=admin.email,
            csm_email=csm.email,
            csm_id=csm.id,
            viewer_email="viewer@tenure.example",
            account_id=account.id,
            other_account_id=other.id,
        )


@pytest.fixture
def demo_site(workspace, tmp_path) -> Iterator[DemoSite]:
    """Generated demo data with an admin, a CSM and a viewer who can sign in."""
    site = _seed_demo(workspace, tmp_path / "demo")
    with _serve(workspace) as url:
        yield replace(site, url=url)


def sign_in(http: httpx.Client, email: str) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    form = http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    response = http.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 303, response.text
    page = http.get("/accounts")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    return csrf.group(1)


def _score_and_alert(workspace: Workspace) -> None:
    """Scores a week before and on the demo's last day, then the alert rules."""
    store = EventStore(workspace.settings.event_store_path)
    with transaction(workspace.engine) as session:
        compute_health_scores(session, as_of=DEMO_END - timedelta(days=7), store=store)
        compute_health_scores(session, as_of=DEMO_END, store=store)
        run_alert_rules(session, as_of=DEMO_END, store=store)


@pytest.fixture
def scored_site(workspace, tmp_path) -> Iterator[DemoSite]:
    """The demo site with health scores kept and alert rules run on DEMO_END."""
    site = _seed_demo(workspace, tmp_path / "demo")
    _score_and_alert(workspace)
    with _serve(workspace) as url:
        yield replace(site, url=url)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing; install it with apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
