"""JSON lines files: one JSON object per line; rows are numbered by line."""

import json
from pathlib import Path

from tenure.ingest.table import Problem, SourceRow, SourceTable


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
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            table.problems.append(
                Problem(
                    path.name,
                    number,
                    None,
                    None,
                    f"invalid UTF-8 at byte offset {line_offset + exc.start}; "
                    "save the file as UTF-8",
                )
            )
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            table.problems.append(
                Problem(
                    path.name,
                    number,
                    None,
                    line.strip(),
                    f"the line is not valid JSON ({exc.msg} at character "
                    f"{exc.colno}); write one JSON object per line",
                )
            )
            continue
        if not isinstance(values, dict):
            table.problems.append(
                Problem(
                    path.name,
                    number,
                    None,
                    line.strip(),
                    "the line is not a JSON object; write one object per line",
                )
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
