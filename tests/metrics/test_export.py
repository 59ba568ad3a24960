"""`tenure export --format parquet DIR`: every table the metrics read, with a manifest.

Refusals are raised as Tenure errors, which `tenure` prints as one line.
"""

import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tenure.accounts.models import Account
from tenure.cli.main import app
from tenure.core.db import transaction
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.metrics.inputs import INPUT_SCHEMAS
from tenure.revenue.models import ContractLine


@pytest.fixture
def home(tmp_path):
    """a1 pays 100 a month from 2023 on; a2 pays 1200 a year for 2023 only."""
    home = tmp_path / "home"
    workspace = init_workspace(Settings(home=home))
    with transaction(workspace.engine) as session:
        session.add_all(
            [Account(id="a1", name="Alder"), Account(id="a2", name="Birch")]
        )
        session.flush()
        session.add_all(
            [
                ContractLine(
                    id="l1",
                    account_id="a1",
                    starts_on=date(2023, 1, 1),
                    amount_cents=10000,
                ),
                ContractLine(
                    id="l2",
                    account_id="a2",
                    starts_on=date(2023, 1, 1),
                    ends_on=date(2024, 1, 1),
                    interval="year",
                    amount_cents=120000,
                ),
            ]
        )
    workspace.engine.dispose()
    return home


def _export(home, *args):
    return CliRunner().invoke(
        app,
        ["--home", str(home), "export", *args, "--option", "as_of=2024-06-30"],
    )


def test_export_writes_store_and_input_tables_with_a_manifest(home, tmp_path):
    target = tmp_path / "export"
    result = _export(home, "--format", "parquet", str(target))
    assert result.exit_code == 0, result.output
    assert f"as parquet to {target}" in result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["options"]["as_of"] == "2024-06-30"
    entries = {(e["group"], e["name"]): e for e in manifest["tables"]}
    assert {name for group, name in entries if group == "inputs"} == set(INPUT_SCHEMAS)
    assert ("store", "lines") in entries and ("store", "assignments") in entries
    for entry in entries.values():
        table = pq.read_table(target / entry["path"])
        assert table.num_rows == entry["rows"]
    segments = pq.read_table(target / "inputs" / "segments.parquet").to_pylist()
    assert {s["account_id"] for s in segments} == {"a1", "a2"}
    renewals = pq.read_table(target / "inputs" / "renewal_records.parquet")
    yearly = [r for r in renewals.to_pylist() if r["account_id"] == "a2"]
    assert [(r["due_on"], r["outcome"]) for r in yearly] == [
        (date(2024, 1, 1), "churned")
    ]
    lines = pq.read_table(target / "store" / "lines.parquet").to_pylist()
    assert sorted(line["id"] for line in lines) == ["l1", "l2"]
    assert manifest["renewal_window"]["start"] == "1900-01-01"


def test_export_refuses_a_non_empty_directory_unless_forced(home, tmp_path):
    target = tmp_path / "export"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    refused = _export(home, str(target))
    message = str(refused.exception)
    assert f"directory {target} is not empty" in message and "--force" in message
    assert (target / "notes.txt").read_text() == "keep me"
    not_an_export = str(_export(home, "--force", str(target)).exception)
    assert "holds files but no earlier export" in not_an_export
    assert (target / "notes.txt").read_text() == "keep me"
    (target / "notes.txt").unlink()
    assert _export(home, str(target)).exit_code == 0
    (target / "notes.txt").write_text("left over")
    forced = _export(home, "--force", str(target))
    assert forced.exit_code == 0, forced.output
    assert not (target / "notes.txt").exists()
    assert (target / "manifest.json").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("where", ["home", "home/export", "."])
def test_export_never_touches_the_workspace(home, tmp_path, where):
    target = tmp_path / where if where != "." else tmp_path
    before = sorted(p.name for p in home.iterdir())

    result = _export(home, "--force", str(target))

    assert "overlaps the workspace" in str(result.exception)
    assert sorted(p.name for p in home.iterdir()) == before


def test_export_errors_in_one_sentence(home, tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("")
    message = str(_export(home, str(a_file)).exception)
    assert message.endswith(
        "is a file, not a directory; choose a directory to export to"
    )
    assert "\n" not in message
    nowhere = str(_export(home, str(tmp_path / "missing" / "export")).exception)
    assert "does not exist; create it first" in nowhere
    other = _export(home, "--format", "csv", str(tmp_path / "x"))
    assert other.exit_code == 2
