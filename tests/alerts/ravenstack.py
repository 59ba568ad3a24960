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
    signups: dict[str, date], last_seen: dict[str, date], *, as_of: date, days: int
) -> set[str]:
    """Accounts existing on `as_of` whose last activity (or signup, when never
    active) is at least `days` before it."""
    return {
        account
        for account, signup in signups.items()
        if signup <= as_of and (as_of - last_seen.get(account, signup)).days >= days
    }
