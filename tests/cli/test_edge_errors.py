"""Bad homes, databases and options end in one `error:` line, never a traceback."""

import os

import pytest

from tests.cli.process import run_tenure


def _tenure(*args, database_url=None):
    env = {key: value for key, value in os.environ.items() if key != "TENURE_HOME"}
    env.pop("TENURE_DATABASE_URL", None)
    if database_url is not None:
        env["TENURE_DATABASE_URL"] = database_url
    return run_tenure(*args, env=env)


SUPPORTED = (
    "use postgresql://USER:PASSWORD@HOST/DATABASE, or leave TENURE_DATABASE_URL "
    "unset for a SQLite file in the home folder"
)


def _one_error(result):
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["init"], ["accounts", "list"]])
def test_home_that_is_a_file_is_refused(tmp_path, command):
    home = tmp_path / "notes.txt"
    home.write_text("not a folder\n", encoding="utf-8")

    result = _tenure("--home", str(home), *command)

    assert _one_error(result) == (
        f"error: the home {home} is a file, not a folder; pass --home with a folder"
    )


def test_home_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n", encoding="utf-8")

    result = _tenure("--home", str(blocker / "home"), "init")

    assert _one_error(result) == (
        f"error: the home {blocker / 'home'} is under the file {blocker}, not a "
        "folder; pass --home with a folder"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_home_in_an_unwritable_folder_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)

    result = _tenure("--home", str(locked / "home"), "init")

    assert _one_error(result) == (
        f"error: cannot create the home folder {locked / 'home'} (Permission "
        "denied); pass --home with a folder you may write to"
    )


def test_read_only_command_on_a_missing_home_creates_nothing(tmp_path):
    home = tmp_path / "missing"

    result = _tenure("--home", str(home), "accounts", "list")

    assert _one_error(result) == (
        f"error: no Tenure workspace at {home}; run `tenure init` first or pass "
        "--home with the right folder"
    )
    assert not home.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a database at all, only text" * 100, "file is not a database"),
        (b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 80, None),
    ],
    ids=["garbage", "truncated"],
)
@pytest.mark.parametrize("command", [["init"], ["accounts", "list"]])
def test_unreadable_database_file_is_named_with_its_fix(
    tmp_path, content, reason, command
):
    home = tmp_path / "home"
    home.mkdir()
    (home / "tenure.db").write_bytes(content)

    line = _one_error(_tenure("--home", str(home), *command))

    database = home / "tenure.db"
    assert line.startswith(
        f"error: {database} in the home {home} is not a readable Tenure database ("
    )
    assert line.endswith(
        "); restore it from a backup, or move it away and run `tenure init`"
    )
    if reason is not None:
        assert f"({reason})" in line
    assert (home / "tenure.db").read_bytes() == content


def test_unreachable_postgresql_is_named_without_its_password(tmp_path):
    url = "postgresql://tenure:s3cret-word@127.0.0.1:1/tenure"

    line = _one_error(
        _tenure("--home", str(tmp_path), "accounts", "list", database_url=url)
    )

    assert line.startswith(
        "error: cannot use the database at postgresql://tenure:***@127.0.0.1:1/tenure ("
    )
    assert line.endswith(
        "); check that the server runs, the URL is right and the user may connect"
    )
    assert "s3cret-word" not in line


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "mysql://tenure:s3cret-word@127.0.0.1/tenure",
            "mysql://tenure:***@127.0.0.1/tenure",
        ),
        ("nosuch://127.0.0.1/tenure", "nosuch://127.0.0.1/tenure"),
        ("not a url", "not a url"),
    ],
)
def test_unsupported_database_url_names_what_to_use(tmp_path, url, shown):
    line = _one_error(_tenure("--home", str(tmp_path), "init", database_url=url))

    assert line == f"error: the database URL {shown} is not supported; {SUPPORTED}"


def test_unknown_log_level_is_a_usage_error_listing_the_levels(tmp_path):
    result = _tenure("--home", str(tmp_path), "--log-level", "LOUD", "init")

    assert result.returncode == 2
    text = " ".join(result.stderr.replace("│", " ").split())
    assert "Invalid value for '--log-level'" in text
    assert "'debug', 'info', 'warning', 'error'" in text
    assert not (tmp_path / "tenure.db").exists()


def test_log_level_is_accepted_in_any_case(tmp_path):
    result = _tenure("--home", str(tmp_path), "--log-level", "info", "init")

    assert result.returncode == 0, result.stderr


def test_metric_option_out_of_range_is_one_error_line(tmp_path):
    assert _tenure("--home", str(tmp_path), "init").returncode == 0

    result = _tenure(
        "--home",
        str(tmp_path),
        "metrics",
        "--period",
        "2024",
        "--option",
        "grace_days=-1",
    )

    assert _one_error(result) == (
        "error: option grace_days=-1 must be between 0 and 3650"
    )
