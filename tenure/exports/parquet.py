"""`tenure export --format parquet`: every table the metrics read, as Parquet.

The export holds the operational tables the metric suite loads (under
`store/`), the metric input tables the revenue engine derives from them
(under `inputs/`: ARR segments, renewal records with outcomes, costs in the
reporting currency, survey responses with their local date, ...) and a
`manifest.json` naming every file, its row count, and the options the inputs
were derived with. The Spark engine reads it from any path Spark can read.
"""

import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, inspect

from tenure.core.errors import InvalidInput
from tenure.core.time import Period
from tenure.metrics.inputs import INPUT_SCHEMAS, MetricInputs
from tenure.metrics.store import StoreContents
from tenure.revenue.policy import MetricOptions

MANIFEST = "manifest.json"
FORMAT = "tenure-metric-inputs"
FORMAT_VERSION = 1
# Options that change the input tables themselves; the others only change how
# the definitions read them, so any value works on an export.
INPUT_OPTIONS = (
    "timezone",
    "reporting_currency",
    "pause_policy",
    "discount_policy",
    "churn_date",
    "grace_days",
    "late_renewal",
    "renewal_source",
    "as_of",
)


class ExportError(InvalidInput):
    """An export that cannot be written or read."""


def _arrow_type(column: Any) -> pa.DataType:
    kind = column.type
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, DateTime):
        return pa.timestamp("us", tz="UTC" if kind.timezone else None)
    if isinstance(kind, Date):
        return pa.date32()
    if isinstance(kind, Numeric):
        # Exact decimals travel as text; a float would round money and rates.
        return pa.string()
    return pa.string()


def _plain(value: Any, arrow_type: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_string(arrow_type) and not isinstance(value, str):
        return json.dumps(value) if isinstance(value, dict | list) else str(value)
    return value


def store_table(rows: Sequence[Any], model: type) -> pa.Table:
    """ORM rows of one model as an Arrow table with the model's columns."""
    columns: list[Any] = list(inspect(model).columns)
    schema = pa.schema([(c.key, _arrow_type(c)) for c in columns])
    data = [
        {c.key: _plain(getattr(row, c.key), schema.field(c.key).type) for c in columns}
        for row in rows
    ]
    return pa.Table.from_pylist(data, schema=schema)


# TODO: product events are not exported — no registered metric reads them yet;
# a usage-based metric on Spark would need the event store in the export.
def _store_models() -> dict[str, type]:
    from tenure.accounts.assignment_models import CsmAssignment
    from tenure.accounts.models import Account, User
    from tenure.revenue.models import (
        AcquiredAccountCount,
        Cancellation,
        ContractLine,
        Cost,
        Discount,
        ExchangeRate,
        Pause,
        Renewal,
    )
    from tenure.surveys.models import SurveyResponse

    return {
        "lines": ContractLine,
        "discounts": Discount,
        "pauses": Pause,
        "cancellations": Cancellation,
        "renewals": Renewal,
        "rates": ExchangeRate,
        "costs": Cost,
        "accounts": Account,
        "users": User,
        "responses": SurveyResponse,
        "acquired": AcquiredAccountCount,
        "assignments": CsmAssignment,
    }


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    directory: Path
    tables: dict[str, int]


def _check_target(directory: Path, *, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(
            f"{directory} is a file, not a directory; choose a directory to export to"
        )
    if not directory.is_dir() or not any(directory.iterdir()):
        return
    if not force:
        raise ExportError(
            f"directory {directory} is not empty; choose an empty or new directory, "
            "or pass --force to replace an earlier export in it"
        )
    if not (directory / "manifest.json").is_file():
        raise ExportError(
            f"directory {directory} holds files but no earlier export (no "
            "manifest.json), so --force will not replace it; choose an empty or new "
            "directory"
        )


def _check_apart(directory: Path, home: Path | None) -> None:
    """The export never lands in, around or inside the workspace it reads."""
    if home is None:
        return
    target, workspace = directory.resolve(), home.resolve()
    if (
        target == workspace
        or workspace in target.parents
        or target in workspace.parents
    ):
        raise ExportError(
            f"cannot export to {directory}: it overlaps the workspace {home}; "
            "choose a directory outside the workspace"
        )


def export_parquet(
    contents: StoreContents,
    inputs: MetricInputs,
    options: MetricOptions,
    directory: Path,
    *,
    force: bool = False,
    workspace_home: Path | None = None,
) -> ExportSummary:
    """Write the store and metric input tables as Parquet with a manifest.

    Everything is written to a new directory beside the target first and
    moved into place at the end, so a failed export leaves nothing behind.
    """
    directory = directory.expanduser()
    _check_apart(directory, workspace_home)
    _check_target(directory, force=force)
    parent = directory.resolve().parent
    if not parent.is_dir():
        raise ExportError(
            f"cannot export to {directory}: its parent directory {parent} does not "
            "exist; create it first"
        )
    staging = Path(tempfile.mkdtemp(prefix=".tenure-export-", dir=parent))
    try:
        counts: dict[str, int] = {}
        files: list[dict[str, Any]] = []
        models = _store_models()
        for name, model in models.items():
            table = store_table(getattr(contents, name), model)
            files.append(_write(staging, "store", name, table))
            counts[f"store/{name}"] = table.num_rows
        for name in INPUT_SCHEMAS:
            table = inputs.tables[name]
            files.append(_write(staging, "inputs", name, table))
            counts[f"inputs/{name}"] = table.num_rows
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "options": {key: asdict(options)[key] for key in INPUT_OPTIONS},
            "renewal_window": {
                "start": inputs.renewal_window.start.isoformat(),
                "end": inputs.renewal_window.end.isoformat(),
            },
            "tables": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ExportSummary(directory, counts)


def _write(root: Path, group: str, name: str, table: pa.Table) -> dict[str, Any]:
    folder = root / group
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    return {
        "name": name,
        "group": group,
        "path": f"{group}/{name}.parquet",
        "rows": table.num_rows,
        "columns": [
            {"name": field.name, "type": str(field.type)} for field in table.schema
        ],
    }


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest: input files, options and the renewal records' window."""

    options: dict[str, Any]
    renewal_window: Period
    paths: dict[str, str]

    def check_options(self, options: MetricOptions, where: str) -> None:
        """Refuse options that would need different input tables."""
        wanted = asdict(options)
        for key in INPUT_OPTIONS:
            if key in self.options and self.options[key] != wanted[key]:
                raise ExportError(
                    f"the export at {where} was made with {key}="
                    f"{self.options[key]} but this run asks for {key}={wanted[key]}; "
                    f"export again with --option {key}={wanted[key]} or drop the option"
                )


def parse_manifest(text: str, where: str) -> Manifest:
    """The manifest of an export, or one sentence on what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{where}/{MANIFEST} is not JSON (line {exc.lineno}); export again"
        ) from exc
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise ExportError(
            f"{where}/{MANIFEST} is not a Tenure metric export; point --from at a "
            "directory written by `tenure export --format parquet`"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"{where}/{MANIFEST} has format version {data.get('format_version')}, "
            f"this Tenure reads version {FORMAT_VERSION}; export again"
        )
    window = data["renewal_window"]
    start, end = date.fromisoformat(window["start"]), date.fromisoformat(window["end"])
    paths = {
        entry["name"]: entry["path"]
        for entry in data["tables"]
        if entry["group"] == "inputs"
    }
    missing = sorted(set(INPUT_SCHEMAS) - set(paths))
    if missing:
        raise ExportError(
            f"{where}/{MANIFEST} lists no file for input table {missing[0]}; "
            "export again"
        )
    label = f"{start}..{date.fromordinal(end.toordinal() - 1)}"
    return Manifest(dict(data["options"]), Period(start, end, label), paths)
