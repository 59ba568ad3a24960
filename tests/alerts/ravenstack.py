"""RavenStack as a workspace, and an independent reading of its CSV files."""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

from tenure.ingest.service import import_path

MAPPING = Path(__file__).resolve().parents[2] / "examples/mappings/ravenstack.yaml"
IMPORTED_AT = datetime(2025, 1, 15, tzinfo=UTC)


def import_ravenstack(workspace, shared_data: Path) -> None:
    import_path(
        workspace,
        shared_data / "ravenstack",
        now=IMPORTED_AT,
        mapping_path=MAPPING,
    )


def _rows(shared_data: Path, name: str) -> list[dict[str, str]]:
    with (shared_data / "ravenstack" / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def signup_days(shared_data: Path) -> dict[str, date]:
    """Each account's signup day, straight from the accounts file."""
    return {
        row["account_id"]: date.fromisoformat(row["signup_date"])
        for row in _rows(shared_data, "ravenstack_accounts.csv")
    }


def former_accounts(shared_data: Path, *, on: date) -> set[str]:
    """Accounts no longer served on `on`, read as the mapping documents: paid
    rows are a plan history whose latest row is the current plan, so the
    account has left when that row and every trial row ended by `on`."""
    rows: dict[str, list[dict[str, str]]] = {}
    for row in _rows(shared_data, "ravenstack_subscriptions.csv"):
        rows.setdefault(row["account_id"], []).append(row)

    def ended(row: dict[str, str]) -> bool:
        return bool(row["end_date"]) and date.fromisoformat(row["end_date"][:10]) <= on

    former = set()
    for account, subscriptions in rows.items():
        paid = [row for row in subscriptions if row["is_trial"] == "False"]
        trials = [row for row in subscriptions if row["is_trial"] == "True"]
        latest = max(paid, key=lambda row: row["start_date"]) if paid else None
        if all(ended(row) for row in trials) and (latest is None or ended(latest)):
            former.add(account)
    return former


def last_usage_days(shared_data: Path, *, before: date) -> dict[str, date]:
    """Each account's last feature-usage day before `before`, from the CSV files."""
    owner = {
        row["subscription_id"]: row["account_id"]
        for row in _rows(shared_data, "ravenstack_subscriptions.csv")
    }
    last: dict[str, date] = {}
    for row in _rows(shared_data, "ravenstack_feature_usage.csv"):
        day = date.fromisoformat(row["usage_date"][:10])
        account = owner[row["subscription_id"]]
        if day < before and (account not in last or last[account] < day):
            last[account] = day
    return last


def expected_inactive(
    signups: dict[str, date],
    last_seen: dict[str, date],
    *,
    as_of: date,
    days: int,
    former: set[str],
) -> set[str]:
    """Accounts served on `as_of` whose last activity (or signup, when never
    active) is at least `days` before it."""
    return {
        account
        for account, signup in signups.items()
        if signup <= as_of
        and account not in former
        and (as_of - last_seen.get(account, signup)).days >= days
    }
