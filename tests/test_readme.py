"""The README's two commands are the way in; CI must run the same test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.DOTALL)


def test_readme_opens_with_a_demo_command_and_a_test_command():
    first, second = _readme_commands()[:2]
    assert first.endswith("tenure demo")
    assert "pytest" in second
    assert "-c constraints.txt" in first and "-c constraints.txt" in second


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()
