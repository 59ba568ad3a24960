"""Every generated row fits the operational store's tables, keys and references.

This is not the importer: it casts each cell by the column's SQL type and inserts
the files in the canonical load order, so a too-long value, a missing reference or
a wrong load order fails here on SQLite and PostgreSQL alike.
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Boolean, Date, DateTime, Engine, Integer, Numeric, Table, insert

from tenure.core.models import Base
from tenure.demo.generator import CSV_COLUMNS, generate_company

LOAD_ORDER = (
    "users", "accounts", "contacts", "contract_lines", "discounts", "pauses",
    "cancellations", "renewals", "costs", "survey_responses", "tickets", "notes",
)  # fmt: skip


def cast(table: Table, column: str, value: str) -> object:
    if value == "":
        return None
    kind = table.columns[column].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Boolean):
        return {"true": True, "false": False}[value]
    if isinstance(kind, Integer):
        return int(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    length = getattr(kind, "length", None)
    assert length is None or len(value) <= length, (table.name, column, value)
    return value


@pytest.fixture(scope="module")
def small_company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("store") / "company"
    generate_company(out_dir, accounts=80, months=12, seed=3, end_on=date(2025, 9, 30))
    return out_dir


def test_load_order_covers_every_csv_file() -> None:
    assert set(LOAD_ORDER) == set(CSV_COLUMNS)


def test_every_file_loads_into_the_store(small_company: Path, engine: Engine) -> None:
    with engine.begin() as connection:
        for stem in LOAD_ORDER:
            table = Base.metadata.tables[stem]
            with (small_company / f"{stem}.csv").open(newline="") as handle:
                rows = [
                    {
                        column: cast(table, column, value)
                        for column, value in row.items()
                    }
                    for row in csv.DictReader(handle)
                ]
            if rows:
                assert set(rows[0]) <= set(table.columns.keys())
                connection.execute(insert(table), rows)
