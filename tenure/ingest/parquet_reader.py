"""Parquet files: typed columns are kept and checked against the canonical types."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tenure.ingest.table import Problem, SourceRow, SourceTable


def read_parquet(path: Path, *, name: str | None = None) -> SourceTable:
    """Read a Parquet file; data row numbers start at 2, as for a CSV with a header."""
    table = SourceTable(file=path.name, name=name or path.stem, columns=[])
    try:
        arrow: pa.Table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        table.problems.append(
            Problem(
                path.name,
                None,
                None,
                None,
                f"the file is not readable Parquet ({exc}); re-export it",
            )
        )
        return table
    table.columns = list(arrow.column_names)
    for index, values in enumerate(arrow.to_pylist()):
        table.rows.append(SourceRow(index + 2, values))
    if not table.rows:
        table.problems.append(
            Problem(
                path.name,
                2,
                None,
                None,
                "the file has columns but no data rows; add rows or remove the file",
            )
        )
    return table
