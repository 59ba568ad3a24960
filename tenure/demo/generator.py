"""Write a seeded demo company as a folder of canonical import files."""

import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import structlog

from tenure.core.errors import InvalidInput
from tenure.demo.activity import simulate_events
from tenure.demo.contract import Contracts, simulate_contracts
from tenure.demo.engagement import simulate_engagement
from tenure.demo.people import draw_contacts
from tenure.demo.profile import Profile, draw_profile
from tenure.demo.roster import CostLedger, Roster, build_roster
from tenure.demo.timeline import Window
from tenure.demo.writer import CsvSink, EventSink

log = structlog.get_logger()

DEFAULT_ACCOUNTS = 500
DEFAULT_MONTHS = 24
DEFAULT_SEED = 11
DEFAULT_END_ON = date(2026, 11, 30)
# Accounts whose events are buffered before they are written as one row group.
EVENT_CHUNK_ACCOUNTS = 1_000
MAX_MONTHS = 120
SUBSIDIARY_RATE = 0.03
PARENT_CANDIDATES = 200

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": (
        "id", "email", "name", "role", "fte", "joined_on", "left_on",
        "capacity_accounts", "capacity_arr_cents",
    ),
    "accounts": (
        "id", "name", "billing_id", "crm_id", "segment", "industry", "country",
        "plan", "created_on", "onboarding_stage", "csm_id", "parent_id",
    ),
    "contacts": ("id", "account_id", "email", "name", "role", "created_on"),
    "contract_lines": (
        "id", "account_id", "product", "kind", "starts_on", "ends_on", "interval",
        "interval_count", "amount_cents", "arr_cents", "currency", "quantity",
        "auto_renew", "cancellation_notice_on",
    ),
    "discounts": (
        "id", "contract_line_id", "account_id", "duration", "percent_off",
        "amount_off_cents", "currency", "starts_on", "ends_on", "reason",
    ),
    "pauses": ("id", "contract_line_id", "account_id", "starts_on", "ends_on"),
    "cancellations": (
        "id", "account_id", "contract_line_id", "requested_on", "effective_on",
        "reason", "comment",
    ),
    "renewals": (
        "id", "account_id", "contract_line_id", "due_on", "outcome", "decided_on",
        "arr_before_cents", "arr_after_cents", "currency",
    ),
    "costs": ("id", "period", "category", "amount_cents", "currency"),
    "survey_responses": (
        "id", "survey", "account_id", "contact_id", "kind", "score", "comment",
        "responded_at",
    ),
    "tickets": (
        "id", "account_id", "opened_at", "closed_at", "priority", "satisfaction",
        "is_escalated",
    ),
    "notes": ("id", "account_id", "author_id", "kind", "occurred_at", "text"),
}  # fmt: skip

README = """\
Tenure demo data set
====================

Generated demo data: an invented B2B SaaS company and its accounts. Every
company, person and e-mail address in these files is made up; addresses use
the reserved .example domain. Do not treat any of it as real.

Generated with: accounts={accounts} months={months} seed={seed} end_on={end_on}
History covers {first_on} to {last_on} (inclusive). Money is in USD cents.

CSMs by segment (each account's CSM serves its segment):
{team}
The files follow Tenure's canonical import format, one file per entity:
{files}
Load them with `tenure import` (or run `tenure demo`).
"""


@dataclass(frozen=True)
class GeneratedCompany:
    """Where a demo company was written and how many rows each file holds."""

    out_dir: Path
    users: int
    accounts: int
    contacts: int
    contract_lines: int
    discounts: int
    pauses: int
    cancellations: int
    renewals: int
    costs: int
    survey_responses: int
    tickets: int
    notes: int
    events: int

    def counts(self) -> dict[str, int]:
        """Rows per entity, in load order."""
        return {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if item.name != "out_dir"
        }


def _check_arguments(*, accounts: int, months: int) -> None:
    if accounts < 1:
        raise InvalidInput(
            f"accounts must be at least 1, got {accounts}; pass --accounts 500"
        )
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput(
            f"months must be between 1 and {MAX_MONTHS}, got {months}; pass --months 24"
        )


def _prepare_folder(out_dir: Path) -> None:
    """Refuse a file or a folder holding anything but an earlier demo data set."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInput(
            f"{out_dir} is a file, not a folder; choose another output folder"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = {f"{stem}.csv" for stem in CSV_COLUMNS} | {"events.parquet", "README.txt"}
    others = sorted(path.name for path in out_dir.iterdir() if path.name not in ours)
    if others:
        raise InvalidInput(
            f"{out_dir} already holds other files ({', '.join(others[:3])}); "
            "choose an empty folder so they are not imported with the demo data"
        )


def _write_readme(
    out_dir: Path,
    *,
    accounts: int,
    months: int,
    seed: int,
    window: Window,
    roster: Roster,
) -> None:
    files = "".join(f"  {stem}.csv\n" for stem in CSV_COLUMNS) + "  events.parquet\n"
    team = "".join(
        f"  {segment}: {members[0].id} to {members[-1].id}\n"
        for segment, members in roster.csms_by_segment.items()
    )
    (out_dir / "README.txt").write_text(
        README.format(
            accounts=accounts, months=months, seed=seed, end_on=window.last_on,
            first_on=window.first_on, last_on=window.last_on, files=files,
            team=team,
        ),
        encoding="utf-8",
    )  # fmt: skip


def onboarding_stage(contracts: Contracts, *, window: Window) -> str:
    """Where onboarding stands at the end of the window, from the first paid day."""
    first_paid_on = contracts.first_paid_on
    if first_paid_on is None:
        return "trial"
    days = (window.last_on - first_paid_on).days
    for limit, stage in ((20, "kickoff"), (45, "setup"), (75, "training")):
        if days < limit:
            return stage
    return "live"


def account_row(
    profile: Profile,
    contracts: Contracts,
    *,
    csm_id: str,
    parent_id: str | None,
    window: Window,
) -> tuple[object, ...]:
    is_paying = contracts.first_paid_on is not None
    number = f"{profile.index:07d}"
    return (
        profile.account_id, profile.name, f"cus_demo{number}" if is_paying else None,
        f"crm-{number}", profile.segment.name, profile.industry, profile.country,
        profile.segment.plan if is_paying else "Trial", profile.created_on,
        onboarding_stage(contracts, window=window), csm_id, parent_id,
    )  # fmt: skip


class _CompanyWriter:
    def __init__(self, out_dir: Path, *, seed: int, window: Window) -> None:
        self.seed = seed
        self.window = window
        self.sinks = {
            stem: CsvSink(out_dir / f"{stem}.csv", columns)
            for stem, columns in CSV_COLUMNS.items()
        }
        self.events = EventSink(out_dir / "events.parquet")
        self.ledger = CostLedger(window)
        # Recent paying enterprise accounts, the candidates to be a parent company.
        self.parents: deque[str] = deque(maxlen=PARENT_CANDIDATES)

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    def write_account(self, index: int, roster: Roster) -> None:
        rng = self.rng("account", index)
        profile = draw_profile(rng, index=index, window=self.window)
        csm_id = roster.assign(rng, profile.segment)
        contracts = simulate_contracts(rng, profile=profile, window=self.window)
        contacts = draw_contacts(rng, profile=profile, window=self.window)
        engagement = simulate_engagement(
            self.rng("engagement", index),
            profile=profile,
            contacts=contacts,
            contracts=contracts,
            window=self.window,
            author_id=csm_id,
        )
        self.events.extend(
            simulate_events(
                self.rng("events", index),
                account_id=profile.account_id,
                contacts=contacts,
                contracts=contracts,
                window=self.window,
            )
        )
        self.sinks["accounts"].write(
            account_row(
                profile,
                contracts,
                csm_id=csm_id,
                parent_id=self.pick_parent(index, profile, contracts),
                window=self.window,
            )
        )
        rows_by_stem = {
            "contacts": [contact.row(profile.account_id) for contact in contacts],
            "contract_lines": [
                line.row(profile.account_id) for line in contracts.lines
            ],
            "discounts": contracts.discounts,
            "pauses": contracts.pauses,
            "cancellations": contracts.cancellations,
            "renewals": contracts.renewals,
            "survey_responses": engagement.survey_responses,
            "tickets": engagement.tickets,
            "notes": engagement.notes,
        }
        for stem, rows in rows_by_stem.items():
            for row in rows:
                self.sinks[stem].write(row)
        self.record_costs(profile, contracts)

    def pick_parent(
        self, index: int, profile: Profile, contracts: Contracts
    ) -> str | None:
        """A few smaller accounts belong to an enterprise account listed before them."""
        if profile.segment.name == "ent":
            if contracts.first_paid_on is not None:
                self.parents.append(profile.account_id)
            return None
        rng = self.rng("parent", index)
        if not self.parents or rng.random() >= SUBSIDIARY_RATE:
            return None
        return rng.choice(self.parents)

    def record_costs(self, profile: Profile, contracts: Contracts) -> None:
        if (first_paid_on := contracts.first_paid_on) is not None:
            self.ledger.add_acquisition(first_paid_on, profile.segment)
        for index, month in enumerate(self.ledger.months):
            self.ledger.mrr_cents[index] += sum(
                line.monthly_cents
                for line in contracts.lines
                if line.is_active_on(month)
            )

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()
        self.events.close()


def generate_company(
    out_dir: Path,
    *,
    accounts: int,
    months: int,
    seed: int,
    end_on: date,
    on_progress: Callable[[int], None] | None = None,
) -> GeneratedCompany:
    """Write `accounts` accounts with `months` of history up to `end_on`, inclusive.

    `on_progress` hears how many more accounts were written after each chunk.
    """
    _check_arguments(accounts=accounts, months=months)
    _prepare_folder(out_dir)
    started = time.perf_counter()
    window = Window.ending(end_on, months=months)
    writer = _CompanyWriter(out_dir, seed=seed, window=window)
    try:
        roster = build_roster(writer.rng("roster"), accounts=accounts, window=window)
        for member in roster.staff:
            writer.sinks["users"].write(member.row())
        for index in range(1, accounts + 1):
            writer.write_account(index, roster)
            if index % EVENT_CHUNK_ACCOUNTS == 0:
                writer.events.flush()
                if on_progress is not None:
                    on_progress(EVENT_CHUNK_ACCOUNTS)
        for row in writer.ledger.rows(writer.rng("costs"), roster):
            writer.sinks["costs"].write(row)
    finally:
        writer.close()
    if on_progress is not None:
        on_progress(accounts % EVENT_CHUNK_ACCOUNTS)
    _write_readme(
        out_dir,
        accounts=accounts,
        months=months,
        seed=seed,
        window=window,
        roster=roster,
    )
    counts = {stem: sink.rows for stem, sink in writer.sinks.items()}
    log.info(
        "demo.company_generated",
        accounts=accounts,
        months=months,
        seed=seed,
        events=writer.events.rows,
        seconds=round(time.perf_counter() - started, 2),
    )
    return GeneratedCompany(out_dir=out_dir, events=writer.events.rows, **counts)
