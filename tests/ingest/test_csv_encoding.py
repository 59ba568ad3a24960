"""A CSV file in another encoding than UTF-8 gets one error saying how to save it."""

import os
import subprocess
import sys

import pytest

from tenure.ingest.errors import ImportRejected
from tests.ingest.conftest import dump, run_import, write_files

NOT_UTF8 = (
    "accounts.csv: the file is not UTF-8 text (its header cannot be read, as with "
    "UTF-16 or Latin-1); save it as UTF-8 (CSV UTF-8 in a spreadsheet)"
)
TEXT = "id,name\na7,Société Test\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_one_problem_and_nothing_is_written(seeded, tmp_path, encoding):
    files = {"accounts.csv": TEXT.encode(encoding)}
    before = dump(seeded)

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, write_files(tmp_path / "input", files))

    assert caught.value.problems == [NOT_UTF8]
    assert dump(seeded) == before


def test_latin1_header_is_one_problem(seeded, tmp_path):
    files = {"accounts.csv": "id,nom_société\na7,Test\n".encode("latin-1")}

    with pytest.raises(ImportRejected) as caught:
        run_import(seeded, write_files(tmp_path / "input", files))

    assert caught.value.problems == [NOT_UTF8]


def test_cli_import_of_utf16_csv_prints_the_problem_and_exits_1(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "TENURE_HOME"}
    env.pop("TENURE_DATABASE_URL", None)
    home = tmp_path / "home"
    folder = write_files(tmp_path / "input", {"accounts.csv": TEXT.encode("utf-16")})

    def tenure(*args):
        return subprocess.run(
            [sys.executable, "-m", "tenure.cli.main", "--home", str(home), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    assert tenure("init").returncode == 0
    result = tenure("import", str(folder))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == NOT_UTF8
    assert lines[1].startswith("error: 1 problem(s) found in the import, so nothing")
    assert len(lines) == 2
    (report,) = (home / "imports").glob("*/problems.txt")
    assert report.read_text(encoding="utf-8") == f"error: {NOT_UTF8}\n"
    listed = tenure("accounts", "list")
    assert "a7" not in listed.stdout
