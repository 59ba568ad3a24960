"""Validation of a whole import before anything is written."""

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenure.ingest.cell import CellInvalid, coerce, is_blank
from tenure.ingest.schema import ENTITIES, EntitySpec
from tenure.ingest.table import EntityRow, EntityTable, PlanHistory, Problem
from tenure.ingest.users import check_users

# Dates outside these are typing slips, and break every metric computed over them.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
# Amounts in minor units (cents); ten trillion in a major unit is far beyond any
# contract and keeps sums well inside 64 bits.
MAX_CENTS = 10**15
_OPEN_ENDED = {
    "contract_lines": "open-ended line",
    "discounts": "open-ended discount",
    "pauses": "open-ended pause",
}

# entity, candidate ids -> the ids among them that the store already holds
KnownIds = Callable[[str, set[str]], set[str]]
KnownParents = Callable[[], dict[str, str]]


@dataclass
class TypedRow:
    """A row with typed canonical values; `problems` empty means it may be written."""

    table: EntityTable
    row: EntityRow
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def reject(self, field_name: str | None, value: object, reason: str) -> None:
        column = self.table.column_of(field_name) if field_name else None
        self.problems.append(
            Problem(self.row.file, self.row.number, column, value, reason)
        )


@dataclass
class Validation:
    """Valid rows per entity, every problem, and the rows read per entity."""

    rows: dict[str, list[TypedRow]]
    problems: list[Problem]
    warnings: list[Problem]
    read: dict[str, int]
    rejected: dict[str, int]

    def valid_rows(self, entity: str) -> list[TypedRow]:
        return [row for row in self.rows.get(entity, []) if row.is_valid]


def validate_tables(
    tables: Iterable[EntityTable],
    *,
    known_ids: KnownIds,
    known_parents: KnownParents = dict,
    skip_invalid: bool,
    stored_emails: Mapping[str, str] | None = None,
) -> Validation:
    """Type every cell, then check spans, duplicates and references across tables.

    `stored_emails` maps the store's user e-mails (without case) to user ids.
    """
    rows: dict[str, list[TypedRow]] = defaultdict(list)
    file_problems: list[Problem] = []
    warnings: list[Problem] = []
    read: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = defaultdict(int)
    for table in tables:
        warnings.extend(problem for problem in table.problems if problem.is_warning)
        errors = [problem for problem in table.problems if not problem.is_warning]
        # A file that feeds several tables reports its read problems once.
        file_problems.extend(
            problem for problem in errors if problem not in file_problems
        )
        unreadable = {problem.row for problem in errors if problem.row is not None}
        unreadable -= {row.number for row in table.rows}
        read[table.entity] += len(table.rows) + len(unreadable)
        rejected[table.entity] += len(unreadable)
        spec = ENTITIES.get(table.entity)
        if spec is not None:
            rows[spec.name].extend(_type_table(spec, table, file_problems))
    for spec in ENTITIES.values():
        entity_rows = rows.get(spec.name, [])
        _apply_plan_histories(entity_rows)
        _check_spans(spec, entity_rows)
        _check_duplicates(spec, entity_rows)
    check_users(rows.get("users", []), stored_emails=stored_emails or {})
    _check_parent_cycles(rows.get("accounts", []), known_parents)
    _check_references(rows, known_ids=known_ids, skip_invalid=skip_invalid)
    problems = list(file_problems)
    for entity, entity_rows in rows.items():
        bad = [row for row in entity_rows if not row.is_valid]
        rejected[entity] += len(bad)
        problems.extend(problem for row in bad for problem in row.problems)
    return Validation(dict(rows), problems, warnings, dict(read), dict(rejected))


def _type_table(
    spec: EntitySpec, table: EntityTable, file_problems: list[Problem]
) -> list[TypedRow]:
    missing = [
        field_spec.name
        for field_spec in spec.fields
        if field_spec.is_required and field_spec.name not in table.fields
    ]
    if not table.rows:
        return []
    for name in missing:
        reason = (
            f"the mapping gives no value for the required field {name}; add it "
            "under columns"
            if table.is_mapped
            else f"the required column {name} is missing; add it to the header"
        )
        file_problems.append(Problem(table.file, 1, name, None, reason))
    typed_rows = [_type_row(spec, table, row) for row in table.rows]
    if missing:
        for typed in typed_rows:
            typed.reject(None, None, "the file lacks required columns")
    return typed_rows


def _type_row(spec: EntitySpec, table: EntityTable, row: EntityRow) -> TypedRow:
    typed = TypedRow(table, row, {})
    for name, value in row.values.items():
        field_spec = spec.field(name)
        if field_spec is None:
            continue
        if is_blank(value):
            typed.values[name] = None
            if field_spec.is_required:
                typed.reject(name, None, f"{name} is required; fill it in")
            continue
        try:
            typed.values[name] = coerce(field_spec, value)
        except CellInvalid as exc:
            typed.reject(name, value, str(exc))
            continue
        _check_store_limits(spec, typed, name, value)
        _check_calendar_range(spec, typed, name, value)
        _check_amount(typed, name, value)
    return typed


def _check_calendar_range(
    spec: EntitySpec, typed: TypedRow, name: str, value: Any
) -> None:
    """Dates and instants outside the years Tenure computes with are refused."""
    typed_value = typed.values[name]
    if isinstance(typed_value, datetime):
        day = typed_value.date()
    elif isinstance(typed_value, date):
        day = typed_value
    else:
        return
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return
    reason = (
        f"{name} is outside {EARLIEST_DAY.isoformat()}..{LATEST_DAY.isoformat()}, "
        "the dates Tenure accepts; correct the year"
    )
    if name == "ends_on":
        what = _OPEN_ENDED.get(spec.name, "open-ended row")
        reason += f", or leave the cell empty for an {what}"
    typed.reject(name, value, reason)


def _check_amount(typed: TypedRow, name: str, value: Any) -> None:
    amount = typed.values[name]
    if name.endswith("_cents") and isinstance(amount, int) and amount > MAX_CENTS:
        typed.reject(
            name,
            value,
            f"{name} is above the largest amount Tenure accepts ({MAX_CENTS:,} "
            "minor units); check that the column holds cents, not a larger unit",
        )


def _check_store_limits(
    spec: EntitySpec, typed: TypedRow, name: str, value: Any
) -> None:
    typed_value = typed.values[name]
    largest = spec.max_values.get(name)
    if largest is not None and abs(typed_value) > largest:
        typed.reject(
            name, value, f"{name} is larger than the store can hold ({largest:,})"
        )
    places = spec.decimal_places.get(name)
    if places is not None and _decimals(typed_value) > places:
        typed.reject(name, value, f"{name} has more than {places} decimals; round it")
    limit = spec.max_lengths.get(name)
    if limit is not None and len(str(typed_value)) > limit:
        typed.reject(
            name,
            value,
            f"{name} has {len(str(typed.values[name])):,} characters, more than "
            f"the {limit:,} it can hold; shorten it",
        )


def _decimals(value: Any) -> int:
    exponent = Decimal(value).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _apply_plan_histories(rows: list[TypedRow]) -> None:
    groups: dict[tuple[int, Any], list[TypedRow]] = defaultdict(list)
    for typed in rows:
        history = typed.table.plan_history
        if history is None or not typed.is_valid or not _in_history(typed, history):
            continue
        groups[(id(history), typed.values.get(history.group_by))].append(typed)
    for members in groups.values():
        history = members[0].table.plan_history
        assert history is not None
        ordered = sorted(
            members,
            key=lambda typed: (typed.values.get(history.order_by), typed.row.number),
        )
        for current, following in itertools.pairwise(ordered):
            next_start = following.values.get(history.order_by)
            own_end = current.values.get(history.end_field)
            if own_end is None or next_start < own_end:
                current.values[history.end_field] = next_start


def _in_history(typed: TypedRow, history: PlanHistory) -> bool:
    """Rows without an ordering value keep their own dates."""
    if typed.values.get(history.order_by) is None:
        return False
    return all(
        _as_text(typed.values.get(name)) in allowed
        for name, allowed in history.when.items()
    )


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def _check_spans(spec: EntitySpec, rows: list[TypedRow]) -> None:
    for start_name, end_name in spec.spans:
        for typed in rows:
            start = typed.values.get(start_name)
            end = typed.values.get(end_name)
            if typed.is_valid and _before(end, start):
                typed.reject(
                    end_name,
                    _iso(end),
                    f"{end_name} is before {start_name} ({_iso(start)}); "
                    "swap or correct the dates",
                )


def _before(end: object, start: object) -> bool:
    if isinstance(end, date | datetime) and isinstance(start, type(end)):
        return end < start
    return False


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _check_duplicates(spec: EntitySpec, rows: list[TypedRow]) -> None:
    """Ids (and other unique fields such as a user's e-mail) appear once."""
    for fields in (spec.key, *((name,) for name in spec.unique_fields)):
        first_seen: dict[tuple[Any, ...], TypedRow] = {}
        for typed in rows:
            key = tuple(typed.values.get(name) for name in fields)
            if not typed.is_valid or None in key:
                continue
            earlier = first_seen.setdefault(key, typed)
            if earlier is not typed:
                shown = ", ".join(_iso(part) for part in key)
                typed.reject(
                    fields[0],
                    shown,
                    f"duplicate {'/'.join(fields)} {shown}: also in "
                    f"{earlier.row.file} row {earlier.row.number}; keep one of them",
                )


def _check_parent_cycles(accounts: list[TypedRow], known_parents: KnownParents) -> None:
    """An account may not be its own parent, directly or through other accounts,
    whether those are in this import or already in the store."""
    if not any(typed.values.get("parent_id") for typed in accounts):
        return
    parents: dict[Any, Any] = dict(known_parents())
    parents.update(
        (typed.values.get("id"), typed.values.get("parent_id"))
        for typed in accounts
        if typed.is_valid and "parent_id" in typed.values
    )
    for typed in accounts:
        account_id = typed.values.get("id")
        parent_id = typed.values.get("parent_id")
        if not typed.is_valid or parent_id is None:
            continue
        if parent_id == account_id:
            typed.reject(
                "parent_id",
                parent_id,
                f"account {account_id!r} names itself as its parent; clear "
                "parent_id or name another account",
            )
            continue
        trail = _parent_trail(parents, account_id)
        if trail:
            typed.reject(
                "parent_id",
                parent_id,
                f"the parents of account {account_id!r} form a cycle "
                f"({' -> '.join(trail)}); clear parent_id on one of them",
            )


def _parent_trail(parents: dict[Any, Any], start: Any) -> list[str]:
    """The ids from `start` back to itself when its parents loop, else empty."""
    trail = [start]
    current = parents.get(start)
    while current is not None and current not in trail:
        trail.append(current)
        current = parents.get(current)
    return [*trail, start] if current == start else []


def _check_references(
    rows: dict[str, list[TypedRow]], *, known_ids: KnownIds, skip_invalid: bool
) -> None:
    for spec in ENTITIES.values():
        entity_rows = rows.get(spec.name, [])
        references = [field_spec for field_spec in spec.fields if field_spec.references]
        changed = True
        while changed:
            changed = False
            for field_spec in references:
                assert field_spec.references is not None
                changed |= _check_reference(
                    entity_rows,
                    field_spec.name,
                    target=field_spec.references,
                    target_rows=rows.get(field_spec.references, []),
                    known_ids=known_ids,
                    skip_invalid=skip_invalid,
                )
            changed &= any(
                field_spec.references == spec.name for field_spec in references
            )


def _check_reference(
    entity_rows: list[TypedRow],
    name: str,
    *,
    target: str,
    target_rows: list[TypedRow],
    known_ids: KnownIds,
    skip_invalid: bool,
) -> bool:
    valid_ids = {typed.values.get("id") for typed in target_rows if typed.is_valid}
    rejected_ids = {
        typed.values.get("id"): typed for typed in target_rows if not typed.is_valid
    }
    wanted = {
        typed.values[name]
        for typed in entity_rows
        if typed.is_valid and typed.values.get(name) is not None
    }
    outside = wanted - valid_ids - set(rejected_ids)
    in_store = known_ids(target, outside) if outside else set()
    changed = False
    singular = target.removesuffix("s")
    for typed in entity_rows:
        value = typed.values.get(name)
        if not typed.is_valid or value is None or value in valid_ids:
            continue
        if value in rejected_ids:
            if skip_invalid:
                origin = rejected_ids[value].row
                typed.reject(
                    name,
                    value,
                    f"it refers to {singular} {value!r} in {origin.file} row "
                    f"{origin.number}, which was rejected",
                )
                changed = True
            continue
        if value not in in_store:
            typed.reject(
                name,
                value,
                f"unknown {singular} {value!r}: it is neither in the store nor in "
                "this import; import it too or correct the id",
            )
            changed = True
    return changed
