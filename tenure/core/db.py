"""Database engine, sessions and the declarative base of the operational store."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from tenure.core.errors import ConfigurationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_PASSWORD = re.compile(r"(//[^:/@]*:)[^@]*@")


def shown_url(url: str) -> str:
    """The URL as it may appear in a message or a log: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD.sub(r"\1***@", url)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases and memory."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get their folder and enforced foreign keys."""
    given = url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        in_memory = make_url(url).database in (None, "", ":memory:")
        # The web server answers up to 40 requests at once (its thread pool);
        # each may hold a connection, so the pool matches rather than making
        # requests time out waiting for one.
        pooled = {} if in_memory else {"pool_size": 10, "max_overflow": 30}
        engine = create_engine(url, **pooled)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(
            f"the database URL {shown_url(given)} is not supported; use "
            "postgresql://USER:PASSWORD@HOST/DATABASE, or leave "
            "TENURE_DATABASE_URL unset for a SQLite file in the home folder"
        ) from exc
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on any error."""
    with make_session_factory(engine)() as session, session.begin():
        yield session
