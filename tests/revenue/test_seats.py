"""Licensed seats per account, and ARR per account on a day, from the store."""

from datetime import date
from decimal import Decimal

from tenure.accounts.models import Account
from tenure.core.db import make_session_factory, transaction
from tenure.revenue.models import Cancellation, ExchangeRate
from tenure.revenue.policy import MetricOptions
from tenure.revenue.seats import licensed_seats
from tenure.revenue.service import arr_by_account, seats_by_account
from tenure.revenue.timeline import base_arr
from tests.factories import make_line

DAY = date(2024, 6, 15)


def _lines():
    return [
        make_line(id="paid", account_id="a1", quantity=10),
        make_line(id="free", account_id="a1", kind="free", quantity=2),
        make_line(id="trial-on-top", account_id="a1", kind="trial", quantity=5),
        make_line(id="trial-only", account_id="a2", kind="trial", quantity=3),
        make_line(id="no-quantity", account_id="a3", quantity=None),
        make_line(id="ended", account_id="a4", quantity=7, ends_on=date(2024, 6, 15)),
        make_line(id="cancelled", account_id="a5", quantity=4),
        make_line(id="setup-fee", account_id="a6", kind="one_time", quantity=9),
    ]


def test_seats_count_paid_and_free_lines_in_service_and_trials_only_alone():
    stop = Cancellation(id="c", account_id="a5", effective_on=date(2024, 6, 1))

    seats = licensed_seats(_lines(), on=DAY, cancellations=[stop])

    assert seats == {"a1": 12, "a2": 3}


def test_seats_before_a_line_starts_and_on_its_last_day():
    lines = [make_line(id="l", quantity=4, ends_on=date(2024, 6, 16))]

    assert licensed_seats(lines, on=date(2023, 12, 31)) == {}
    assert licensed_seats(lines, on=DAY) == {"acct-1": 4}
    assert licensed_seats(lines, on=date(2024, 6, 16)) == {}


def test_quantity_never_changes_arr_amount_is_the_whole_line():
    """20 seats at 5.00 each: the line's amount is 100.00 a month, ARR 1,200.00."""
    line = make_line(amount_cents=10000, quantity=20)

    assert base_arr(line) == 120000


def test_store_answers_arr_and_seats_per_account_on_a_day(engine):
    with transaction(engine) as session:
        session.add_all(
            [Account(id="a1", name="Alder"), Account(id="a2", name="Birch")]
        )
        session.flush()
        session.add_all(
            [
                make_line(id="l1", account_id="a1", amount_cents=10000, quantity=8),
                make_line(
                    id="l2",
                    account_id="a2",
                    interval="year",
                    amount_cents=50000,
                    currency="EUR",
                    quantity=3,
                ),
                ExchangeRate(
                    currency="EUR",
                    quote_currency="USD",
                    rate_on=date(2024, 1, 1),
                    rate=Decimal("1.1"),
                ),
            ]
        )

    with make_session_factory(engine)() as session:
        arr = arr_by_account(session, on=DAY, options=MetricOptions())
        before = arr_by_account(session, on=date(2023, 12, 31))
        seats = seats_by_account(session, on=DAY)

    assert arr == {"a1": 120000, "a2": 55000}
    assert before == {}
    assert seats == {"a1": 8, "a2": 3}
