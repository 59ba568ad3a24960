"""Turning source tables into canonical entity tables, with or without a mapping."""

import json
import re
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tenure.core.errors import InvalidInput
from tenure.core.money import minor_digits, to_minor_units
from tenure.ingest.errors import InvalidMapping
from tenure.ingest.mapping import MappingFile, TableMapping, ValueSpec
from tenure.ingest.rules import check_pick, first_rows, pick_by_hash, pick_lists
from tenure.ingest.schema import ENTITIES
from tenure.ingest.source import SourceCache
from tenure.ingest.table import (
    EntityRow,
    EntityTable,
    PlanHistory,
    Problem,
    SourceTable,
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class CellError(Exception):
    """A source cell that a mapping conversion cannot handle."""

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason


def canonical_table(source: SourceTable) -> EntityTable:
    """A table already in canonical form: the file (or bundle key) names the entity."""
    table = EntityTable(entity=source.name, file=source.file)
    table.problems.extend(source.problems)
    spec = ENTITIES.get(source.name)
    if spec is None:
        table.problems.append(
            Problem(
                source.file,
                None,
                None,
                source.name,
                f"{source.name!r} is not an entity; name the file after one of "
                f"{', '.join(ENTITIES)} or import it with a mapping",
            )
        )
        return table
    for column in source.columns:
        if spec.field(column) is None:
            table.problems.append(
                Problem(
                    source.file,
                    1,
                    column,
                    None,
                    f"{spec.name} has no field {column!r}; the column is ignored",
                    is_warning=True,
                )
            )
    known = [column for column in source.columns if spec.field(column) is not None]
    table.fields = known
    table.rows = [
        EntityRow(
            source.file,
            row.number,
            {column: row.values.get(column) for column in known},
            row.values,
        )
        for row in source.rows
    ]
    return table


def mapped_tables(mapping: MappingFile, cache: SourceCache) -> list[EntityTable]:
    """Apply every table of a mapping to its source file."""
    return [
        _map_table(table, cache, key=f"tables[{index}]")
        for index, table in enumerate(mapping.tables)
    ]


def _map_table(mapping: TableMapping, cache: SourceCache, *, key: str) -> EntityTable:
    source = cache.table(mapping.file, key=f"{key}.file")
    specs = mapping.value_specs()
    _check_columns(mapping, specs, source, cache, key=key)
    lookups = _lookup_indexes(specs, cache, key=key)
    picks = pick_lists(specs, cache, key=key)
    firsts = first_rows(
        specs, source, is_kept=lambda values: _matches(values, mapping.where)
    )
    table = EntityTable(
        entity=mapping.entity,
        file=source.file,
        origins={name: spec.column for name, spec in specs.items() if spec.column},
        plan_history=_plan_history(mapping),
        fields=list(specs),
        is_mapped=True,
    )
    table.problems.extend(source.problems)
    seen: set[tuple[Any, ...]] = set()
    key_fields = ENTITIES[mapping.entity].key
    for row in source.rows:
        if not _matches(row.values, mapping.where):
            continue
        values, problems = _map_row(specs, row.values, lookups, picks)
        for name, numbers in firsts.items():
            if row.number in numbers:
                first_value = specs[name].first_in_group
                assert first_value is not None
                values[name] = first_value.value
        table.problems.extend(
            Problem(source.file, row.number, error.column, error.value, error.reason)
            for error in problems
        )
        if mapping.distinct:
            identity = tuple(values.get(name) for name in key_fields)
            if identity in seen:
                continue
            seen.add(identity)
        table.rows.append(EntityRow(source.file, row.number, values, row.values))
    return table


def _plan_history(mapping: TableMapping) -> PlanHistory | None:
    spec = mapping.plan_history
    if spec is None:
        return None
    return PlanHistory(
        group_by=spec.group_by,
        order_by=spec.order_by,
        end_field=spec.end,
        when={name: _as_list(value) for name, value in spec.when.items()},
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _matches(values: dict[str, Any], condition: dict[str, str | list[str]]) -> bool:
    return all(
        _text(values.get(column)) in _as_list(allowed)
        for column, allowed in condition.items()
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _referenced_columns(spec: ValueSpec) -> list[tuple[str, str]]:
    """(column, key suffix) pairs a value spec reads from its own table."""
    found: list[tuple[str, str]] = []
    if spec.column:
        found.append((spec.column, "column"))
    if spec.template:
        found.extend((name, "template") for name in _PLACEHOLDER.findall(spec.template))
    if spec.times:
        found.append((spec.times, "times"))
    if spec.choose:
        found.append((spec.choose.by, "choose.by"))
        found.extend(
            (column, f"choose.cases.{case}")
            for case, column in spec.choose.cases.items()
        )
    if spec.first_in_group:
        found.append((spec.first_in_group.group_by, "first_in_group.group_by"))
        found.append((spec.first_in_group.order_by, "first_in_group.order_by"))
    for name, inner in (spec.object_fields or {}).items():
        inner_spec = inner if isinstance(inner, ValueSpec) else ValueSpec(column=inner)
        found.extend(
            (column, f"object.{name}.{suffix}")
            for column, suffix in _referenced_columns(inner_spec)
        )
    return found


def _check_columns(
    mapping: TableMapping,
    specs: dict[str, ValueSpec],
    source: SourceTable,
    cache: SourceCache,
    *,
    key: str,
) -> None:
    available = set(source.columns)
    if not source.rows and not available:
        return
    wanted = [(column, f"where.{column}") for column in mapping.where]
    for name, spec in specs.items():
        wanted.extend(
            (column, f"columns.{name}.{suffix}")
            for column, suffix in _referenced_columns(spec)
        )
    for column, suffix in wanted:
        if column not in available:
            raise InvalidMapping(
                f"mapping key {key}.{suffix}: {source.file} has no column "
                f"{column!r}; its columns are {', '.join(source.columns)}"
            )
    for name, spec in specs.items():
        if spec.pick_by_hash is not None:
            check_pick(spec.pick_by_hash, cache, key=f"{key}.columns.{name}")
        if spec.lookup is None:
            continue
        other = cache.table(spec.lookup.file, key=f"{key}.columns.{name}.lookup.file")
        for option in ("key", "value"):
            column = getattr(spec.lookup, option)
            if column not in other.columns:
                raise InvalidMapping(
                    f"mapping key {key}.columns.{name}.lookup.{option}: "
                    f"{other.file} has no column {column!r}"
                )


def _lookup_indexes(
    specs: dict[str, ValueSpec], cache: SourceCache, *, key: str
) -> dict[str, dict[str, Any]]:
    indexes: dict[str, dict[str, Any]] = {}
    for name, spec in specs.items():
        if spec.pick_by_hash is not None:
            check_pick(spec.pick_by_hash, cache, key=f"{key}.columns.{name}")
        if spec.lookup is None:
            continue
        other = cache.table(spec.lookup.file, key=f"{key}.columns.{name}.lookup.file")
        indexes[name] = {
            _text(row.values.get(spec.lookup.key)): row.values.get(spec.lookup.value)
            for row in other.rows
        }
    return indexes


def _map_row(
    specs: dict[str, ValueSpec],
    values: dict[str, Any],
    lookups: dict[str, dict[str, Any]],
    picks: dict[str, list[str]],
) -> tuple[dict[str, Any], list[CellError]]:
    mapped: dict[str, Any] = {}
    errors: list[CellError] = []
    # The currency comes first so that amounts can be converted to its minor unit.
    for name in sorted(specs, key=lambda field: field != "currency"):
        try:
            mapped[name] = evaluate(
                specs[name],
                values,
                field=name,
                currency=mapped.get("currency"),
                lookup=lookups.get(name),
                choices=picks.get(name),
            )
        except CellError as error:
            errors.append(error)
            mapped[name] = None
    return mapped, errors


def evaluate(
    spec: ValueSpec,
    values: dict[str, Any],
    *,
    field: str,
    currency: object = None,
    lookup: dict[str, Any] | None = None,
    choices: Sequence[str] | None = None,
) -> Any:
    """The value of one canonical field for one source row."""
    column = spec.column or field
    value = _source_value(spec, values, field=field)
    if isinstance(value, str) and value.strip() == "":
        return None
    if value is None:
        return None
    if lookup is not None and spec.lookup is not None:
        if _text(value) not in lookup:
            raise CellError(
                column,
                value,
                f"no row of {spec.lookup.file} has {spec.lookup.key} = "
                f"{_text(value)!r}; fix the reference",
            )
        value = lookup[_text(value)]
    if choices:
        value = pick_by_hash(value, choices)
    if spec.times is not None:
        value = _times(value, values.get(spec.times), column=column, by=spec.times)
    return _convert(spec, value, column=column, currency=currency)


def _times(value: Any, factor: Any, *, column: str, by: str) -> Decimal:
    """The value multiplied by the number in column `by` of the same row."""
    try:
        number = Decimal(_text(value).strip())
    except InvalidOperation as exc:
        raise CellError(
            column, value, "the amount is not a number; write digits such as 12.50"
        ) from exc
    try:
        return number * Decimal(_text(factor).strip())
    except InvalidOperation as exc:
        raise CellError(
            by,
            factor,
            f"the value multiplying {column} is not a number; write a count such as 12",
        ) from exc


def _source_value(spec: ValueSpec, values: dict[str, Any], *, field: str) -> Any:
    if spec.column:
        return values.get(spec.column)
    if "constant" in spec.model_fields_set:
        return spec.constant
    if spec.template:
        return _PLACEHOLDER.sub(
            lambda match: _text(values.get(match.group(1))), spec.template
        )
    if spec.choose:
        chosen = _text(values.get(spec.choose.by))
        source_column = spec.choose.cases.get(chosen)
        if source_column is None:
            raise CellError(
                spec.choose.by,
                chosen,
                f"no case for this value in the mapping of {field}; expected one of "
                f"{', '.join(spec.choose.cases)}",
            )
        return values.get(source_column)
    properties: dict[str, Any] = {}
    for name, inner in (spec.object_fields or {}).items():
        inner_spec = inner if isinstance(inner, ValueSpec) else ValueSpec(column=inner)
        properties[name] = evaluate(inner_spec, values, field=name)
    return json.dumps(properties, sort_keys=True, default=str)


def _convert(spec: ValueSpec, value: Any, *, column: str, currency: object) -> Any:
    if spec.values is not None:
        if _text(value) not in spec.values:
            raise CellError(
                column,
                value,
                f"the value is not in the mapping's value map; expected one of "
                f"{', '.join(spec.values)}",
            )
        value = spec.values[_text(value)]
    if spec.boolean is not None:
        value = _to_boolean(spec, value, column=column)
    if spec.date_format is not None and isinstance(value, str):
        try:
            value = datetime.strptime(value.strip(), spec.date_format).date()
        except ValueError as exc:
            raise CellError(
                column,
                value,
                f"the date does not match the format {spec.date_format!r}",
            ) from exc
    if spec.to_cents:
        value = _to_cents(value, column=column, currency=currency)
    if spec.as_type is not None:
        value = _cast(value, spec.as_type, column=column)
    return value


def _to_boolean(spec: ValueSpec, value: Any, *, column: str) -> bool:
    assert spec.boolean is not None
    text = _text(value).strip().lower()
    if text in (word.lower() for word in spec.boolean.true):
        return True
    if text in (word.lower() for word in spec.boolean.false):
        return False
    raise CellError(
        column,
        value,
        f"not a boolean; expected one of "
        f"{', '.join(spec.boolean.true + spec.boolean.false)}",
    )


def _to_cents(value: Any, *, column: str, currency: object) -> int:
    code = currency if isinstance(currency, str) else "USD"
    code = code.strip().upper()
    try:
        minor_digits(code)
        return to_minor_units(value, code)
    except InvalidInput as exc:
        raise CellError(
            column, value, "the amount is not a number; write digits such as 12.50"
        ) from exc


def _cast(value: Any, as_type: str, *, column: str) -> Any:
    if as_type == "text":
        return _text(value)
    if as_type == "boolean":
        return _text(value).strip().lower() in ("true", "1", "yes")
    try:
        number = Decimal(_text(value).strip())
    except InvalidOperation as exc:
        raise CellError(
            column, value, f"the value is not a number ({as_type})"
        ) from exc
    if as_type == "integer":
        if number != number.to_integral_value():
            raise CellError(column, value, "the value is not a whole number")
        return int(number)
    return float(number)
