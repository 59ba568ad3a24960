"""Run the `tenure` command in a child process, as a user would."""

import os
import subprocess
import sys
from collections.abc import Mapping


def run_tenure(
    *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `tenure ARGS` with the given environment, or this one minus Tenure's
    own workspace settings (so a developer's TENURE_HOME never leaks in)."""
    if env is None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("TENURE_HOME", "TENURE_DATABASE_URL")
        }
    return subprocess.run(
        [sys.executable, "-m", "tenure.cli.main", *args],
        capture_output=True,
        text=True,
        env=dict(env),
        check=False,
    )
