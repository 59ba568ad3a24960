import pytest
from sqlalchemy import inspect

from tenure.core.errors import ConfigurationError
from tenure.core.migrate import current_revision, head_revision
from tenure.core.models import Base
from tenure.core.workspace import init_workspace, open_workspace


def test_init_creates_every_table_at_the_newest_revision(workspace):
    tables = set(inspect(workspace.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(workspace.engine) == head_revision()


def test_init_twice_changes_nothing(workspace):
    again = init_workspace(workspace.settings)
    assert current_revision(again.engine) == head_revision()
    again.engine.dispose()


def test_open_refuses_a_folder_that_was_never_initialised(settings):
    with pytest.raises(ConfigurationError, match="tenure init"):
        open_workspace(settings)


def test_migrations_match_the_models(workspace):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
