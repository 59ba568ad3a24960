"""CSV files: any common delimiter (sniffed), UTF-8 with or without BOM, CRLF,
quoted newlines, optionally gzip-compressed (`.csv.gz`); invalid UTF-8 is
reported with its row and byte offset (in the uncompressed text)."""

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from tenure.ingest.table import Problem, SourceRow, SourceTable

_DELIMITERS = (",", ";", "\t", "|")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Large enough that an oversized cell reaches validation, which names it.
_FIELD_LIMIT = 16 * 1024 * 1024


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter that splits the header into the most columns."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _invalid_byte_offsets(data: bytes) -> list[int]:
    offsets: list[int] = []
    position = 0
    while True:
        try:
            data[position:].decode("utf-8")
            return offsets
        except UnicodeDecodeError as exc:
            offsets.extend(range(position + exc.start, position + exc.end))
            position += exc.end


def _has_escaped_bytes(text: str) -> int:
    """How many undecodable bytes (escaped as surrogates) the text holds."""
    return sum(1 for char in text if "\udc80" <= char <= "\udcff")


def _is_other_encoding(data: bytes, first_line: str) -> bool:
    """UTF-16 (with or without a byte-order mark) or a header with invalid UTF-8."""
    return (
        data.startswith(_UTF16_BOMS)
        or b"\x00" in data[:4096]
        or _has_escaped_bytes(first_line) > 0
    )


def table_stem(path: Path) -> str:
    """The name of a file without its data suffixes: `events.csv.gz` → `events`."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return Path(name).stem


def _read_bytes(path: Path) -> bytes:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


def read_csv(path: Path, *, name: str | None = None) -> SourceTable:
    """Read a CSV file into a source table; rows are numbered as a spreadsheet shows."""
    # TODO: the file is read whole into memory — a file larger than the memory
    # available fails to import; split it into several files.
    table = SourceTable(file=path.name, name=name or table_stem(path), columns=[])
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error) as exc:
        table.problems.append(
            Problem(
                path.name,
                None,
                None,
                None,
                f"the file is not valid gzip ({exc}); compress it again or unzip it",
            )
        )
        return table
    if not data.strip(_BOM + b" \r\n\t"):
        table.problems.append(
            Problem(path.name, None, None, None, "the file is empty; add a header row")
        )
        return table
    offset = len(_BOM) if data.startswith(_BOM) else 0
    bad_offsets = _invalid_byte_offsets(data[offset:])
    text = data[offset:].decode("utf-8", errors="surrogateescape")
    first_line = text.split("\n", 1)[0]
    if _is_other_encoding(data, first_line):
        table.problems.append(
            Problem(
                path.name,
                None,
                None,
                None,
                "the file is not UTF-8 text (its header cannot be read, as with "
                "UTF-16 or Latin-1); save it as UTF-8 (CSV UTF-8 in a spreadsheet)",
            )
        )
        return table
    csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=sniff_delimiter(first_line),
        strict=True,
    )
    records: list[list[str]] = []
    record_starts_on = 1
    try:
        for record in reader:
            records.append(record)
            record_starts_on = reader.line_num + 1
    except csv.Error as exc:
        table.problems.append(
            Problem(
                path.name,
                record_starts_on,
                None,
                None,
                f"the CSV cannot be parsed from this line on ({exc}); close the "
                "quote opened there or remove the stray quote",
            )
        )
        return table
    _fill_table(table, records, bad_offsets=[o + offset for o in bad_offsets])
    return table


def _fill_table(
    table: SourceTable, records: list[list[str]], *, bad_offsets: list[int]
) -> None:
    header = [cell.strip() for cell in records[0]]
    table.columns = header
    if not _header_is_usable(table, header):
        return
    pending_offsets = iter(bad_offsets)
    for index, cells in enumerate(records):
        number = index + 1
        has_bad_bytes = _report_bad_bytes(table, header, number, cells, pending_offsets)
        # Spreadsheets often save trailing rows with empty cells only.
        if index == 0 or has_bad_bytes or not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            table.problems.append(
                Problem(
                    table.file,
                    number,
                    None,
                    None,
                    f"the row has {len(cells)} fields but the header has "
                    f"{len(header)}; check the delimiter and quoting",
                )
            )
            continue
        table.rows.append(SourceRow(number, dict(zip(header, cells, strict=True))))
    if len(records) == 1:
        table.problems.append(
            Problem(
                table.file,
                2,
                None,
                None,
                "the file has a header but no data rows, so nothing is imported "
                "from it",
                is_warning=True,
            )
        )


def _header_is_usable(table: SourceTable, header: list[str]) -> bool:
    repeated = sorted({name for name in header if header.count(name) > 1})
    for name in repeated:
        table.problems.append(
            Problem(
                table.file,
                1,
                name,
                None,
                f"the column {name} appears {header.count(name)} times in the "
                "header; keep one",
            )
        )
    return not repeated


def _report_bad_bytes(
    table: SourceTable,
    header: list[str],
    number: int,
    cells: list[str],
    pending_offsets: Iterator[int],
) -> bool:
    """Report each cell holding invalid UTF-8 with the offset of its first bad byte."""
    has_bad_bytes = False
    for position, cell in enumerate(cells):
        count = _has_escaped_bytes(cell)
        if not count:
            continue
        has_bad_bytes = True
        offsets = [next(pending_offsets, -1) for _ in range(count)]
        table.problems.append(
            Problem(
                table.file,
                number,
                header[position] if position < len(header) else None,
                None,
                f"invalid UTF-8 at byte offset {offsets[0]}; save the file as UTF-8",
            )
        )
    return has_bad_bytes
