"""Screenshots of the dashboard, an account page, the alerts inbox and the
scorecard settings on demo data.

Run from the checkout: `python -m tests.web.screenshots docs/screenshots`.
"""

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from tenure.accounts.access import set_password
from tenure.accounts.models import Account, Note, User
from tenure.core.db import transaction
from tenure.core.jobs import run_job
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.demo.generator import generate_company
from tenure.health.models import HealthScore
from tenure.ingest.service import import_path
from tests.web.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_END,
    PASSWORD,
    _score_and_alert,
    _serve,
)


def _busiest_account(workspace) -> str:
    with transaction(workspace.engine) as session:
        account_id = session.scalar(
            select(Account.id)
            .join(Note, Note.account_id == Account.id)
            .join(HealthScore, HealthScore.account_id == Account.id)
            .group_by(Account.id)
            .order_by(func.count(Note.id).desc(), Account.id)
        )
    assert account_id is not None
    return str(account_id)


def take_screenshots(out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = init_workspace(Settings(home=Path(tmp) / "home"))
        generate_company(
            Path(tmp) / "demo", accounts=120, months=24, seed=11, end_on=DEMO_END
        )
        import_path(
            workspace, Path(tmp) / "demo", now=datetime(2026, 12, 1, tzinfo=UTC)
        )
        with transaction(workspace.engine) as session:
            admin = session.scalars(select(User).where(User.role == "admin")).one()
            email = admin.email
            set_password(session, email, PASSWORD)
        run_job("rollups", workspace, as_of=DEMO_END)
        _score_and_alert(workspace)
        account_id = _busiest_account(workspace)
        shots = [
            (f"/?period=2026&grain=month&as_of={DEMO_END}", "dashboard.png"),
            (f"/accounts/{account_id}?as_of={DEMO_END}", "account.png"),
            ("/alerts", "alerts.png"),
            ("/settings/scorecards/default", "settings.png"),
        ]
        with _serve(workspace) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            page = browser.new_page(
                base_url=url, viewport={"width": 1280, "height": 900}
            )
            page.goto("/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            written = []
            for path, name in shots:
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = out_dir / name
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            browser.close()
        workspace.engine.dispose()
    return written


if __name__ == "__main__":
    for written in take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written)
