"""Helpers for import tests: writing input files, running imports, dumping state."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tenure.core.models import Base
from tenure.core.workspace import Workspace
from tenure.ingest.service import ImportReport, import_path

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

BASE_FILES = {
    "users.csv": "id,email,name,role\nu1,csm.one@example.test,Avery Stone,csm\n",
    "accounts.csv": (
        "id,name,segment,csm_id,created_on\n"
        "a1,Acme Test Co,smb,u1,2024-01-10\n"
        "a2,Bluefin Test Ltd,enterprise,,2024-02-01\n"
    ),
    "contract_lines.csv": (
        "id,account_id,kind,starts_on,ends_on,interval,amount_cents,currency,quantity\n"
        "l1,a1,paid,2024-01-10,,month,50000,USD,5\n"
    ),
    "events.jsonl": (
        '{"message_id": "m1", "account_id": "a1", "name": "login", '
        '"occurred_at": "2024-03-01T09:00:00Z"}\n'
    ),
}


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return folder


def run_import(workspace: Workspace, path: Path, **options: object) -> ImportReport:
    return import_path(workspace, path, now=NOW, **options)  # type: ignore[arg-type]


def dump(workspace: Workspace) -> dict[str, object]:
    """Every row of every table, and the bytes of every event-store file."""
    state: dict[str, object] = {}
    with workspace.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(
                select(table).order_by(*table.primary_key.columns)
            )
            state[table.name] = [tuple(str(value) for value in row) for row in rows]
    root = workspace.settings.event_store_path
    state["events"] = sorted(
        (str(path.relative_to(root)), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in root.rglob("*")
        if path.is_file() and path.name != ".lock"
    )
    return state


@pytest.fixture
def seeded(workspace: Workspace, tmp_path: Path) -> Workspace:
    """A workspace holding one CSM, two accounts, one contract line and one event."""
    run_import(workspace, write_files(tmp_path / "seed", BASE_FILES))
    return workspace
