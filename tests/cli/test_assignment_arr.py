"""`tenure assignment run` and `tenure import` balance CSM books by ARR."""

from typer.testing import CliRunner

from tenure.cli.main import app

ACCOUNTS = (
    "id,name,segment,created_on\n"
    "a1,Alder Test Co,smb,2024-01-01\n"
    "a2,Birch Test Co,smb,2024-01-02\n"
    "a3,Cedar Test Co,smb,2024-01-03\n"
    "a4,Dogwood Test Co,smb,2024-01-04\n"
)
LINES = (
    "id,account_id,starts_on,interval,amount_cents,currency\n"
    "l1,a1,2024-01-01,month,100000,USD\n"
    "l2,a2,2024-01-02,month,10000,USD\n"
    "l3,a3,2024-01-03,month,10000,USD\n"
    "l4,a4,2024-01-04,month,10000,USD\n"
)


def tenure(home, *args):
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def _data(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "accounts.csv").write_text(ACCOUNTS)
    (folder / "contract_lines.csv").write_text(LINES)
    return folder


def _roster(home):
    for user in ("x", "y"):
        tenure(
            home,
            "users",
            "add",
            user,
            "--email",
            f"{user}@example.test",
            "--name",
            f"CSM {user}",
        )
    tenure(
        home,
        "assignment",
        "rules",
        "add",
        "smb",
        "--segment",
        "smb",
        "--strategy",
        "balance_arr",
    )


def test_import_without_csms_warns_then_run_balances_by_arr(tmp_path):
    home = tmp_path / "home"
    tenure(home, "init")

    imported = tenure(home, "import", str(_data(tmp_path)), "--as-of", "2024-06-30")
    _roster(home)
    dry = tenure(home, "assignment", "run", "--as-of", "2024-06-30", "--dry-run")
    ran = tenure(home, "assignment", "run", "--as-of", "2024-06-30")

    assert (
        "warning: 4 account(s) have no CSM because no CSM is on the roster on "
        "2024-06-30" in imported
    )
    assert dry.splitlines()[:4] == [
        "a1: - -> x (rule smb)",
        "a2: - -> y (rule smb)",
        "a3: - -> y (rule smb)",
        "a4: - -> y (rule smb)",
    ]
    assert ran.splitlines()[:4] == dry.splitlines()[:4]
    assert "moved 4 accounts on 2024-06-30; 0 without a CSM" in ran


def test_import_with_a_roster_assigns_and_says_how_many(tmp_path):
    home = tmp_path / "home"
    tenure(home, "init")
    _roster(home)

    imported = tenure(home, "import", str(_data(tmp_path)), "--as-of", "2024-06-30")
    book_x = tenure(home, "users", "book", "x", "--as-of", "2024-06-30")
    book_y = tenure(home, "users", "book", "y", "--as-of", "2024-06-30")

    assert "4 accounts assigned a CSM on 2024-06-30" in imported
    assert "warning" not in imported
    assert book_x.split() == ["a1"]
    assert book_y.split() == ["a2", "a3", "a4"]
