"""Bundles: one YAML or JSON file holding several tables as lists of objects."""

import json
from pathlib import Path
from typing import Any

import yaml

from tenure.ingest.errors import UnreadableSource
from tenure.ingest.strict_yaml import load_yaml
from tenure.ingest.table import Problem, SourceRow, SourceTable

BUNDLE_SUFFIXES = (".yaml", ".yml", ".json")


def _parse(path: Path) -> object:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableSource(
            f"{path.name}: invalid UTF-8 at byte offset {exc.start}; "
            "save the file as UTF-8"
        ) from exc
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableSource(
                f"{path.name}, line {exc.lineno}: the file is not valid JSON "
                f"({exc.msg}); fix the syntax"
            ) from exc
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or "syntax error"
        raise UnreadableSource(
            f"{path.name}{where}: the file is not valid YAML ({reason}); fix the syntax"
        ) from exc


def read_bundle(path: Path) -> list[SourceTable]:
    """One source table per top-level key; items are numbered from 1."""
    document = _parse(path)
    if not isinstance(document, dict):
        raise UnreadableSource(
            f"{path.name}: a bundle must map table names to lists of rows, "
            f"for example `accounts: [...]`"
        )
    return [_read_table(path, str(name), items) for name, items in document.items()]


def _read_table(path: Path, name: str, items: Any) -> SourceTable:
    file = f"{path.name}#{name}"
    table = SourceTable(file=file, name=name, columns=[])
    if not isinstance(items, list):
        table.problems.append(
            Problem(
                file,
                None,
                None,
                None,
                f"table {name!r} is a {type(items).__name__}, not a list of rows; "
                "write it as a list of objects",
            )
        )
        return table
    columns: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            table.problems.append(
                Problem(
                    file,
                    number,
                    None,
                    item,
                    "the item is not an object; write each row as field: value pairs",
                )
            )
            continue
        values = {str(key): value for key, value in item.items()}
        columns.update(dict.fromkeys(values))
        table.rows.append(SourceRow(number, values))
    table.columns = list(columns)
    return table
