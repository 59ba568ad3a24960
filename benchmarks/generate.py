"""A synthetic company at scale, written once per scale and reused by every run.

`<data>/<scale>/home` is a Tenure workspace (SQLite database and event store);
`<data>/<scale>/export` holds the same accounts, contract lines, tickets and
survey responses as Parquet for the baselines, which read them instead of the
database. Everything is drawn from a seeded generator, so a scale always holds
the same rows.
"""

import json
import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, insert

from benchmarks.scales import AS_OF, Scale
from tenure.accounts.access import create_token, set_password
from tenure.accounts.models import Account, Contact, Ticket, User
from tenure.activity.keys import create_write_key
from tenure.activity.rollups import rollup_store, update_rollups
from tenure.activity.store import EVENT_SCHEMA, EventStore
from tenure.core.db import transaction
from tenure.core.settings import Settings
from tenure.core.workspace import init_workspace
from tenure.revenue.models import ContractLine
from tenure.surveys.models import SurveyResponse

SEED = 20251231
LEADER_EMAIL = "leader@example.com"
SEGMENTS = ("smb", "mid_market", "enterprise")
PLANS = ("starter", "growth", "scale")
CONTACTS_PER_ACCOUNT = 3
EVENT_NAMES = ("login", "view_report", "export", "invite", "search")
EVENT_WEIGHTS = (0.3, 0.3, 0.15, 0.05, 0.2)
_CHUNK = 20_000


def data_folder(root: Path, scale: Scale) -> Path:
    return root / scale.name


def ensure_data(root: Path, scale: Scale) -> Path:
    """The scale's folder, generated first when missing or incomplete."""
    folder = data_folder(root, scale)
    marker = folder / "generated.json"
    if marker.is_file():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    summary = generate(folder, scale)
    marker.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return folder


def credentials(folder: Path) -> dict[str, str]:
    """The write key and API token the generator made for the server workloads."""
    document: dict[str, str] = json.loads(
        (folder / "credentials.json").read_text(encoding="utf-8")
    )
    return document


def settings_for(folder: Path) -> Settings:
    return Settings(home=folder / "home")


def generate(folder: Path, scale: Scale) -> dict[str, Any]:
    rng = random.Random(SEED)
    workspace = init_workspace(settings_for(folder))
    users = _users(scale)
    accounts = _accounts(rng, scale, users)
    lines = [line for account in accounts for line in _lines(rng, account)]
    contacts = _contacts(accounts)
    tickets = [t for account in accounts for t in _tickets(rng, account)]
    responses = [r for account in accounts for r in _responses(rng, account)]
    _insert(workspace.engine, User, users)
    _insert(workspace.engine, Account, accounts)
    _insert(workspace.engine, ContractLine, lines)
    _insert(workspace.engine, Contact, contacts)
    _insert(workspace.engine, Ticket, tickets)
    _insert(workspace.engine, SurveyResponse, responses)
    _write_credentials(workspace.engine, folder)
    export = folder / "export"
    export.mkdir()
    for name, rows in (
        ("accounts", accounts),
        ("lines", lines),
        ("tickets", tickets),
        ("responses", responses),
    ):
        pq.write_table(pa.Table.from_pylist(rows), export / f"{name}.parquet")
    events = write_events(
        workspace.settings.event_store_path, scale, [a["id"] for a in accounts]
    )
    # The pages read the daily rollups; building them is W2's work, not W5's.
    update_rollups(
        workspace.engine,
        EventStore(workspace.settings.event_store_path),
        rollup_store(workspace.settings),
    )
    workspace.engine.dispose()
    return {
        "scale": scale.name,
        "accounts": len(accounts),
        "contract_lines": len(lines),
        "contacts": len(contacts),
        "tickets": len(tickets),
        "survey_responses": len(responses),
        "events": events,
    }


def _users(scale: Scale) -> list[dict[str, Any]]:
    csms = max(3, scale.accounts // 250)
    users = [
        {
            "id": f"csm{n:04d}",
            "email": f"csm{n:04d}@example.com",
            "name": f"CSM {n}",
            "role": "csm",
            "joined_on": date(2021, 1, 1),
        }
        for n in range(csms)
    ]
    users.append(
        {
            "id": "leader",
            "email": LEADER_EMAIL,
            "name": "CS Leader",
            "role": "leader",
            "joined_on": date(2021, 1, 1),
        }
    )
    return users


def _accounts(
    rng: random.Random, scale: Scale, users: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    csms = [u["id"] for u in users if u["role"] == "csm"]
    first, last = date(2022, 1, 1), date(2025, 10, 1)
    span_months = (last.year - first.year) * 12 + last.month - first.month
    accounts = []
    for n in range(scale.accounts):
        month = rng.randrange(span_months)
        created = date(first.year + month // 12, month % 12 + 1, 1)
        accounts.append(
            {
                "id": f"acc{n:06d}",
                "name": f"Account {n}",
                "segment": rng.choice(SEGMENTS),
                "plan": rng.choice(PLANS),
                "country": "DE",
                "created_on": created,
                # One account in fifty has no CSM yet.
                "csm_id": None if rng.random() < 0.02 else rng.choice(csms),
            }
        )
    return accounts


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _lines(rng: random.Random, account: dict[str, Any]) -> list[dict[str, Any]]:
    """Yearly terms of the core product (renewed, expanded, contracted or
    churned at each renewal), quarterly support terms and a monthly add-on."""
    lines = _terms(rng, account, product="core", months=12, interval="year")
    if rng.random() < 0.9:
        lines += _terms(rng, account, product="support", months=3, interval="quarter")
    if rng.random() < 0.8:
        starts = _add_months(account["created_on"], rng.randrange(1, 12))
        ends = _add_months(starts, rng.randrange(3, 30)) if rng.random() < 0.5 else None
        if starts <= AS_OF:
            lines.append(_line(account, "addon", starts, ends, "month", 4_900 * 5, 5))
    for n, line in enumerate(lines):
        line["id"] = f"{account['id']}-l{n}"
    return lines


def _terms(
    rng: random.Random,
    account: dict[str, Any],
    *,
    product: str,
    months: int,
    interval: str,
) -> list[dict[str, Any]]:
    seats = rng.randrange(5, 200)
    price = 12_000 if interval == "year" else 2_500
    starts = account["created_on"]
    terms = []
    while starts <= AS_OF:
        ends = _add_months(starts, months * (1 if interval == "year" else 4))
        terms.append(
            _line(account, product, starts, ends, interval, seats * price, seats)
        )
        draw = rng.random()
        if draw < 0.12:
            break
        if draw < 0.35:
            seats = int(seats * rng.uniform(1.1, 1.6))
        elif draw < 0.45:
            seats = max(1, int(seats * rng.uniform(0.5, 0.9)))
        # A few renewals come back after a gap longer than the grace window.
        starts = _add_months(ends, 3) if rng.random() < 0.03 else ends
    return terms


def _line(
    account: dict[str, Any],
    product: str,
    starts: date,
    ends: date | None,
    interval: str,
    amount_cents: int,
    seats: int,
) -> dict[str, Any]:
    return {
        "id": "",
        "account_id": account["id"],
        "product": product,
        "kind": "paid",
        "starts_on": starts,
        "ends_on": ends,
        "interval": interval,
        "interval_count": 1,
        "amount_cents": amount_cents,
        "currency": "USD",
        "quantity": seats,
        "auto_renew": True,
    }


def _contacts(accounts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{account['id']}-c{n}",
            "account_id": account["id"],
            "created_on": account["created_on"],
        }
        for account in accounts
        for n in range(CONTACTS_PER_ACCOUNT)
    ]


def _moment(rng: random.Random, days_back: int) -> datetime:
    start = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    return start - timedelta(seconds=rng.randrange(days_back * 86_400))


def _tickets(rng: random.Random, account: dict[str, Any]) -> list[dict[str, Any]]:
    tickets = []
    for n in range(rng.randrange(4)):
        opened = _moment(rng, 200)
        closed = opened + timedelta(hours=rng.randrange(1, 400))
        tickets.append(
            {
                "id": f"{account['id']}-t{n}",
                "account_id": account["id"],
                "opened_at": opened,
                "closed_at": None if rng.random() < 0.2 else closed,
                "priority": "normal",
                "satisfaction": rng.randrange(1, 6),
                "is_escalated": rng.random() < 0.1,
            }
        )
    return tickets


def _responses(rng: random.Random, account: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{account['id']}-r{n}",
            "survey": "nps",
            "account_id": account["id"],
            "contact_id": f"{account['id']}-c{n}",
            "kind": "nps",
            "score": rng.randrange(11),
            "responded_at": _moment(rng, 300),
        }
        for n in range(rng.randrange(CONTACTS_PER_ACCOUNT))
    ]


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), _CHUNK):
            connection.execute(insert(model), rows[start : start + _CHUNK])


def _write_credentials(engine: Engine, folder: Path) -> None:
    now = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC)
    with transaction(engine) as session:
        set_password(session, LEADER_EMAIL, "benchmark-password-long")
        token, _ = create_token(session, name="benchmarks", email=LEADER_EMAIL, now=now)
        _, write_key = create_write_key(session, name="benchmarks", now=now)
    (folder / "credentials.json").write_text(
        json.dumps({"api_token": token, "write_key": write_key}), encoding="utf-8"
    )


def write_events(root: Path, scale: Scale, account_ids: list[str]) -> int:
    """The scale's events, one part file per day, in the event store's layout."""
    rng = np.random.default_rng(SEED)
    per_day = scale.events // scale.event_days
    # Some accounts are far busier than others; a tenth never send anything.
    weights = rng.pareto(1.5, len(account_ids)) + 0.05
    weights[rng.random(len(account_ids)) < 0.1] = 0
    weights /= weights.sum()
    accounts = np.array(account_ids)
    names = np.array(EVENT_NAMES)
    first_day = AS_OF - timedelta(days=scale.event_days)
    written = 0
    for offset in range(scale.event_days):
        day = first_day + timedelta(days=offset)
        count = per_day if offset < scale.event_days - 1 else scale.events - written
        table = event_table(rng, day, count, accounts, weights, names)
        folder = root / f"day={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / f"part-{offset:08x}{'0' * 24}.parquet")
        written += count
    return written


def event_table(
    rng: np.random.Generator,
    day: date,
    count: int,
    accounts: np.ndarray,
    weights: np.ndarray,
    names: np.ndarray,
) -> pa.Table:
    """`count` events on `day` in the event store's schema."""
    picked = accounts[rng.choice(len(accounts), size=count, p=weights)]
    contact = rng.integers(0, CONTACTS_PER_ACCOUNT, size=count).astype(str)
    midnight = np.datetime64(day.isoformat(), "us")
    seconds = np.sort(rng.integers(0, 86_400_000_000, size=count))
    occurred = midnight + seconds.astype("timedelta64[us]")
    received = np.datetime64((day + timedelta(days=1)).isoformat(), "us")
    prefix = f"{day:%Y%m%d}-"
    columns = {
        "message_id": np.char.add(prefix, np.arange(count).astype(str)),
        "account_id": picked,
        "contact_id": np.char.add(np.char.add(picked, "-c"), contact),
        "name": names[rng.choice(len(names), size=count, p=EVENT_WEIGHTS)],
        "occurred_at": occurred,
        "received_at": np.full(count, received),
        "properties": None,
    }
    arrays = [
        pa.nulls(count, field.type)
        if columns[field.name] is None
        else pa.array(columns[field.name]).cast(field.type)
        for field in EVENT_SCHEMA
    ]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)
