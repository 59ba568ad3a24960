"""Finding and reading the files of an import, whatever their format."""

from pathlib import Path

from tenure.ingest.bundle_reader import BUNDLE_SUFFIXES, read_bundle
from tenure.ingest.csv_reader import read_csv
from tenure.ingest.errors import InvalidMapping, UnreadableSource
from tenure.ingest.jsonl_reader import read_jsonl
from tenure.ingest.parquet_reader import read_parquet
from tenure.ingest.table import SourceTable

TABLE_SUFFIXES = {
    ".csv": read_csv,
    ".csv.gz": read_csv,
    ".tsv": read_csv,
    ".tsv.gz": read_csv,
    ".parquet": read_parquet,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
DATA_SUFFIXES = (*TABLE_SUFFIXES, *BUNDLE_SUFFIXES)


def read_file(path: Path) -> list[SourceTable]:
    """A table file gives one table; a bundle gives one per top-level key."""
    suffix = data_suffix(path)
    if suffix in BUNDLE_SUFFIXES:
        return read_bundle(path)
    reader = TABLE_SUFFIXES.get(suffix)
    if reader is None:
        raise UnreadableSource(
            f"{path.name}: unsupported file type {suffix or '(none)'!r}; use CSV, "
            "Parquet, JSON lines or a YAML/JSON bundle"
        )
    return [reader(path)]


def data_suffix(path: Path) -> str:
    """The suffix that tells a file's format, counting `.gz` with the one before."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz":
        return "".join(suffixes[-2:])
    return suffixes[-1] if suffixes else ""


def data_files(path: Path) -> list[Path]:
    """The data files of an import path: the file itself or a folder's data files."""
    if not path.exists():
        raise UnreadableSource(f"{path} does not exist; check the path")
    if path.is_file():
        return [path]
    files = sorted(
        child
        for child in path.iterdir()
        if child.is_file() and data_suffix(child) in DATA_SUFFIXES
    )
    if not files:
        raise UnreadableSource(
            f"{path} holds no data files; add CSV, Parquet, JSON lines or bundle files"
        )
    return files


class SourceCache:
    """Reads each file of a mapped import once, resolving names against the folder."""

    def __init__(self, root: Path) -> None:
        self.folder = root if root.is_dir() else root.parent
        self._tables: dict[str, SourceTable] = {}

    def table(self, name: str, *, key: str) -> SourceTable:
        """The table `name` (`file.csv` or `bundle.yaml#table`); `key` names it."""
        if name not in self._tables:
            file_name, _, table_name = name.partition("#")
            path = self.folder / file_name
            if not path.is_file():
                raise InvalidMapping(
                    f"mapping key {key}: file {file_name!r} is not in {self.folder}; "
                    "check the file name"
                )
            for table in read_file(path):
                label = f"{file_name}#{table.name}" if table_name else file_name
                self._tables.setdefault(label, table)
            if name not in self._tables:
                raise InvalidMapping(
                    f"mapping key {key}: bundle {file_name!r} has no table "
                    f"{table_name!r}; check the table name"
                )
        return self._tables[name]
