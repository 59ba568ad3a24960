"""A workspace: the home folder and the database Tenure works in."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from tenure.core.db import make_engine, shown_url, sqlite_file
from tenure.core.errors import ConfigurationError
from tenure.core.migrate import current_revision, head_revision, upgrade_database
from tenure.core.settings import Settings

log = structlog.get_logger()

_T = TypeVar("_T")


@dataclass(frozen=True)
class Workspace:
    settings: Settings
    engine: Engine


def init_workspace(settings: Settings) -> Workspace:
    """Create the home folder and the database, or upgrade them to this version."""
    _create_home(settings.home)
    url = settings.resolved_database_url
    engine = make_engine(url)
    before = _with_database(settings, engine, current_revision)
    after = _with_database(settings, engine, upgrade_database)
    log.info("core.workspace_initialised", revision_before=before, revision=after)
    return Workspace(settings, engine)


def open_workspace(settings: Settings) -> Workspace:
    """Open an initialised workspace, refusing one that is missing or outdated.

    A missing SQLite workspace is reported without creating any folder or file.
    """
    _check_home_is_folder(settings.home)
    database_file = sqlite_file(settings.resolved_database_url)
    if database_file is not None and not database_file.is_file():
        raise _missing_workspace(settings)
    engine = make_engine(settings.resolved_database_url)
    revision = _with_database(settings, engine, current_revision)
    if revision != head_revision():
        engine.dispose()
    if revision is None:
        raise _missing_workspace(settings)
    if revision != head_revision():
        raise ConfigurationError(
            f"the workspace at {settings.home} is at revision {revision}; "
            "run `tenure init` to upgrade it"
        )
    return Workspace(settings, engine)


def _missing_workspace(settings: Settings) -> ConfigurationError:
    return ConfigurationError(
        f"no Tenure workspace at {settings.home}; run `tenure init` first "
        "or pass --home with the right folder"
    )


def _check_home_is_folder(home: Path) -> None:
    for folder in (home, *home.parents):
        if folder.exists() and not folder.is_dir():
            where = "is a file" if folder == home else f"is under the file {folder}"
            raise ConfigurationError(
                f"the home {home} {where}, not a folder; pass --home with a folder"
            )


def _create_home(home: Path) -> None:
    _check_home_is_folder(home)
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create the home folder {home} ({exc.strerror}); pass --home "
            "with a folder you may write to"
        ) from exc


def _with_database(
    settings: Settings, engine: Engine, step: Callable[[Engine], _T]
) -> _T:
    """Run one step on the database, turning a refusal into a sentence."""
    try:
        return step(engine)
    except (DatabaseError, OSError) as exc:
        engine.dispose()
        raise _database_refused(settings, exc) from exc


def _database_refused(
    settings: Settings, exc: DatabaseError | OSError
) -> ConfigurationError:
    url = settings.resolved_database_url
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    database_file = sqlite_file(url)
    if database_file is None:
        return ConfigurationError(
            f"cannot use the database at {shown_url(url)} ({reason}); check that "
            "the server runs, the URL is right and the user may connect"
        )
    if isinstance(exc, OperationalError) or not database_file.is_file():
        return ConfigurationError(
            f"cannot open or create {database_file} in the home {settings.home} "
            f"({reason}); pass --home with a folder you may write to"
        )
    return ConfigurationError(
        f"{database_file} in the home {settings.home} is not a readable Tenure "
        f"database ({reason}); restore it from a backup, or move it away and "
        "run `tenure init`"
    )
