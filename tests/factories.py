"""Builders for metric tests: plain defaults, every value overridable by keyword."""

from datetime import date
from typing import Any

from tenure.metrics.store import StoreContents
from tenure.revenue.models import ContractLine


def make_line(**overrides: Any) -> ContractLine:
    """A paid monthly line of 100.00 USD from 1 January 2024, open-ended."""
    values: dict[str, Any] = {
        "id": "line-1",
        "account_id": "acct-1",
        "product": "core",
        "kind": "paid",
        "starts_on": date(2024, 1, 1),
        "ends_on": None,
        "interval": "month",
        "interval_count": 1,
        "amount_cents": 10000,
        "arr_cents": None,
        "currency": "USD",
        "cancellation_notice_on": None,
    }
    values.update(overrides)
    return ContractLine(**values)


def make_contents(**tables: Any) -> StoreContents:
    """Store contents with empty tables except those given."""
    names = (
        "lines",
        "discounts",
        "pauses",
        "cancellations",
        "renewals",
        "rates",
        "costs",
        "accounts",
        "users",
        "responses",
        "acquired",
    )
    return StoreContents(**{name: list(tables.get(name, [])) for name in names})
