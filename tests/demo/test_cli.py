"""`tenure demo` and `tenure demo generate` from the command line."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tenure.cli.main import app

runner = CliRunner()


def test_generate_writes_the_folder_and_reports_counts(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "--home", str(tmp_path / "home"), "demo", "generate", str(out_dir),
            "--accounts", "25", "--months", "6", "--seed", "4",
            "--end-on", "2025-03-31",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote demo data to {out_dir}" in result.output
    assert "accounts" in result.output and "25" in result.output
    assert (out_dir / "events.parquet").is_file()
    assert "end_on=2025-03-31" in (out_dir / "README.txt").read_text()


def test_bare_demo_runs_the_pipeline_and_prints_the_summary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = runner.invoke(
        app,
        [
            "--home",
            str(home),
            "demo",
            "--no-serve",
            "--accounts",
            "40",
            "--months",
            "12",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (home / "demo-data" / "accounts.csv").is_file()
    assert "(0 rejected)" in result.output
    assert "Customer-success metrics, last four quarters" in result.output
    for label in ("NRR", "GRR", "Gross churn", "Logo churn", "NPS", "ARR per CSM"):
        assert label in result.output


def test_a_bad_end_date_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "generate", str(tmp_path), "--end-on", "2026-13-01"]
    )
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_zero_accounts_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "generate", str(tmp_path), "--accounts", "0"])
    assert result.exit_code == 2


def test_an_output_file_gives_one_error_line(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "tenure.cli.main", "demo", "generate", str(taken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {taken} is a file, not a folder; choose another output folder"
    ]


def test_help_lists_demo() -> None:
    result = runner.invoke(app, ["--help"])
    assert "demo" in result.output
