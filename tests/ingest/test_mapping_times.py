"""`times`: a per-seat price becomes the line's whole amount per interval."""

from datetime import date

import pytest
from sqlalchemy import select

from tenure.core.db import make_session_factory
from tenure.ingest.errors import ImportRejected
from tenure.revenue.models import ContractLine
from tenure.revenue.seats import licensed_seats
from tests.ingest.conftest import run_import, write_files

MAPPING = """
tables:
  - entity: accounts
    file: seats.csv
    distinct: true
    columns:
      id: cust
      name: {template: "Customer {cust}"}
  - entity: contract_lines
    file: seats.csv
    columns:
      id: sub
      account_id: cust
      starts_on: from
      interval: {constant: month}
      amount_cents: {column: seat_price, times: seats, to_cents: true}
      currency: {constant: USD}
      quantity: seats
"""


def _import(workspace, tmp_path, rows: str):
    folder = write_files(
        tmp_path / "in", {"seats.csv": "sub,cust,from,seat_price,seats\n" + rows}
    )
    (tmp_path / "map.yaml").write_text(MAPPING)
    return run_import(workspace, folder, mapping_path=tmp_path / "map.yaml")


def test_per_seat_price_times_seats_is_the_line_amount(workspace, tmp_path):
    _import(workspace, tmp_path, "s1,c1,2024-01-01,19.99,12\ns2,c2,2024-02-01,49,1\n")

    with make_session_factory(workspace.engine)() as session:
        lines = session.scalars(select(ContractLine).order_by(ContractLine.id)).all()
        amounts = [(line.id, line.amount_cents, line.quantity) for line in lines]
        seats = licensed_seats(lines, on=date(2024, 3, 1))

    assert amounts == [("s1", 23988, 12), ("s2", 4900, 1)]
    assert seats == {"c1": 12, "c2": 1}


def test_an_empty_seat_count_is_refused_naming_its_column(workspace, tmp_path):
    with pytest.raises(ImportRejected) as caught:
        _import(workspace, tmp_path, "s1,c1,2024-01-01,19.99,\n")

    assert caught.value.problems == [
        "seats.csv, row 2, column seats (value ''): the value multiplying "
        "seat_price is not a number; write a count such as 12"
    ]
