"""The tiny benchmark scale, generated once per test session."""

from pathlib import Path

import pytest

from benchmarks.generate import ensure_data
from benchmarks.scales import SCALES


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("benchmarks")
    ensure_data(root, SCALES["tiny"])
    return root


@pytest.fixture(scope="session")
def tiny(data_root: Path) -> Path:
    return data_root / "tiny"
