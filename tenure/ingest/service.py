"""`import_path`: read, map, validate and load one import, and write its report."""

import csv
import json
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import structlog
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from tenure.accounts.assignment import (
    AssignmentReport,
    accounts_without_csm,
    assign_unassigned_accounts,
)
from tenure.accounts.errors import CapacityExhausted
from tenure.accounts.roster import active_csms, stored_user_emails
from tenure.activity.store import EVENT_SCHEMA, EventStore
from tenure.core.db import make_session_factory, transaction
from tenure.core.workspace import Workspace
from tenure.ingest.convert import canonical_table, mapped_tables
from tenure.ingest.errors import ImportRejected, StoreRefused, UnreadableSource
from tenure.ingest.load import LoadCounts, existing_ids, stored_parents, upsert_rows
from tenure.ingest.mapping import load_mapping
from tenure.ingest.schema import ENTITIES, EVENTS
from tenure.ingest.source import SourceCache, data_files, read_file
from tenure.ingest.table import EntityTable, Problem
from tenure.ingest.validate import TypedRow, Validation, validate_tables
from tenure.revenue.fx import MissingExchangeRate
from tenure.revenue.policy import MetricOptions
from tenure.revenue.service import arr_by_account

log = structlog.get_logger()

SHOWN_PROBLEMS = 20
# What an events import may write: the events and the contacts they name.
EVENT_IMPORT_ENTITIES = ("contacts", EVENTS)


class ProgressSink(Protocol):
    """Receives progress of long imports (the CLI draws a bar)."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass
class EntitySummary:
    entity: str
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """What an import read, wrote and refused, and where its report files are."""

    entities: list[EntitySummary]
    problems: list[Problem]
    warnings: list[Problem]
    report_dir: Path
    rejected_path: Path | None = None
    is_written: bool = False
    totals: dict[str, int] = field(default_factory=dict)
    # CSM assignment run after the accounts were loaded, and what it could not do.
    assignment: AssignmentReport | None = None
    notices: list[str] = field(default_factory=list)

    def summary(self, entity: str) -> EntitySummary:
        return next(item for item in self.entities if item.entity == entity)


def read_tables(path: Path, *, mapping_path: Path | None = None) -> list[EntityTable]:
    """The entity tables of an import path, through a mapping when one is given."""
    if mapping_path is not None:
        return mapped_tables(load_mapping(mapping_path), SourceCache(path))
    return [
        canonical_table(source)
        for file in data_files(path)
        for source in read_file(file)
    ]


def import_path(
    workspace: Workspace,
    path: Path,
    *,
    now: datetime,
    as_of: date | None = None,
    mapping_path: Path | None = None,
    skip_invalid: bool = False,
    progress: ProgressSink | None = None,
    entities: Collection[str] | None = None,
) -> ImportReport:
    """Import a file, a folder or a bundle; raise `ImportRejected` on bad rows
    unless `skip_invalid`, in which case the good rows are written. `entities`,
    when given, limits what the import may hold.

    Accounts without a CSM get one by the assignment rules as of `as_of` (the
    import's own date, default `now`'s), in the same transaction: when every
    CSM a rule could pick is at capacity, nothing is written.
    """
    started = time.perf_counter()
    tables = read_tables(path, mapping_path=mapping_path)
    if entities is not None:
        _check_entities(tables, allowed=entities)
    with make_session_factory(workspace.engine)() as session:
        validation = validate_tables(
            tables,
            known_ids=lambda entity, ids: existing_ids(session, entity, ids),
            known_parents=lambda: stored_parents(session),
            skip_invalid=skip_invalid,
            stored_emails=stored_user_emails(session),
        )
    report = _start_report(workspace, validation, now=now)
    _write_problems(report)
    if validation.problems and not skip_invalid:
        raise _rejection(report, validation)
    if validation.problems:
        report.rejected_path = _write_rejected(report.report_dir, validation)
    _write(
        workspace,
        validation,
        report,
        now=now,
        as_of=as_of or now.date(),
        progress=progress,
    )
    report.is_written = True
    _write_notices(report)
    log.info(
        "ingest.import_finished",
        rows=sum(item.read for item in report.entities),
        new=sum(item.new for item in report.entities),
        rejected=len(validation.problems),
        seconds=round(time.perf_counter() - started, 3),
    )
    return report


def _check_entities(tables: Sequence[EntityTable], *, allowed: Collection[str]) -> None:
    for table in tables:
        if table.entity not in allowed:
            raise UnreadableSource(
                f"{table.file}: holds {table.entity!r}, but this import takes only "
                f"{' and '.join(allowed)}; import it with `tenure import`"
            )


def _rejection(report: ImportReport, validation: Validation) -> ImportRejected:
    log.info(
        "ingest.import_rejected",
        problems=len(validation.problems),
        report=str(report.report_dir),
    )
    return ImportRejected(
        f"{len(validation.problems)} problem(s) found in the import, so nothing "
        f"was written; fix them or pass --skip-invalid (all problems: "
        f"{report.report_dir / 'problems.txt'})",
        problems=[problem.describe() for problem in validation.problems],
        report_path=str(report.report_dir / "problems.txt"),
    )


def _write(
    workspace: Workspace,
    validation: Validation,
    report: ImportReport,
    *,
    now: datetime,
    as_of: date,
    progress: ProgressSink | None,
) -> None:
    """Upsert the valid rows and assign CSMs in one transaction, then append the
    events.

    Events are appended before the store commits: if the commit fails, the
    events stay, and re-running the import skips them by message id.
    """
    try:
        with transaction(workspace.engine) as session:
            _load(session, validation, report, progress=progress)
            _assign_csms(session, report, workspace=workspace, as_of=as_of)
            _append_events(workspace, validation, report, now=now)
            if progress is not None:
                progress.advance(len(validation.valid_rows(EVENTS)))
    except (IntegrityError, DataError) as exc:
        # Validation should catch every such case; this keeps the promise that
        # nothing is written when one slips through.
        raise StoreRefused(
            "the store refused the import, so nothing was written: "
            f"{str(exc.orig).splitlines()[0]}; fix the rows it names and import "
            "again"
        ) from exc


def _start_report(
    workspace: Workspace, validation: Validation, *, now: datetime
) -> ImportReport:
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    folder = workspace.settings.home / "imports" / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = workspace.settings.home / "imports" / f"{stamp}-{suffix}"
    folder.mkdir(parents=True)
    entities = [
        EntitySummary(
            name,
            read=validation.read.get(name, 0),
            rejected=validation.rejected.get(name, 0),
        )
        for name in ENTITIES
        if name in validation.read
    ]
    return ImportReport(
        entities, validation.problems, validation.warnings, report_dir=folder
    )


def _write_problems(report: ImportReport) -> None:
    lines = [f"error: {problem.describe()}" for problem in report.problems]
    lines += [f"warning: {problem.describe()}" for problem in report.warnings]
    (report.report_dir / "problems.txt").write_text(
        "\n".join(lines) + ("\n" if lines else ""),
        encoding="utf-8",
        errors="backslashreplace",
    )


def _write_notices(report: ImportReport) -> None:
    if not report.notices:
        return
    problems = report.report_dir / "problems.txt"
    with problems.open("a", encoding="utf-8", errors="backslashreplace") as handle:
        handle.writelines(f"warning: {notice}\n" for notice in report.notices)


def _write_rejected(folder: Path, validation: Validation) -> Path:
    """One line per rejected row: where it was, why, and its source values."""
    reasons: dict[tuple[str, int | None], list[str]] = {}
    sources: dict[tuple[str, int | None], dict[str, Any]] = {}
    for problem in validation.problems:
        located = (problem.file, problem.row)
        column = f"{problem.column}: " if problem.column else ""
        reasons.setdefault(located, []).append(column + problem.reason)
    for rows in validation.rows.values():
        for typed in rows:
            sources[(typed.row.file, typed.row.number)] = typed.row.source
    path = folder / "rejected.csv"
    with path.open(
        "w", newline="", encoding="utf-8", errors="backslashreplace"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "reasons", "data"])
        for (file, row), texts in reasons.items():
            data = sources.get((file, row))
            writer.writerow(
                [
                    file,
                    "" if row is None else row,
                    "; ".join(texts),
                    "" if data is None else json.dumps(data, default=str),
                ]
            )
    return path


def _load(
    session: Session,
    validation: Validation,
    report: ImportReport,
    *,
    progress: ProgressSink | None,
) -> None:
    total = sum(len(validation.valid_rows(name)) for name in ENTITIES if name != EVENTS)
    if progress is not None:
        progress.start("loading", total)
    for summary in report.entities:
        if summary.entity == EVENTS:
            continue
        rows = [typed.values for typed in validation.valid_rows(summary.entity)]
        if summary.entity == "accounts":
            rows = [_without_blank_csm(row) for row in rows]
        counts = upsert_rows(
            session,
            ENTITIES[summary.entity],
            rows,
            on_progress=progress.advance if progress is not None else None,
        )
        _record(summary, counts)
        log.info(
            "ingest.entity_loaded",
            entity=summary.entity,
            new=counts.new,
            changed=counts.changed,
            unchanged=counts.unchanged,
        )


def _without_blank_csm(row: dict[str, Any]) -> dict[str, Any]:
    """An empty csm_id leaves the account's CSM as it is: a source that does not
    know who the CSM is must not undo an assignment made in Tenure."""
    if "csm_id" in row and row["csm_id"] is None:
        return {name: value for name, value in row.items() if name != "csm_id"}
    return row


def _assign_csms(
    session: Session, report: ImportReport, *, workspace: Workspace, as_of: date
) -> None:
    """Give loaded accounts without a CSM one, balancing by ARR on `as_of`."""
    if not any(item.entity == "accounts" for item in report.entities):
        return
    if not active_csms(session, on=as_of):
        _note_no_roster(session, report, as_of=as_of)
        return
    settings = workspace.settings
    options = MetricOptions(
        timezone=settings.timezone, reporting_currency=settings.reporting_currency
    )
    try:
        arr = arr_by_account(session, on=as_of, options=options)
    except MissingExchangeRate as exc:
        arr = {}
        report.notices.append(
            f"CSMs were assigned as if every account had ARR 0: {exc}"
        )
    try:
        assignment = assign_unassigned_accounts(
            session, as_of=as_of, arr_by_account=arr
        )
    except CapacityExhausted as exc:
        raise CapacityExhausted(f"the import was not written: {exc}") from exc
    report.assignment = assignment
    report.notices.extend(
        f"account {item.account_id!r} has no CSM: {item.reason}"
        for item in assignment.unassigned
    )


def _note_no_roster(session: Session, report: ImportReport, *, as_of: date) -> None:
    # TODO: accounts that arrive with a CSM while nobody is on the roster get
    # their history stretch only at the next `tenure assignment run`.
    missing = len(accounts_without_csm(session))
    if not missing:
        return
    report.notices.append(
        f"{missing} account(s) have no CSM because no CSM is on the roster on "
        f"{as_of}; add CSMs with `tenure users add` and run `tenure assignment run`"
    )
    log.warning(
        "ingest.accounts_left_unassigned",
        accounts=missing,
        reason="no CSM on the roster",
        as_of=as_of.isoformat(),
    )


def _record(summary: EntitySummary, counts: LoadCounts) -> None:
    summary.new, summary.changed, summary.unchanged = (
        counts.new,
        counts.changed,
        counts.unchanged,
    )


def _append_events(
    workspace: Workspace, validation: Validation, report: ImportReport, *, now: datetime
) -> None:
    rows = validation.valid_rows(EVENTS)
    if not rows:
        return
    store = EventStore(workspace.settings.event_store_path)
    written = store.append(_events_table(rows, received_at=now))
    summary = report.summary(EVENTS)
    # TODO: an event whose message id is already stored is kept as first
    # written — re-importing corrected event properties does not update them.
    _record(summary, LoadCounts(new=written, unchanged=len(rows) - written))


def _events_table(rows: Sequence[TypedRow], *, received_at: datetime) -> pa.Table:
    columns: dict[str, list[Any]] = {field.name: [] for field in EVENT_SCHEMA}
    for typed in rows:
        for name in columns:
            if name == "received_at":
                columns[name].append(received_at)
            else:
                columns[name].append(typed.values.get(name))
    return pa.Table.from_pydict(columns, schema=EVENT_SCHEMA)
