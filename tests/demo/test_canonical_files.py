"""The generated files obey the canonical import contract, checked with stdlib csv."""

import csv
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tenure.core.money import CURRENCIES
from tenure.demo.generator import GeneratedCompany
from tests.demo.conftest import END_ON

Check = Callable[[str], bool]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$"
)


def is_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_instant(value: str) -> bool:
    if not ISO_INSTANT.match(value):
        return False
    return datetime.fromisoformat(value).tzinfo is not None


def is_count(value: str) -> bool:
    return value.isdigit()


def is_decimal(value: str) -> bool:
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def one_of(*options: str) -> Check:
    return lambda value: value in options


def within(low: int, high: int) -> Check:
    return lambda value: value.lstrip("-").isdigit() and low <= int(value) <= high


def text(value: str) -> bool:
    return bool(value.strip())


def percent(value: str) -> bool:
    return is_decimal(value) and 0 <= Decimal(value) <= 100


def fte(value: str) -> bool:
    return is_decimal(value) and 0 < Decimal(value) <= 1


ID, OPTIONAL = "id", "optional"
# file -> column -> (check, required?); the column order is the contract's.
SCHEMA: dict[str, dict[str, tuple[Check, bool]]] = {
    "users": {
        "id": (text, True), "email": (text, True), "name": (text, True),
        "role": (one_of("admin", "leader", "csm", "viewer"), True),
        "fte": (fte, True), "joined_on": (is_date, False),
        "left_on": (is_date, False), "capacity_accounts": (is_count, False),
        "capacity_arr_cents": (is_count, False),
    },
    "accounts": {
        "id": (text, True), "name": (text, True), "billing_id": (text, False),
        "crm_id": (text, False), "segment": (one_of("smb", "mid", "ent"), True),
        "industry": (text, True), "country": (re.compile(r"^[A-Z]{2}$").match, True),
        "plan": (text, True), "created_on": (is_date, True),
        "onboarding_stage": (text, False), "csm_id": (text, True),
        "parent_id": (text, False),
    },
    "contacts": {
        "id": (text, True), "account_id": (text, True),
        "email": (re.compile(r"^[a-z0-9.]+@[a-z0-9.-]+\.example$").match, True),
        "name": (text, True), "role": (text, True), "created_on": (is_date, True),
    },
    "contract_lines": {
        "id": (text, True), "account_id": (text, True), "product": (text, True),
        "kind": (one_of("paid", "trial", "free", "one_time", "installment"), True),
        "starts_on": (is_date, True), "ends_on": (is_date, False),
        "interval": (one_of("week", "month", "quarter", "year", "once"), True),
        "interval_count": (within(1, 1000), True), "amount_cents": (is_count, True),
        "arr_cents": (is_count, False), "currency": (CURRENCIES.__contains__, True),
        "quantity": (within(1, 10**7), True),
        "auto_renew": (one_of("true", "false"), True),
        "cancellation_notice_on": (is_date, False),
    },
    "discounts": {
        "id": (text, True), "contract_line_id": (text, False),
        "account_id": (text, False),
        "duration": (one_of("once", "repeating", "forever"), True),
        "percent_off": (percent, False), "amount_off_cents": (is_count, False),
        "currency": (CURRENCIES.__contains__, False), "starts_on": (is_date, True),
        "ends_on": (is_date, False), "reason": (text, False),
    },
    "pauses": {
        "id": (text, True), "contract_line_id": (text, False),
        "account_id": (text, False), "starts_on": (is_date, True),
        "ends_on": (is_date, False),
    },
    "cancellations": {
        "id": (text, True), "account_id": (text, True),
        "contract_line_id": (text, True), "requested_on": (is_date, True),
        "effective_on": (is_date, True), "reason": (text, True),
        "comment": (text, False),
    },
    "renewals": {
        "id": (text, True), "account_id": (text, True),
        "contract_line_id": (text, True), "due_on": (is_date, True),
        "outcome": (
            one_of("renewed", "expanded", "contracted", "churned", "pending"), True
        ),
        "decided_on": (is_date, False), "arr_before_cents": (is_count, True),
        "arr_after_cents": (is_count, False),
        "currency": (CURRENCIES.__contains__, True),
    },
    "costs": {
        "id": (text, True), "period": (re.compile(r"^\d{4}-\d{2}$").match, True),
        "category": (
            one_of("cs_opex", "sales_marketing", "cost_to_serve", "other"), True
        ),
        "amount_cents": (is_count, True), "currency": (CURRENCIES.__contains__, True),
    },
    "survey_responses": {
        "id": (text, True), "survey": (text, True), "account_id": (text, True),
        "contact_id": (text, True), "kind": (one_of("nps", "csat"), True),
        "score": (within(0, 10), True), "comment": (text, False),
        "responded_at": (is_instant, True),
    },
    "tickets": {
        "id": (text, True), "account_id": (text, True),
        "opened_at": (is_instant, True), "closed_at": (is_instant, False),
        "priority": (one_of("low", "normal", "high", "urgent"), True),
        "satisfaction": (within(1, 5), False),
        "is_escalated": (one_of("true", "false"), True),
    },
    "notes": {
        "id": (text, True), "account_id": (text, True), "author_id": (text, True),
        "kind": (one_of("call", "meeting", "email", "note"), True),
        "occurred_at": (is_instant, True), "text": (text, True),
    },
}  # fmt: skip

# (file, column) -> (file, column) it must point at.
REFERENCES = {
    ("accounts", "csm_id"): ("users", "id"),
    ("accounts", "parent_id"): ("accounts", "id"),
    ("contacts", "account_id"): ("accounts", "id"),
    ("contract_lines", "account_id"): ("accounts", "id"),
    ("discounts", "contract_line_id"): ("contract_lines", "id"),
    ("discounts", "account_id"): ("accounts", "id"),
    ("pauses", "contract_line_id"): ("contract_lines", "id"),
    ("pauses", "account_id"): ("accounts", "id"),
    ("cancellations", "account_id"): ("accounts", "id"),
    ("cancellations", "contract_line_id"): ("contract_lines", "id"),
    ("renewals", "account_id"): ("accounts", "id"),
    ("renewals", "contract_line_id"): ("contract_lines", "id"),
    ("survey_responses", "account_id"): ("accounts", "id"),
    ("survey_responses", "contact_id"): ("contacts", "id"),
    ("tickets", "account_id"): ("accounts", "id"),
    ("notes", "account_id"): ("accounts", "id"),
    ("notes", "author_id"): ("users", "id"),
}
# (file, start column, end column, may they be equal?)
ORDERED = (
    ("users", "joined_on", "left_on", False),
    ("contract_lines", "starts_on", "ends_on", False),
    ("discounts", "starts_on", "ends_on", False),
    ("pauses", "starts_on", "ends_on", False),
    ("cancellations", "requested_on", "effective_on", False),
    ("renewals", "decided_on", "due_on", True),
    ("tickets", "opened_at", "closed_at", False),
)


def read_rows(folder: Path, stem: str) -> tuple[list[str], list[dict[str, str]]]:
    with (folder / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def tables(company: GeneratedCompany) -> dict[str, list[dict[str, str]]]:
    return {stem: read_rows(company.out_dir, stem)[1] for stem in SCHEMA}


@pytest.mark.parametrize("stem", list(SCHEMA))
def test_every_cell_has_the_contract_type(company: GeneratedCompany, stem: str) -> None:
    columns, rows = read_rows(company.out_dir, stem)
    assert columns == list(SCHEMA[stem])
    assert rows, f"{stem}.csv is empty"
    problems = []
    for number, row in enumerate(rows, start=2):
        for column, (check, required) in SCHEMA[stem].items():
            value = row[column]
            if value == "" and not required:
                continue
            if not check(value):
                problems.append(f"{stem}.csv row {number} {column}={value!r}")
    assert problems[:5] == []


@pytest.mark.parametrize("stem", list(SCHEMA))
def test_ids_are_unique(tables: dict[str, list[dict[str, str]]], stem: str) -> None:
    ids = [row["id"] for row in tables[stem]]
    assert len(ids) == len(set(ids))


def test_user_emails_are_unique(tables: dict[str, list[dict[str, str]]]) -> None:
    emails = [row["email"] for row in tables["users"]]
    assert len(emails) == len(set(emails))


@pytest.mark.parametrize(("source", "target"), list(REFERENCES.items()))
def test_references_exist(
    tables: dict[str, list[dict[str, str]]],
    source: tuple[str, str],
    target: tuple[str, str],
) -> None:
    known = {row[target[1]] for row in tables[target[0]]}
    values = {row[source[1]] for row in tables[source[0]]} - {""}
    assert values - known == set()


@pytest.mark.parametrize(("stem", "start", "end", "may_equal"), ORDERED)
def test_ends_come_after_starts(
    tables: dict[str, list[dict[str, str]]],
    stem: str,
    start: str,
    end: str,
    may_equal: bool,
) -> None:
    for row in tables[stem]:
        if row[start] and row[end]:
            first = datetime.fromisoformat(row[start])
            last = datetime.fromisoformat(row[end])
            assert first <= last if may_equal else first < last, row


def test_discounts_name_one_target_and_one_amount(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    for row in tables["discounts"]:
        assert bool(row["contract_line_id"]) != bool(row["account_id"]), row
        assert bool(row["percent_off"]) != bool(row["amount_off_cents"]), row
        assert bool(row["amount_off_cents"]) == bool(row["currency"]), row


def test_parents_come_before_their_subsidiaries(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    position = {row["id"]: number for number, row in enumerate(tables["accounts"])}
    children = [row for row in tables["accounts"] if row["parent_id"]]
    assert children
    for row in children:
        assert position[row["parent_id"]] < position[row["id"]]


def test_pauses_name_one_target(tables: dict[str, list[dict[str, str]]]) -> None:
    for row in tables["pauses"]:
        assert bool(row["contract_line_id"]) != bool(row["account_id"]), row


def test_survey_scores_fit_their_kind(tables: dict[str, list[dict[str, str]]]) -> None:
    for row in tables["survey_responses"]:
        low, high = (0, 10) if row["kind"] == "nps" else (1, 5)
        assert low <= int(row["score"]) <= high, row


def test_survey_contacts_belong_to_the_account(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    account_of = {row["id"]: row["account_id"] for row in tables["contacts"]}
    for row in tables["survey_responses"]:
        assert account_of[row["contact_id"]] == row["account_id"]


def test_renewal_outcomes_carry_their_amounts(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    for row in tables["renewals"]:
        before = int(row["arr_before_cents"])
        if row["outcome"] == "pending":
            assert row["decided_on"] == "" and row["arr_after_cents"] == ""
            continue
        after = int(row["arr_after_cents"])
        expected = {
            "churned": after == 0,
            "renewed": after == before,
            "expanded": after > before,
            "contracted": 0 < after < before,
        }
        assert expected[row["outcome"]], row


def test_events_file_has_the_contract_columns(company: GeneratedCompany) -> None:
    table = pq.read_table(company.out_dir / "events.parquet")
    assert table.column_names == [
        "message_id", "account_id", "contact_id", "name", "occurred_at", "properties",
    ]  # fmt: skip
    assert str(table.schema.field("occurred_at").type) == "timestamp[us, tz=UTC]"
    assert table.num_rows == company.events
    ids = table.column("message_id").to_pylist()
    assert len(ids) == len(set(ids))
    for value in set(table.column("properties").to_pylist()) - {None}:
        assert isinstance(json.loads(value), dict)


def test_events_reference_known_accounts_and_contacts(
    company: GeneratedCompany, tables: dict[str, list[dict[str, str]]]
) -> None:
    table = pq.read_table(company.out_dir / "events.parquet")
    accounts = {row["id"] for row in tables["accounts"]}
    contacts = {row["id"] for row in tables["contacts"]}
    assert set(table.column("account_id").to_pylist()) <= accounts
    assert set(table.column("contact_id").to_pylist()) <= contacts


def test_nothing_happens_after_the_last_day(
    company: GeneratedCompany, tables: dict[str, list[dict[str, str]]]
) -> None:
    table = pq.read_table(company.out_dir / "events.parquet", columns=["occurred_at"])
    last_event = max(table.column("occurred_at").to_pylist())
    assert last_event.date() <= END_ON
    instants = [
        row[column]
        for stem, column in (
            ("survey_responses", "responded_at"),
            ("tickets", "opened_at"),
            ("tickets", "closed_at"),
            ("notes", "occurred_at"),
        )
        for row in tables[stem]
        if row[column]
    ]
    assert max(datetime.fromisoformat(value).date() for value in instants) <= END_ON
    created = max(date.fromisoformat(row["created_on"]) for row in tables["accounts"])
    assert created <= END_ON


def test_readme_says_the_data_is_generated(company: GeneratedCompany) -> None:
    readme = (company.out_dir / "README.txt").read_text(encoding="utf-8")
    assert "Generated demo data" in readme
