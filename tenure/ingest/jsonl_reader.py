"""JSON lines files: one JSON object per line; rows are numbered by line."""

import json
from pathlib import Path

from tenure.ingest.table import Problem, SourceRow, SourceTable


def read_jsonl(path: Path, *, name: str | None = None) -> SourceTable:
    """Read a JSON lines file; blank lines are skipped; columns are all keys seen."""
    table = SourceTable(file=path.name, name=name or path.stem, columns=[])
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    columns: dict[str, None] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = sum(len(part) + 1 for part in data.split(b"\n")[: number - 1])
            table.problems.append(
                Problem(
                    path.name,
                    number,
                    None,
                    None,
                    f"invalid UTF-8 at byte offset {offset + exc.start}; "
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
