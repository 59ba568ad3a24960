"""The column-mapping file: how the tables of an arbitrary export become entities.

See `docs/mappings.md` for the format with an example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tenure.ingest.errors import InvalidMapping
from tenure.ingest.schema import ENTITIES
from tenure.ingest.strict_yaml import load_yaml

Condition = dict[str, str | list[str]]
Scalar = str | int | float | bool | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Choice(_Strict):
    """Take the value from one of several columns, chosen by another column."""

    by: str
    cases: dict[str, str]


class Lookup(_Strict):
    """Replace the value by a column of the matching row in another file."""

    file: str
    key: str
    value: str


class FirstInGroup(_Strict):
    """The first row of each group, ordered by a column, takes a fixed value."""

    group_by: str
    order_by: str
    value: str | int | float | bool


class PickByHash(_Strict):
    """Replace the value by one of the sorted distinct values of a column in
    another file, chosen by a stable hash of the value (SHA-256, first 8 bytes as
    a number, modulo how many values there are)."""

    file: str
    column: str


class BooleanWords(_Strict):
    """The source words meaning true and false (compared without case)."""

    true: list[str]
    false: list[str]

    @model_validator(mode="before")
    @classmethod
    def _yaml_boolean_keys(cls, data: Any) -> Any:
        # YAML reads the bare keys `true:` and `false:` as booleans.
        if isinstance(data, dict):
            return {
                str(key).lower() if isinstance(key, bool) else key: value
                for key, value in data.items()
            }
        return data


class ValueSpec(_Strict):
    """Where one canonical field comes from and how its value is converted."""

    column: str | None = None
    constant: Scalar = None
    template: str | None = None
    choose: Choice | None = None
    object_fields: dict[str, ValueSpec | str] | None = Field(None, alias="object")
    lookup: Lookup | None = None
    pick_by_hash: PickByHash | None = None
    first_in_group: FirstInGroup | None = None
    values: dict[str, Scalar] | None = None
    boolean: BooleanWords | None = None
    date_format: str | None = None
    # A column whose number multiplies the value (a per-seat price by its seats).
    times: str | None = None
    to_cents: bool = False
    as_type: Literal["text", "integer", "number", "boolean"] | None = Field(
        None, alias="as"
    )

    @model_validator(mode="after")
    def _one_source(self) -> ValueSpec:
        sources = [
            name
            for name in ("column", "constant", "template", "choose", "object_fields")
            if name in self.model_fields_set
        ]
        if len(sources) != 1:
            raise ValueError(
                "give exactly one of column, constant, template, choose or object"
                + (f" (found {', '.join(sources)})" if sources else "")
            )
        return self


class PlanHistorySpec(_Strict):
    """Each row of a group ends where the group's next row (by `order_by`) starts."""

    group_by: str = "account_id"
    order_by: str = "starts_on"
    end: str = "ends_on"
    when: Condition = Field(default_factory=dict)


class TableMapping(_Strict):
    """One source file (or bundle table) read as one entity."""

    entity: str
    file: str
    where: Condition = Field(default_factory=dict)
    columns: dict[str, ValueSpec | str]
    distinct: bool = False
    plan_history: PlanHistorySpec | None = None

    def value_specs(self) -> dict[str, ValueSpec]:
        return {
            name: spec if isinstance(spec, ValueSpec) else ValueSpec(column=spec)
            for name, spec in self.columns.items()
        }


class MappingFile(_Strict):
    version: Literal[1] = 1
    tables: list[TableMapping]


def _key_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("ValueSpec", "str") or "[" in part:
            continue
        else:
            name = "object" if part == "object_fields" else part
            path += ("." if path else "") + name
    return path or "(top level)"


def parse_mapping(document: Any, *, source: str) -> MappingFile:
    """Validate a parsed mapping document, naming the first bad key."""
    try:
        mapping = MappingFile.model_validate(document)
    except ValidationError as exc:
        errors = exc.errors()
        first = min(errors, key=lambda error: len(error["loc"]))
        if first["type"] == "union_tag_invalid" or len(errors) > 1:
            first = _most_specific(errors)
        message = _FRIENDLY.get(first["type"], first["msg"])
        raise InvalidMapping(
            f"mapping {source}, key {_key_path(first['loc'])}: "
            f"{message.removeprefix('Value error, ')}"
        ) from exc
    for index, table in enumerate(mapping.tables):
        _check_fields(table, key=f"tables[{index}]", source=source)
    return mapping


_FRIENDLY = {
    "missing": "this key is required",
    "extra_forbidden": "unknown key; check its spelling against docs/mappings.md",
}


def _check_fields(table: TableMapping, *, key: str, source: str) -> None:
    spec = ENTITIES.get(table.entity)
    if spec is None:
        raise InvalidMapping(
            f"mapping {source}, key {key}.entity: unknown entity {table.entity!r}; "
            f"use one of {', '.join(ENTITIES)}"
        )
    for name in table.columns:
        if spec.field(name) is None:
            raise InvalidMapping(
                f"mapping {source}, key {key}.columns.{name}: {table.entity} has no "
                f"field {name!r}; use one of {', '.join(spec.field_names)}"
            )
    history = table.plan_history
    if history is None:
        return
    for option in ("group_by", "order_by", "end"):
        name = getattr(history, option)
        if spec.field(name) is None:
            raise InvalidMapping(
                f"mapping {source}, key {key}.plan_history.{option}: {name!r} is not "
                f"a field of {table.entity}"
            )


def _most_specific(errors: list[Any]) -> Any:
    """Among union alternatives prefer the one that explains a mapping object."""
    preferred = [error for error in errors if "ValueSpec" in error["loc"]]
    pool = preferred or errors
    return max(pool, key=lambda error: len(error["loc"]))


def load_mapping(path: Path) -> MappingFile:
    """Read and validate a mapping file (YAML)."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InvalidMapping(
            f"mapping file {path} cannot be read ({exc.strerror}); check the path"
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise InvalidMapping(
            f"mapping {path.name}{where}: not valid YAML "
            f"({getattr(exc, 'problem', None) or exc}); fix the syntax"
        ) from exc
    return parse_mapping(document, source=path.name)
