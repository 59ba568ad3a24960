"""A workspace: the home folder and the database Tenure works in."""

from dataclasses import dataclass

import structlog
from sqlalchemy import Engine

from tenure.core.db import make_engine
from tenure.core.errors import ConfigurationError
from tenure.core.migrate import current_revision, head_revision, upgrade_database
from tenure.core.settings import Settings

log = structlog.get_logger()


@dataclass(frozen=True)
class Workspace:
    settings: Settings
    engine: Engine


def init_workspace(settings: Settings) -> Workspace:
    """Create the home folder and the database, or upgrade them to this version."""
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    before = current_revision(engine)
    after = upgrade_database(engine)
    log.info("core.workspace_initialised", revision_before=before, revision=after)
    return Workspace(settings, engine)


def open_workspace(settings: Settings) -> Workspace:
    """Open an initialised workspace, refusing one that is missing or outdated."""
    engine = make_engine(settings.resolved_database_url)
    revision = current_revision(engine)
    if revision != head_revision():
        engine.dispose()
    if revision is None:
        raise ConfigurationError(
            f"no Tenure workspace at {settings.home}; run `tenure init` first "
            "or pass --home with the right folder"
        )
    if revision != head_revision():
        raise ConfigurationError(
            f"the workspace at {settings.home} is at revision {revision}; "
            "run `tenure init` to upgrade it"
        )
    return Workspace(settings, engine)
