"""--skip-invalid writes the good rows and saves the rejected ones with reasons."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from tenure.accounts.models import Account
from tenure.core.db import make_session_factory
from tenure.ingest.errors import ImportRejected
from tenure.revenue.models import ContractLine
from tests.ingest.conftest import run_import, write_files

FILES = {
    "accounts.csv": "id,name\na3,Third Test\na4,\n",
    "contract_lines.csv": (
        "id,account_id,starts_on,amount_cents\n"
        "l3,a3,2024-04-01,900\n"
        "l4,a4,2024-04-01,900\n"
        "l5,a3,2024-04-01,-1\n"
    ),
}


def test_skip_invalid_writes_good_rows_and_drops_rows_of_rejected_accounts(
    seeded, tmp_path
):
    report = run_import(
        seeded, write_files(tmp_path / "input", FILES), skip_invalid=True
    )

    with make_session_factory(seeded.engine)() as session:
        accounts = session.scalars(select(Account.id).order_by(Account.id)).all()
        lines = session.scalars(select(ContractLine.id).order_by(ContractLine.id))
        assert accounts == ["a1", "a2", "a3"]
        assert lines.all() == ["l1", "l3"]
    assert [
        (item.entity, item.read, item.new, item.rejected) for item in report.entities
    ] == [("accounts", 2, 1, 1), ("contract_lines", 3, 1, 2)]
    with report.rejected_path.open(newline="", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(row["file"], row["row"], row["reasons"]) for row in rejected] == [
        ("accounts.csv", "3", "name: name is required; fill it in"),
        (
            "contract_lines.csv",
            "3",
            "account_id: it refers to account 'a4' in accounts.csv row 3, which was "
            "rejected",
        ),
        ("contract_lines.csv", "4", "amount_cents: amount_cents must be 0 or more"),
    ]
    assert rejected[0]["data"] == '{"id": "a4", "name": ""}'
    assert report.rejected_path.parent.parent == seeded.settings.home / "imports"
    assert (report.report_dir / "problems.txt").read_text().count("error:") == 3


def test_without_skip_invalid_the_report_lists_every_problem(seeded, tmp_path):
    folder = write_files(tmp_path / "input", FILES)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, folder)
    lines = Path(caught.value.report_path).read_text(encoding="utf-8").splitlines()

    assert lines == [
        "error: accounts.csv, row 3, column name: name is required; fill it in",
        "error: contract_lines.csv, row 4, column amount_cents (value '-1'): "
        "amount_cents must be 0 or more",
    ]
