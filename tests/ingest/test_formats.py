"""Readers: CSV dialects, Parquet, JSON lines and bundles reach the same rows."""

import io
import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from tenure.accounts.models import Account
from tenure.core.db import make_session_factory
from tenure.ingest.csv_reader import read_csv
from tests.ingest.conftest import run_import, write_files


def _accounts(workspace):
    with make_session_factory(workspace.engine)() as session:
        return [
            (account.id, account.name, account.created_on)
            for account in session.scalars(select(Account).order_by(Account.id))
        ]


def test_csv_with_bom_crlf_semicolons_and_quoted_newlines(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(
        b'\xef\xbb\xbfid;name;industry\r\na1;"Two\r\nLines Test";Retail\r\n'
        b"a2;Plain Test;\r\n"
    )

    table = read_csv(path)

    assert table.columns == ["id", "name", "industry"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"id": "a1", "name": "Two\r\nLines Test", "industry": "Retail"}),
        (3, {"id": "a2", "name": "Plain Test", "industry": ""}),
    ]
    assert table.problems == []


def test_tab_separated_rows_after_a_quoted_newline_keep_spreadsheet_numbers(
    tmp_path,
):
    path = tmp_path / "accounts.tsv"
    path.write_text('id\tname\na1\t"multi\nline"\na2\tbad\textra\n')

    table = read_csv(path)

    assert [problem.describe() for problem in table.problems] == [
        "accounts.tsv, row 3: the row has 3 fields but the header has 2; check "
        "the delimiter and quoting"
    ]


def test_parquet_jsonl_and_bundle_files_import_alike(workspace, tmp_path):
    buffer = io.BytesIO()
    pq.write_table(
        pa.table(
            {
                "id": ["p1"],
                "name": ["Parquet Test"],
                "created_on": pa.array([date(2024, 5, 1)], pa.date32()),
            }
        ),
        buffer,
    )
    files = {
        "accounts.parquet": buffer.getvalue(),
        "contacts.jsonl": json.dumps(
            {"id": "c1", "account_id": "p1", "email": "pat@example.test"}
        )
        + "\n",
        "bundle.yaml": (
            "accounts:\n  - {id: y1, name: Yaml Test, created_on: 2024-06-01}\n"
        ),
    }

    report = run_import(workspace, write_files(tmp_path / "in", files))

    assert _accounts(workspace) == [
        ("p1", "Parquet Test", date(2024, 5, 1)),
        ("y1", "Yaml Test", date(2024, 6, 1)),
    ]
    assert [(item.entity, item.new) for item in report.entities] == [
        ("accounts", 2),
        ("contacts", 1),
    ]


def test_unknown_column_is_a_warning_and_is_ignored(workspace, tmp_path):
    files = {"accounts.csv": "id,name,colour\na1,Acme Test,blue\n"}

    report = run_import(workspace, write_files(tmp_path / "in", files))

    assert [problem.describe() for problem in report.warnings] == [
        "accounts.csv, row 1, column colour: accounts has no field 'colour'; the "
        "column is ignored"
    ]
    assert _accounts(workspace) == [("a1", "Acme Test", None)]


def test_a_header_only_file_is_an_empty_table_with_a_warning(workspace, tmp_path):
    files = {
        "accounts.csv": "id,name\na1,Acme Test\n",
        "discounts.csv": "id,contract_line_id,duration,percent_off,starts_on\r\n",
    }

    report = run_import(workspace, write_files(tmp_path / "in", files))

    assert [problem.describe() for problem in report.warnings] == [
        "discounts.csv, row 2: the file has a header but no data rows, so nothing "
        "is imported from it"
    ]
    assert _accounts(workspace) == [("a1", "Acme Test", None)]


def test_changed_rows_are_updated_and_counted(workspace, tmp_path):
    run_import(
        workspace,
        write_files(tmp_path / "one", {"accounts.csv": "id,name\na1,Old\na2,Same\n"}),
    )

    report = run_import(
        workspace,
        write_files(tmp_path / "two", {"accounts.csv": "id,name\na1,New\na2,Same\n"}),
    )

    summary = report.summary("accounts")
    assert (summary.new, summary.changed, summary.unchanged) == (0, 1, 1)
    assert _accounts(workspace) == [("a1", "New", None), ("a2", "Same", None)]


def test_child_account_listed_before_its_parent_loads(workspace, tmp_path):
    files = {"accounts.csv": "id,name,parent_id\nkid,Child Test,mum\nmum,Mum Test,\n"}

    report = run_import(workspace, write_files(tmp_path / "in", files))

    assert report.summary("accounts").new == 2


def test_rows_of_empty_cells_are_skipped(workspace, tmp_path):
    files = {"accounts.csv": "id,name\r\na1,Acme Test\r\n,\r\n , \r\n"}

    report = run_import(workspace, write_files(tmp_path / "in", files))

    assert (report.summary("accounts").read, report.summary("accounts").new) == (1, 1)


def test_bundle_rows_with_different_fields_load_parents_first(workspace, tmp_path):
    bundle = (
        "accounts:\n"
        "  - {id: solo, name: Solo Test, parent_id: null}\n"
        "  - {id: kid, name: Kid Test, parent_id: mum}\n"
        "  - {id: mum, name: Mum Test}\n"
    )

    report = run_import(workspace, write_files(tmp_path / "in", {"b.yaml": bundle}))

    assert report.summary("accounts").new == 3
