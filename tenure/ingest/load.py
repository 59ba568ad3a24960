"""Writing validated rows: upsert on the source ids inside the caller's transaction."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert, select, tuple_, update
from sqlalchemy.orm import Session

from tenure.core.models import Base
from tenure.ingest.schema import EntitySpec

_CHUNK = 500


@dataclass
class LoadCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


def store_table(spec: EntitySpec) -> Table:
    return Base.metadata.tables[spec.name]


def existing_ids(session: Session, entity: str, ids: set[str]) -> set[str]:
    """The ids among `ids` that rows of `entity` already have in the store."""
    table = Base.metadata.tables[entity]
    found: set[str] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found


def stored_parents(session: Session) -> dict[str, str]:
    """Each stored account that has a parent, with that parent's id."""
    accounts = Base.metadata.tables["accounts"]
    rows = session.execute(
        select(accounts.c.id, accounts.c.parent_id).where(
            accounts.c.parent_id.is_not(None)
        )
    )
    return {account_id: parent_id for account_id, parent_id in rows}


def upsert_rows(
    session: Session,
    spec: EntitySpec,
    rows: Sequence[dict[str, Any]],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> LoadCounts:
    """Insert new rows and update changed ones; only the fields given are compared."""
    table = store_table(spec)
    stored = _stored_rows(session, table, spec.key, rows)
    counts = LoadCounts()
    inserts: list[dict[str, Any]] = []
    for row in _parents_first(spec, rows):
        values = _with_defaults(table, row)
        key = tuple(values[name] for name in spec.key)
        current = stored.get(_normal_key(key))
        if current is None:
            inserts.append(row)
            counts.new += 1
            continue
        changes = {
            name: value
            for name, value in values.items()
            if not _same(value, current.get(name))
        }
        if not changes:
            counts.unchanged += 1
            continue
        condition = [table.c[name] == values[name] for name in spec.key]
        session.execute(update(table).where(*condition).values(**changes))
        counts.changed += 1
    # One column set for every new row keeps them in one ordered batch, so a
    # parent account is inserted before its children.
    names = {name for row in inserts for name in row}
    batch = [_with_defaults(table, dict.fromkeys(names) | row) for row in inserts]
    for start in range(0, len(batch), _CHUNK):
        session.execute(insert(table), batch[start : start + _CHUNK])
        if on_progress is not None:
            on_progress(len(batch[start : start + _CHUNK]))
    return counts


def _stored_rows(
    session: Session,
    table: Table,
    key: tuple[str, ...],
    rows: Sequence[dict[str, Any]],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    columns = [table.c[name] for name in key]
    wanted = [tuple(row[name] for name in key) for row in rows]
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        condition = (
            columns[0].in_([part[0] for part in chunk])
            if len(columns) == 1
            else tuple_(*columns).in_(chunk)
        )
        for record in session.execute(select(table).where(condition)).mappings():
            found[_normal_key(tuple(record[name] for name in key))] = dict(record)
    return found


def _normal_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_normal(part) for part in key)


def _normal(value: Any) -> Any:
    """A comparable form: naive datetimes from SQLite are UTC; numbers as Decimal."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _same(new: Any, stored: Any) -> bool:
    return bool(_normal(new) == _normal(stored))


def _with_defaults(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Blank cells in columns that cannot be null take the column's default."""
    values = dict(row)
    for name, value in row.items():
        column = table.c[name]
        if value is None and not column.nullable and column.default is not None:
            values[name] = getattr(column.default, "arg", None)
    return values


def _parents_first(
    spec: EntitySpec, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Order rows so that a row referring to its own entity follows its parent."""
    if spec.name != "accounts":
        return list(rows)
    by_id = {row["id"]: row for row in rows}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(row: dict[str, Any], trail: frozenset[str]) -> None:
        if row["id"] in placed:
            return
        parent = by_id.get(row.get("parent_id"))
        if parent is not None and parent["id"] not in trail:
            place(parent, trail | {row["id"]})
        placed.add(row["id"])
        ordered.append(row)

    for row in rows:
        place(row, frozenset())
    return ordered
