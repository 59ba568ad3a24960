"""CSM slices and ARR per CSM follow who owned each account on the period's last day."""

from datetime import date

from sqlalchemy.orm import Session

from tenure.accounts.assignment_history import CsmChange, move_accounts
from tenure.accounts.models import Account, User
from tenure.core.db import transaction
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.models import ContractLine
from tenure.revenue.policy import MetricOptions


def _store(engine) -> None:
    """a1 (1200 ARR) is Ulla's until 1 July 2024, then Vik's; a2 (2400) has no
    history and names Vik on the account."""
    with transaction(engine) as session:
        session.add_all(
            [
                User(id="ulla", email="ulla@example.com", name="Ulla", fte=1),
                User(id="vik", email="vik@example.com", name="Vik", fte=1),
            ]
        )
        session.flush()
        a1 = Account(id="a1", name="Alder Analytics")
        session.add_all([a1, Account(id="a2", name="Birch Bikes", csm_id="vik")])
        session.flush()
        for line_id, account_id, cents in (("l1", "a1", 10000), ("l2", "a2", 20000)):
            session.add(
                ContractLine(
                    id=line_id,
                    account_id=account_id,
                    starts_on=date(2024, 1, 1),
                    interval="month",
                    amount_cents=cents,
                )
            )
        _move(session, a1, "ulla", date(2024, 1, 1))
        _move(session, a1, "vik", date(2024, 7, 1))


def _move(session: Session, account: Account, csm_id: str, on: date) -> None:
    move_accounts(session, [CsmChange(account, csm_id, on, "test")], changed_by="admin")


def test_an_account_reassigned_mid_year_counts_for_its_old_csm_earlier(engine):
    _store(engine)
    service = MetricService.from_engine(engine, MetricOptions())
    early = service.compute(["arr"], parse_period("2024-Q2"), by="csm")
    late = service.compute(["arr"], parse_period("2024-Q3"), by="csm")
    assert {r.slice: r.value for r in early} == {"csm=ulla": 1200, "csm=vik": 2400}
    assert {r.slice: r.value for r in late} == {"csm=vik": 3600}
    assert [row["csm_id"] for row in early[0].rows] == ["ulla"]


def test_arr_per_csm_books_use_the_owner_on_the_last_day(engine):
    _store(engine)
    service = MetricService.from_engine(engine, MetricOptions())
    books = {}
    for label in ("2024-06", "2024-07"):
        (result,) = service.compute(["arr_per_csm"], parse_period(label))
        books[label] = {
            r["csm_id"]: (r["book_arr"], r["accounts"]) for r in result.rows
        }
        assert result.value == 1800 and result.parts["unassigned_arr"] == 0
    assert books["2024-06"] == {"ulla": (1200, 1), "vik": (2400, 1)}
    assert books["2024-07"] == {"ulla": (0, 0), "vik": (3600, 2)}


def test_before_its_first_stretch_a_tracked_account_has_no_csm(engine):
    _store(engine)
    service = MetricService.from_engine(engine, MetricOptions())
    (result,) = service.compute(["arr_per_csm"], parse_period("2023-12"))
    assert result.parts["total_arr"] == 0
    sliced = service.compute(["arr"], parse_period("2023-12"), by="csm")
    assert {r.slice for r in sliced} == {"csm=(none)", "csm=vik"}
