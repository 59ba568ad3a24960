"""JSON lines files: one JSON object per line; rows are numbered by line."""

import json
from pathlib import Path
from typing import Any

from tenure.ingest.table import Problem, SourceRow, SourceTable


class _LineInvalid(ValueError):
    def __init__(self, value: object, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


def _parse_line(raw: bytes, *, offset: int) -> dict[str, Any]:
    """One line as a JSON object; `offset` is the line's first byte in the file."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _LineInvalid(
            None,
            f"invalid UTF-8 at byte offset {offset + exc.start}; "
            "save the file as UTF-8",
        ) from exc
    try:
        values = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _LineInvalid(
            line.strip(),
            f"the line is not valid JSON ({exc.msg} at character {exc.colno}); "
            "write one JSON object per line",
        ) from exc
    if not isinstance(values, dict):
        raise _LineInvalid(
            line.strip(), "the line is not a JSON object; write one object per line"
        )
    return values


def read_jsonl(path: Path, *, name: str | None = None) -> SourceTable:
    """Read a JSON lines file; blank lines are skipped; columns are all keys seen."""
    table = SourceTable(file=path.name, name=name or path.stem, columns=[])
    raw_data = path.read_bytes()
    data = raw_data.removeprefix(b"\xef\xbb\xbf")
    columns: dict[str, None] = {}
    offset = len(raw_data) - len(data)
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line_offset, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            values = _parse_line(raw, offset=line_offset)
        except _LineInvalid as exc:
            table.problems.append(
                Problem(path.name, number, None, exc.value, exc.reason)
            )
            continue
        columns.update(dict.fromkeys(values))
        table.rows.append(SourceRow(number, values))
    table.columns = list(columns)
    if not table.rows and not table.problems:
        table.problems.append(
            Problem(path.name, None, None, None, "the file has no rows; add rows")
        )
    return table
