import pytest

from tests.cli.process import run_tenure


def test_init_then_init_again_reports_the_workspace(tmp_path):
    first = run_tenure("--home", str(tmp_path / "h"), "init")
    second = run_tenure("--home", str(tmp_path / "h"), "init")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "h" / "tenure.db").exists()


def test_invalid_setting_prints_one_error_line_and_exits_1(tmp_path, monkeypatch):
    import os

    env = {
        **os.environ,
        "TENURE_TIMEZONE": "Mars/Olympus",
        "TENURE_HOME": str(tmp_path),
    }
    result = run_tenure("init", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: setting TENURE_TIMEZONE is invalid: unknown time zone "
        "'Mars/Olympus'; use an IANA name such as 'UTC' or 'Europe/Berlin'"
    ]


@pytest.mark.parametrize("args", [["bogus"], ["init", "--nope"]])
def test_usage_errors_exit_2(args):
    assert run_tenure(*args).returncode == 2


def test_help_lists_the_commands():
    result = run_tenure("--help")
    assert result.returncode == 0
    assert "init" in result.stdout
