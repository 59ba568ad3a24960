"""`tenure keys`, `tenure events import`, `tenure activity show`, `tenure jobs`."""

import gzip
import json
import subprocess
import sys


def _tenure(home, *args):
    return subprocess.run(
        [sys.executable, "-m", "tenure.cli.main", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _ok(home, *args):
    result = _tenure(home, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_keys_create_list_and_revoke(tmp_path):
    home = tmp_path / "home"
    _ok(home, "init")

    created = _ok(home, "keys", "create", "--name", "web app").strip().splitlines()
    secret = created[-1]
    listed = _ok(home, "keys", "list", "--format", "csv").splitlines()
    key_id = listed[1].split(",")[0]
    revoked = _ok(home, "keys", "revoke", key_id)
    after = _ok(home, "keys", "list", "--format", "csv").splitlines()

    assert secret.startswith("tk_") and len(secret) > 40
    assert secret not in "\n".join(listed)
    assert listed[1].endswith(",active")
    assert revoked.startswith(f"write key {key_id} revoked")
    assert after[1].endswith(",revoked")
    missing = _tenure(home, "keys", "revoke", "nope")
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: no write key has id 'nope'")


def test_events_import_of_gzip_csv_then_show_activity(tmp_path):
    home = tmp_path / "home"
    _ok(home, "init")
    (tmp_path / "accounts.csv").write_text("id,name\nacc-1,Cedar Test Co\n")
    _ok(home, "import", str(tmp_path / "accounts.csv"))
    events = tmp_path / "events.csv.gz"
    events.write_bytes(
        gzip.compress(
            b"message_id,account_id,name,occurred_at\n"
            b"m1,acc-1,login,2024-05-02T08:00:00Z\n"
            b"m2,acc-1,login,2024-05-20T08:00:00Z\n"
            b"m3,acc-1,export,2024-05-21T08:00:00Z\n"
        )
    )

    imported = _ok(home, "events", "import", str(events))
    _ok(home, "jobs", "run", "rollups")
    shown = _ok(home, "activity", "show", "acc-1", "--as-of", "2024-05-31")
    as_json = _ok(
        home, "activity", "show", "acc-1", "--as-of", "2024-05-31", "--format", "json"
    )

    assert "events" in imported
    figures = {row["figure"]: row["value"] for row in json.loads(as_json)}
    assert figures["last_login_on"] == "2024-05-20"
    assert figures["days_since_last_login"] == "11"
    assert figures["logins_30d"] == "2"
    assert figures["licensed_seats"] == ""
    assert shown.splitlines()[-2:] == [
        "login                 2",
        "export                1",
    ]


def test_events_import_refuses_other_entities(tmp_path):
    home = tmp_path / "home"
    _ok(home, "init")
    (tmp_path / "accounts.csv").write_text("id,name\nacc-1,Cedar Test Co\n")

    result = _tenure(home, "events", "import", str(tmp_path / "accounts.csv"))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: accounts.csv: holds 'accounts', but this import takes only "
        "contacts and events; import it with `tenure import`"
    )


def test_unknown_job_and_account_are_one_line_errors(tmp_path):
    home = tmp_path / "home"
    _ok(home, "init")

    job = _tenure(home, "jobs", "run", "nightly")
    account = _tenure(home, "activity", "show", "acc-missing")

    assert job.returncode == 1
    assert (
        job.stderr.strip()
        == "error: no job is named 'nightly'; use one of alerts, health, rollups, "
        "surveys"
    )
    assert account.returncode == 1
    assert account.stderr.startswith("error: ")
