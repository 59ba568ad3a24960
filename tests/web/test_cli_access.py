"""`tenure users add --password`, `users set-password` and `tokens create`."""

from datetime import UTC, datetime

from typer.testing import CliRunner

from tenure.accounts.access import authenticate, find_token_user
from tenure.cli.main import app
from tenure.core.db import make_engine, transaction

EMAIL = "ada@tenure.example"


def _run(home, *args, stdin=None):
    return CliRunner().invoke(app, ["--home", str(home), *args], input=stdin)


def _engine(home):
    return make_engine(f"sqlite:///{home / 'tenure.db'}")


def test_a_user_added_with_a_password_can_sign_in(tmp_path):
    home = tmp_path / "home"
    assert _run(home, "init").exit_code == 0
    added = _run(
        home,
        "users",
        "add",
        "ada",
        "--email",
        EMAIL,
        "--name",
        "Ada Quill",
        "--password",
        "first-password-1",
    )
    assert added.exit_code == 0, added.output
    engine = _engine(home)
    with transaction(engine) as session:
        assert authenticate(session, EMAIL, "first-password-1") is not None
        assert authenticate(session, EMAIL, "wrong-password") is None
    engine.dispose()


def test_set_password_reads_stdin_and_refuses_short_ones(tmp_path):
    home = tmp_path / "home"
    _run(home, "init")
    _run(home, "users", "add", "ada", "--email", EMAIL, "--name", "Ada Quill")
    short = _run(
        home, "users", "set-password", EMAIL, "--password-stdin", stdin="short\n"
    )
    changed = _run(
        home,
        "users",
        "set-password",
        EMAIL,
        "--password-stdin",
        stdin="a-new-secret-2\n",
    )
    assert short.exit_code == 1
    assert "shorter than" in str(short.exception)
    assert changed.exit_code == 0, changed.output
    engine = _engine(home)
    with transaction(engine) as session:
        assert authenticate(session, EMAIL, "a-new-secret-2") is not None
    engine.dispose()


def test_tokens_create_prints_a_token_kept_only_as_a_hash(tmp_path):
    home = tmp_path / "home"
    _run(home, "init")
    _run(home, "users", "add", "ada", "--email", EMAIL, "--name", "Ada Quill")
    created = _run(home, "tokens", "create", "--name", "reporting", "--user", EMAIL)
    assert created.exit_code == 0, created.output
    plain = created.output.strip().splitlines()[-1]
    assert plain.startswith("tnr_")
    database = (home / "tenure.db").read_bytes()
    assert plain.encode() not in database
    engine = _engine(home)
    with transaction(engine) as session:
        user = find_token_user(session, plain, now=datetime.now(UTC))
        assert user is not None and user.id == "ada"
    engine.dispose()


def test_a_token_for_an_unknown_user_is_refused(tmp_path):
    home = tmp_path / "home"
    _run(home, "init")
    result = _run(home, "tokens", "create", "--name", "x", "--user", "nobody@x.example")
    assert result.exit_code == 1
    assert "no user has the e-mail" in str(result.exception)
