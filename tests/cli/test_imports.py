"""`tenure import` and `tenure accounts` through the real command line."""

import csv
import io
import json
import subprocess
import sys

FILES = {
    "users.csv": "id,email,name\nu1,csm.one@example.test,Avery Stone\n",
    "accounts.csv": (
        "id,name,segment,csm_id\n"
        "a1,Acme Test Co,smb,u1\n"
        "a2,Bluefin Test Ltd,enterprise,\n"
    ),
    "contract_lines.csv": (
        "id,account_id,starts_on,amount_cents,currency\nl1,a1,2024-01-10,50000,USD\n"
    ),
}


def _tenure(home, *args):
    return subprocess.run(
        [sys.executable, "-m", "tenure.cli.main", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _write(folder, files):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_import_then_list_and_show_accounts(tmp_path):
    home = tmp_path / "home"
    folder = _write(tmp_path / "in", FILES)
    assert _tenure(home, "init").returncode == 0

    imported = _tenure(home, "import", str(folder))
    again = _tenure(home, "import", str(folder))
    listed = _tenure(home, "accounts", "list", "--segment", "smb", "--format", "json")
    as_csv = _tenure(home, "accounts", "list", "--format", "csv")
    shown = _tenure(home, "accounts", "show", "a1", "--format", "json")

    assert imported.returncode == 0, imported.stderr
    assert "import summary" in imported.stdout
    assert "│ accounts       │    2 │   2 │" in imported.stdout
    assert "│ accounts       │    2 │   0 │       0 │         2 │" in again.stdout
    assert [account["id"] for account in json.loads(listed.stdout)] == ["a1"]
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(row["id"], row["name"]) for row in rows] == [
        ("a1", "Acme Test Co"),
        ("a2", "Bluefin Test Ltd"),
    ]
    detail = json.loads(shown.stdout)
    assert detail["csm"] == {
        "id": "u1",
        "name": "Avery Stone",
        "email": "csm.one@example.test",
    }
    assert [
        (line["id"], line["amount_cents"]) for line in detail["contract_lines"]
    ] == [("l1", 50000)]


def test_bad_import_lists_problems_and_exits_1(tmp_path):
    home = tmp_path / "home"
    folder = _write(
        tmp_path / "in",
        {
            "accounts.csv": "id,name\n"
            + "".join(f"b{number},=cmd{number}\n" for number in range(25))
        },
    )
    _tenure(home, "init")

    result = _tenure(home, "import", str(folder))

    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert len(lines) == 22
    assert lines[0] == (
        "accounts.csv, row 2, column name (value '=cmd0'): text starting with =, "
        "+, - or @ looks like a spreadsheet formula and would run when exported; "
        "remove the leading character"
    )
    assert lines[20] == "... and 5 more"
    assert lines[21].startswith(
        "error: 25 problem(s) found in the import, so nothing was written; fix them "
        "or pass --skip-invalid (all problems: "
    )


def test_showing_an_unknown_account_is_one_error_line(tmp_path):
    home = tmp_path / "home"
    _tenure(home, "init")

    result = _tenure(home, "accounts", "show", "nope")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: no account has the id 'nope'; `tenure accounts list` shows the ids"
    )


def test_skip_invalid_writes_good_rows_and_names_the_rejected_file(tmp_path):
    home = tmp_path / "home"
    folder = _write(
        tmp_path / "in", {"accounts.csv": "id,name\ng1,Good Test\nb1,@bad\n"}
    )
    _tenure(home, "init")

    result = _tenure(home, "import", str(folder), "--skip-invalid")
    listed = _tenure(home, "accounts", "list", "--format", "json")

    assert result.returncode == 0, result.stderr
    assert "1 problem(s); rejected rows saved to " in result.stdout
    assert [account["id"] for account in json.loads(listed.stdout)] == ["g1"]
    (rejected,) = (home / "imports").glob("*/rejected.csv")
    assert (
        rejected.read_text()
        .splitlines()[1]
        .startswith('accounts.csv,3,"name: text starting with')
    )


def test_help_lists_import_and_accounts(tmp_path):
    result = _tenure(tmp_path, "--help")

    assert "import" in result.stdout
    assert "accounts" in result.stdout
