"""Streamed writers: CSV row by row, events as one Parquet row group per chunk."""

import csv
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

EVENT_SCHEMA = pa.schema(
    [
        pa.field("message_id", pa.string(), nullable=False),
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("contact_id", pa.string()),
        pa.field("name", pa.string(), nullable=False),
        pa.field("occurred_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("properties", pa.string()),
    ]
)


def format_value(value: object) -> str:
    """A canonical cell: empty for null, `true`/`false`, ISO dates and instants."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | int | str):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a canonical file")


class CsvSink:
    """One canonical CSV file, written row by row."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = tuple(columns)
        self.rows = 0
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(self.columns)

    def write(self, row: Sequence[object]) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"{self.path.name}: row has {len(row)} cells")
        self._writer.writerow([format_value(value) for value in row])
        self.rows += 1

    def close(self) -> None:
        self._file.close()


class EventSink:
    """`events.parquet`: each account's events become a compact Arrow batch at once;
    a chunk of batches is written as one row group."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._writer = pq.ParquetWriter(path, EVENT_SCHEMA, compression="zstd")
        self._batches: list[pa.RecordBatch] = []

    def extend(self, columns: dict[str, list[object]]) -> None:
        if columns["message_id"]:
            self._batches.append(pa.record_batch(columns, schema=EVENT_SCHEMA))

    def flush(self) -> None:
        if not self._batches:
            return
        table = pa.Table.from_batches(self._batches, schema=EVENT_SCHEMA)
        self._batches = []
        self._writer.write_table(table, row_group_size=table.num_rows)
        self.rows += table.num_rows

    def close(self) -> None:
        self.flush()
        self._writer.close()
