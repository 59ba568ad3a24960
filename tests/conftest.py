"""Shared fixtures: a fresh operational store on every database under test."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tenure.core.db import make_engine
from tenure.core.logging import configure_logging
from tenure.core.settings import Settings
from tenure.core.workspace import Workspace, init_workspace

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_DATA = SHARED / "data"
SHARED_CASES = SHARED / "cases"

configure_logging(level="WARNING")

POSTGRES_URL = os.environ.get("TENURE_TEST_DATABASE_URL")
STORE_BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public data sets beside the checkout; CI always has them."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"public data folder {SHARED_DATA} is missing")
    return SHARED_DATA


def _postgres_schema_url(schema: str) -> str:
    assert POSTGRES_URL is not None
    url = make_url(POSTGRES_URL)
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=STORE_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tenure.db'}"
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=database_url)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    """An initialised workspace on every store backend."""
    ws = init_workspace(settings)
    yield ws
    ws.engine.dispose()


@pytest.fixture
def engine(workspace: Workspace) -> Engine:
    return workspace.engine
