"""Churned and contracted ARR grouped by the reason each account stated."""

from datetime import UTC, date, datetime

import pytest

from tenure.accounts.churn_reasons import NO_REASON, churn_reasons
from tenure.accounts.notes import add_note
from tenure.core.db import make_session_factory, transaction
from tenure.core.time import parse_period
from tenure.ingest.service import import_path
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions
from tests.ingest.conftest import write_files

AS_OF = date(2024, 12, 31)
# Monthly amounts in cents; ARR is twelve times the amount.
FILES = {
    "accounts.csv": (
        "id,name,created_on\n"
        "a1,Alder Test Co,2024-01-01\n"
        "a2,Birch Test Co,2024-01-01\n"
        "a3,Cedar Test Co,2024-01-01\n"
        "a4,Dogwood Test Co,2024-01-01\n"
        "a5,Elm Test Co,2024-01-01\n"
    ),
    "contract_lines.csv": (
        "id,account_id,starts_on,ends_on,interval,amount_cents,currency\n"
        "l1,a1,2024-01-01,2024-05-01,month,100000,USD\n"
        "l2,a2,2024-01-01,2024-06-01,month,200000,USD\n"
        "l2b,a2,2024-06-01,,month,50000,USD\n"
        "l3,a3,2024-01-01,2024-04-15,month,10000,USD\n"
        "l4,a4,2024-01-01,,month,30000,USD\n"
        "l5,a5,2024-01-01,2024-06-01,month,30000,USD\n"
    ),
    "cancellations.csv": (
        "id,account_id,effective_on,reason\n"
        "c1,a1,2024-05-01,Pricing\n"
        "c3,a3,2024-04-15,unknown\n"
        "c5,a5,2024-06-01,pricing\n"
    ),
}


@pytest.fixture
def report(workspace, tmp_path):
    import_path(
        workspace,
        write_files(tmp_path / "input", FILES),
        now=datetime(2024, 12, 31, tzinfo=UTC),
    )
    with transaction(workspace.engine) as session:
        add_note(
            session,
            account_id="a2",
            author_id=None,
            kind="call",
            occurred_at=datetime(2024, 5, 15, 10, tzinfo=UTC),
            text="Moving most seats to another vendor; support was slow.",
            tags=["competitor", "support"],
        )
        # Older than the cancellation, and still the reason the CSM recorded.
        add_note(
            session,
            account_id="a5",
            author_id=None,
            kind="meeting",
            occurred_at=datetime(2024, 3, 1, 9, tzinfo=UTC),
            text="They need single sign-on before renewing.",
            tags=["missing_feature"],
        )
        # Tagged, but a year before the period: outside the window.
        add_note(
            session,
            account_id="a3",
            author_id=None,
            kind="note",
            occurred_at=datetime(2023, 6, 1, 9, tzinfo=UTC),
            text="Budget talk long ago.",
            tags=["budget"],
        )
    service = MetricService.from_engine(
        workspace.engine, MetricOptions(as_of=AS_OF.isoformat())
    )
    with make_session_factory(workspace.engine)() as session:
        return churn_reasons(session, service, parse_period("2024-Q2"))


def test_losses_are_grouped_by_stated_reason_largest_first(report):
    """Q2 2024, in cents of ARR:
    a1 churns 12,000.00 (cancellation: Pricing)            -> pricing 1,200,000
    a2 contracts 24,000.00 -> 6,000.00 = 18,000.00, tagged competitor and
       support on one note                                 -> 900,000 each
    a3 churns 1,200.00, cancellation says 'unknown', its only tagged note is
       older than 180 days                                 -> no reason 120,000
    a5 churns 3,600.00; the note tag beats the cancellation -> missing_feature
    a4 keeps its ARR and is not in the report.
    """
    rows = [
        (t.reason, t.accounts, t.churned_arr_cents, t.contracted_arr_cents)
        for t in report.reasons
    ]
    assert rows == [
        ("pricing", 1, 1_200_000, 0),
        ("competitor", 1, 0, 900_000),
        ("support", 1, 0, 900_000),
        ("missing_feature", 1, 360_000, 0),
        (NO_REASON, 1, 120_000, 0),
    ]
    assert report.reasons[0].label == "Pricing"


def test_reasons_add_up_to_the_bridge_churn_and_contraction(report):
    assert report.churned_arr_cents == 1_680_000
    assert report.contracted_arr_cents == 1_800_000
    assert sum(t.churned_arr_cents for t in report.reasons) == 1_680_000
    assert sum(t.contracted_arr_cents for t in report.reasons) == 1_800_000
    assert "a4" not in {a.account_id for a in report.accounts}


def test_each_account_says_where_its_reason_came_from(report):
    sources = {a.account_id: (a.movement, a.source) for a in report.accounts}
    assert sources == {
        "a1": ("churn", "cancellation"),
        "a2": ("contraction", "note"),
        "a3": ("churn", None),
        "a5": ("churn", "note"),
    }
