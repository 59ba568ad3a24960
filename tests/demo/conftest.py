"""Demo companies generated once per test session and shared by the demo tests."""

from datetime import date

import pytest

from tenure.demo.generator import GeneratedCompany, generate_company

END_ON = date(2026, 11, 30)
SEED = 11


@pytest.fixture(scope="session")
def company(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCompany:
    """1,000 accounts over 24 months: the size the realism checks need."""
    out_dir = tmp_path_factory.mktemp("demo") / "company"
    return generate_company(
        out_dir, accounts=1_000, months=24, seed=SEED, end_on=END_ON
    )
