"""The roster, assignment, onboarding and notes commands, end to end on SQLite."""

import json
import subprocess
import sys
from datetime import date

import pytest
from typer.testing import CliRunner

from tenure.accounts.models import Account
from tenure.cli.main import app
from tenure.core.db import make_engine, transaction


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    result = CliRunner().invoke(app, ["--home", str(folder), "init"])
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{folder / 'tenure.db'}")
    with transaction(engine) as session:
        for index, country in enumerate(["DE", "DE", "FR", "US"]):
            session.add(
                Account(
                    id=f"a{index}",
                    name=f"Account {index}",
                    country=country,
                    created_on=date(2024, 1, 1),
                )
            )
    engine.dispose()
    return folder


def tenure(home, *args):
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_roster_rules_run_and_departure(home):
    tenure(
        home,
        "users",
        "add",
        "ada",
        "--email",
        "ada@example.test",
        "--name",
        "Ada",
        "--territory",
        "DE",
        "--capacity-accounts",
        "5",
    )
    tenure(home, "users", "add", "bo", "--email", "bo@example.test", "--name", "Bo")
    tenure(
        home,
        "users",
        "add",
        "cy",
        "--email",
        "cy@example.test",
        "--name",
        "Cy",
        "--role",
        "leader",
    )
    tenure(
        home,
        "assignment",
        "rules",
        "add",
        "dach",
        "--priority",
        "10",
        "--country",
        "DE,AT,CH",
        "--csm",
        "ada",
    )
    rules = json.loads(tenure(home, "assignment", "rules", "list", "--format", "json"))
    assert [(r["name"], r["csms"]) for r in rules] == [
        ("dach", "ada"),
        ("default", "covering"),
    ]

    output = tenure(home, "assignment", "run", "--as-of", "2024-02-01")
    assert "a0: - -> ada (rule dach)" in output
    assert "moved 4 accounts on 2024-02-01; 0 without a CSM" in output
    assert tenure(home, "users", "book", "bo", "--as-of", "2024-02-01").split() == [
        "a2",
        "a3",
    ]

    tenure(home, "users", "set-role", "cy", "csm")
    tenure(
        home, "users", "set-coverage", "ada", "--territory", "DE", "--territory", "FR"
    )
    tenure(home, "users", "set-capacity", "ada", "--capacity-accounts", "2")
    preview = tenure(home, "users", "leave", "bo", "--on", "2024-06-01", "--dry-run")
    assert "would move 2 accounts on 2024-06-01" in preview
    tenure(home, "users", "leave", "bo", "--on", "2024-06-01")
    assert tenure(home, "users", "book", "bo", "--as-of", "2024-06-01") == ""
    users = json.loads(tenure(home, "users", "list", "--format", "json"))
    assert {u["id"]: u["left_on"] for u in users}["bo"] == "2024-06-01"

    tenure(
        home,
        "accounts",
        "assign",
        "a2",
        "ada",
        "--as-of",
        "2024-07-01",
        "--reason",
        "speaks French",
    )
    history = tenure(home, "assignment", "history", "a2", "--format", "csv")
    assert history.splitlines() == [
        "csm,starts_on,ends_on,changed_by,reason",
        "bo,2024-02-01,2024-06-01,rules,assignment rules (default)",
        "cy,2024-06-01,2024-07-01,rules,book of bo reassigned (default)",
        "ada,2024-07-01,,manual,speaks French",
    ]


def test_onboarding_and_notes(home):
    tenure(home, "users", "add", "ada", "--email", "ada@example.test", "--name", "Ada")
    tenure(
        home,
        "onboarding",
        "set",
        "a0",
        "kick_off",
        "--status",
        "done",
        "--on",
        "2024-01-05",
    )
    overdue = tenure(
        home,
        "onboarding",
        "list",
        "--overdue",
        "--as-of",
        "2024-01-10",
        "--format",
        "csv",
    ).splitlines()
    assert overdue == [
        "account,csm,milestone,due_on,status,done_on",
        *[f"a{i},,kick_off,2024-01-08,overdue," for i in (1, 2, 3)],
    ]

    tenure(
        home,
        "notes",
        "add",
        "a0",
        "--kind",
        "call",
        "--author",
        "ada",
        "--at",
        "2024-05-02T14:30:00+02:00",
        "--text",
        "Price too high.",
        "--tag",
        "pricing",
    )
    tenure(home, "notes", "tags", "add", "onboarding_gap")
    notes = json.loads(
        tenure(home, "notes", "list", "--tag", "pricing", "--format", "json")
    )
    assert [(n["occurred_at"], n["tags"]) for n in notes] == [
        ("2024-05-02T12:30:00+00:00", "pricing")
    ]
    assert "onboarding_gap" in tenure(home, "notes", "tags", "list")


def test_an_error_prints_one_line_and_exits_1(home):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tenure.cli.main",
            "--home",
            str(home),
            "accounts",
            "assign",
            "a0",
            "nobody",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: no user with id 'nobody'; list the roster with `tenure users list`"
    ]
