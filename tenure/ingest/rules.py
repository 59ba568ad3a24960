"""Mapping rules that look beyond one row: `pick_by_hash` and `first_in_group`."""

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from tenure.ingest.errors import InvalidMapping
from tenure.ingest.mapping import PickByHash, ValueSpec
from tenure.ingest.source import SourceCache
from tenure.ingest.table import SourceTable


def _text(value: object) -> str:
    return "" if value is None else str(value)


def check_pick(pick: PickByHash, cache: SourceCache, *, key: str) -> None:
    other = cache.table(pick.file, key=f"{key}.pick_by_hash.file")
    if pick.column not in other.columns:
        raise InvalidMapping(
            f"mapping key {key}.pick_by_hash.column: {other.file} has no column "
            f"{pick.column!r}"
        )
    if not _choices(other, pick.column):
        raise InvalidMapping(
            f"mapping key {key}.pick_by_hash: column {pick.column!r} of "
            f"{other.file} has no values to pick from"
        )


def _choices(table: SourceTable, column: str) -> list[str]:
    return sorted({_text(row.values.get(column)) for row in table.rows} - {""})


def pick_lists(
    specs: dict[str, ValueSpec], cache: SourceCache, *, key: str
) -> dict[str, list[str]]:
    return {
        name: _choices(
            cache.table(spec.pick_by_hash.file, key=f"{key}.columns.{name}"),
            spec.pick_by_hash.column,
        )
        for name, spec in specs.items()
        if spec.pick_by_hash is not None
    }


def pick_by_hash(value: object, choices: Sequence[str]) -> str:
    """The choice for a value: SHA-256 of its text, first 8 bytes, modulo."""
    digest = hashlib.sha256(_text(value).encode("utf-8")).digest()
    return choices[int.from_bytes(digest[:8], "big") % len(choices)]


def first_rows(
    specs: dict[str, ValueSpec],
    source: SourceTable,
    *,
    is_kept: Callable[[dict[str, Any]], bool],
) -> dict[str, set[int]]:
    """For each field with `first_in_group`, the numbers of the rows kept by
    the table's `where` that come first in their group (ties keep file order)."""
    firsts: dict[str, set[int]] = {}
    for name, spec in specs.items():
        rule = spec.first_in_group
        if rule is None:
            continue
        first_of: dict[str, tuple[str, int]] = {}
        for row in source.rows:
            if not is_kept(row.values):
                continue
            group = _text(row.values.get(rule.group_by))
            order = _text(row.values.get(rule.order_by))
            if group not in first_of or order < first_of[group][0]:
                first_of[group] = (order, row.number)
        firsts[name] = {number for _order, number in first_of.values()}
    return firsts
