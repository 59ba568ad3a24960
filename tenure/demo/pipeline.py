"""The demo end to end: generate a company, load it, and compute what a CS team sees."""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import structlog
from sqlalchemy import func, select

from tenure.accounts.access import set_password
from tenure.accounts.models import User
from tenure.alerts.models import Alert
from tenure.core.db import make_session_factory, transaction
from tenure.core.errors import ConfigurationError
from tenure.core.jobs import run_job
from tenure.core.settings import Settings
from tenure.core.time import Period, parse_period
from tenure.core.workspace import Workspace, init_workspace
from tenure.demo.generator import GeneratedCompany, generate_company
from tenure.health.models import HealthScore
from tenure.ingest.service import ImportReport, import_path
from tenure.metrics.result import MetricResult
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions

log = structlog.get_logger()

# Marks a home folder as made by the demo, so a re-run may replace it.
DEMO_MARKER = ".tenure-demo"
# The demo's leader signs in with this password; it guards a local demo only.
DEMO_PASSWORD = "tenure-demo"
DEMO_SIGN_IN_USER = "u-lead"

SUMMARY_METRICS = (
    "arr_snapshot",
    "net_revenue_retention",
    "gross_revenue_retention",
    "gross_revenue_churn_rate",
    "net_revenue_churn_rate",
    "renewal_logo_churn_rate",
    "net_promoter_score",
    "lifetime_value",
    "ltv_to_cac",
    "cost_to_renew",
    "arr_per_csm",
)


@dataclass(frozen=True)
class DemoRun:
    workspace: Workspace
    company: GeneratedCompany
    report: ImportReport
    quarters: list[Period]
    results: list[MetricResult]
    health_bands: dict[str, int]
    open_alerts_by_csm: dict[str, int]
    sign_in_email: str


def last_whole_quarters(end_on: date, count: int) -> list[Period]:
    """The `count` calendar quarters that end on or before `end_on`, oldest first."""
    following = end_on + timedelta(days=1)
    index = following.year * 4 + (following.month - 1) // 3
    return [parse_period(f"{i // 4}-Q{i % 4 + 1}") for i in range(index - count, index)]


def prepare_demo_home(settings: Settings) -> None:
    """Make the home folder fresh, refusing to touch one the demo did not make."""
    if settings.database_url is not None:
        raise ConfigurationError(
            "the demo keeps its own SQLite database in its home folder; unset "
            "TENURE_DATABASE_URL or run it with another --home"
        )
    home = settings.home
    if home.exists() and any(home.iterdir()):
        if not (home / DEMO_MARKER).exists():
            raise ConfigurationError(
                f"{home} already holds files that the demo did not make; run the "
                "demo with --home pointing at a new or empty folder"
            )
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    (home / DEMO_MARKER).write_text("made by `tenure demo`; safe to delete\n")


def run_demo(
    settings: Settings,
    *,
    accounts: int,
    months: int,
    seed: int,
    end_on: date,
    now: datetime,
    on_progress: Callable[[int], None] | None = None,
) -> DemoRun:
    """Generate, import and measure a demo company in a fresh home folder."""
    prepare_demo_home(settings)
    company = generate_company(
        settings.home / "demo-data",
        accounts=accounts,
        months=months,
        seed=seed,
        end_on=end_on,
        on_progress=on_progress,
    )
    workspace = init_workspace(settings)
    report = import_path(workspace, company.out_dir, now=now)
    quarters = last_whole_quarters(end_on, 4)
    options = MetricOptions(
        timezone=settings.timezone,
        reporting_currency=settings.reporting_currency,
        as_of=end_on.isoformat(),
    )
    service = MetricService.from_engine(workspace.engine, options)
    results = [
        result
        for quarter in quarters
        for result in service.compute(SUMMARY_METRICS, quarter)
    ]
    bands, alerts = score_and_alert(workspace, as_of=end_on)
    email = enable_sign_in(workspace)
    log.info("demo.finished", accounts=accounts, seed=seed, quarters=len(quarters))
    return DemoRun(workspace, company, report, quarters, results, bands, alerts, email)


def enable_sign_in(workspace: Workspace) -> str:
    """Give the demo's CS leader the demo password; return their e-mail."""
    with transaction(workspace.engine) as session:
        leader = session.get(User, DEMO_SIGN_IN_USER)
        if leader is None:
            raise ConfigurationError(
                f"the demo company has no user {DEMO_SIGN_IN_USER}; regenerate it"
            )
        set_password(session, leader.email, DEMO_PASSWORD)
        return leader.email


def score_and_alert(
    workspace: Workspace, *, as_of: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Run the daily jobs (rollups, health scores, alert rules) on `as_of`.

    Returns accounts per health band and open alerts per CSM name.
    """
    for job in ("rollups", "health", "alerts"):
        run_job(job, workspace, as_of=as_of)
    with make_session_factory(workspace.engine)() as session:
        bands = session.execute(
            select(HealthScore.band, func.count())
            .where(HealthScore.as_of == as_of)
            .group_by(HealthScore.band)
        )
        alerts = session.execute(
            select(User.name, func.count(Alert.id))
            .select_from(Alert)
            .outerjoin(User, User.id == Alert.assignee_id)
            .where(Alert.status == "open")
            .group_by(User.name)
        )
        return (
            {band: count for band, count in bands},
            {name or "(no CSM)": count for name, count in alerts},
        )
