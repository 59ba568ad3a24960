"""Canonical field specifications per entity, in load order (references first)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Literal

from sqlalchemy import BigInteger, Integer, Numeric, String

from tenure.accounts.models import NOTE_KINDS, USER_ROLES
from tenure.core.models import Base
from tenure.revenue.models import (
    COST_CATEGORIES,
    DISCOUNT_DURATIONS,
    INTERVALS,
    LINE_KINDS,
    RENEWAL_OUTCOMES,
)
from tenure.surveys.models import SURVEY_KINDS

FieldType = Literal[
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "instant",
    "currency",
    "json",
    "period",
]

EVENTS = "events"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType = "text"
    is_required: bool = False
    choices: tuple[str, ...] = ()
    references: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    # True where zero is not a usable value either (an exchange rate).
    is_positive: bool = False


@dataclass(frozen=True)
class EntitySpec:
    name: str
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...] = ("id",)
    # (start, end) pairs where the end may not come before the start.
    spans: tuple[tuple[str, str], ...] = ()

    @cached_property
    def _by_name(self) -> dict[str, FieldSpec]:
        return {spec.name: spec for spec in self.fields}

    @cached_property
    def unique_fields(self) -> tuple[str, ...]:
        """Fields other than the key that the store keeps unique."""
        table = Base.metadata.tables.get(self.name)
        if table is None:
            return ()
        return tuple(column.name for column in table.columns if column.unique)

    @cached_property
    def max_lengths(self) -> dict[str, int]:
        """Text fields whose store column has a length limit, with the limit."""
        table = Base.metadata.tables.get(self.name)
        if table is None:
            return {}
        return {
            column.name: column.type.length
            for column in table.columns
            if isinstance(column.type, String) and column.type.length
        }

    @cached_property
    def max_values(self) -> dict[str, Decimal]:
        """Numeric fields with the largest magnitude their store column holds."""
        table = Base.metadata.tables.get(self.name)
        if table is None:
            return {}
        limits: dict[str, Decimal] = {}
        for column in table.columns:
            kind = column.type
            if isinstance(kind, BigInteger):
                limits[column.name] = Decimal(2**63 - 1)
            elif isinstance(kind, Integer):
                limits[column.name] = Decimal(2**31 - 1)
            elif isinstance(kind, Numeric) and kind.precision is not None:
                whole_digits = kind.precision - (kind.scale or 0)
                limits[column.name] = Decimal(10) ** whole_digits - 1
        return limits

    @cached_property
    def decimal_places(self) -> dict[str, int]:
        """Decimal fields with the number of decimals their store column keeps."""
        table = Base.metadata.tables.get(self.name)
        if table is None:
            return {}
        return {
            column.name: column.type.scale
            for column in table.columns
            if isinstance(column.type, Numeric) and column.type.scale is not None
        }

    def field(self, name: str) -> FieldSpec | None:
        return self._by_name.get(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)


def _f(name: str, type_: FieldType = "text", **options: object) -> FieldSpec:
    return FieldSpec(name, type_, **options)  # type: ignore[arg-type]


_ID = _f("id", is_required=True)
_ACCOUNT = _f("account_id", is_required=True, references="accounts")
_OPTIONAL_ACCOUNT = _f("account_id", references="accounts")
_LINE = _f("contract_line_id", references="contract_lines")
_CENTS = {"minimum": 0}

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec(
            "users",
            (
                _ID,
                _f("email", is_required=True),
                _f("name", is_required=True),
                _f("role", choices=USER_ROLES),
                _f("fte", "decimal", minimum=0),
                _f("joined_on", "date"),
                _f("left_on", "date"),
                _f("capacity_accounts", "integer", minimum=0),
                _f("capacity_arr_cents", "integer", **_CENTS),
            ),
            spans=(("joined_on", "left_on"),),
        ),
        EntitySpec(
            "accounts",
            (
                _ID,
                _f("name", is_required=True),
                _f("billing_id"),
                _f("crm_id"),
                _f("segment"),
                _f("industry"),
                _f("country"),
                _f("plan"),
                _f("created_on", "date"),
                _f("onboarding_stage"),
                _f("csm_id", references="users"),
                _f("parent_id", references="accounts"),
            ),
        ),
        EntitySpec(
            "contacts",
            (
                _ID,
                _ACCOUNT,
                _f("email"),
                _f("name"),
                _f("role"),
                _f("created_on", "date"),
            ),
        ),
        EntitySpec(
            "contract_lines",
            (
                _ID,
                _ACCOUNT,
                _f("product"),
                _f("kind", choices=LINE_KINDS),
                _f("starts_on", "date", is_required=True),
                _f("ends_on", "date"),
                _f("interval", choices=INTERVALS),
                _f("interval_count", "integer", minimum=1),
                _f("amount_cents", "integer", **_CENTS),
                _f("arr_cents", "integer", **_CENTS),
                _f("currency", "currency"),
                _f("quantity", "integer", minimum=0),
                _f("auto_renew", "boolean"),
                _f("cancellation_notice_on", "date"),
            ),
            spans=(("starts_on", "ends_on"),),
        ),
        EntitySpec(
            "discounts",
            (
                _ID,
                _LINE,
                _OPTIONAL_ACCOUNT,
                _f("duration", is_required=True, choices=DISCOUNT_DURATIONS),
                _f("percent_off", "decimal", minimum=0, maximum=100),
                _f("amount_off_cents", "integer", **_CENTS),
                _f("currency", "currency"),
                _f("starts_on", "date", is_required=True),
                _f("ends_on", "date"),
                _f("reason"),
            ),
            spans=(("starts_on", "ends_on"),),
        ),
        EntitySpec(
            "pauses",
            (
                _ID,
                _LINE,
                _OPTIONAL_ACCOUNT,
                _f("starts_on", "date", is_required=True),
                _f("ends_on", "date"),
            ),
            spans=(("starts_on", "ends_on"),),
        ),
        EntitySpec(
            "cancellations",
            (
                _ID,
                _ACCOUNT,
                _LINE,
                _f("requested_on", "date"),
                _f("effective_on", "date", is_required=True),
                _f("reason"),
                _f("comment"),
            ),
        ),
        EntitySpec(
            "renewals",
            (
                _ID,
                _ACCOUNT,
                _LINE,
                _f("due_on", "date", is_required=True),
                _f("outcome", choices=RENEWAL_OUTCOMES),
                _f("decided_on", "date"),
                _f("arr_before_cents", "integer", **_CENTS),
                _f("arr_after_cents", "integer", **_CENTS),
                _f("currency", "currency"),
            ),
        ),
        EntitySpec(
            "exchange_rates",
            (
                _f("currency", "currency", is_required=True),
                _f("quote_currency", "currency", is_required=True),
                _f("rate_on", "date", is_required=True),
                _f("rate", "decimal", is_required=True, is_positive=True),
            ),
            key=("currency", "quote_currency", "rate_on"),
        ),
        EntitySpec(
            "costs",
            (
                _ID,
                _f("period", "period", is_required=True),
                _f("category", is_required=True, choices=COST_CATEGORIES),
                _f("amount_cents", "integer", is_required=True, **_CENTS),
                _f("currency", "currency"),
            ),
        ),
        EntitySpec(
            "survey_responses",
            (
                _ID,
                _f("survey"),
                _ACCOUNT,
                _f("contact_id", references="contacts"),
                _f("kind", choices=SURVEY_KINDS),
                _f("score", "integer", minimum=0, maximum=10),
                _f("comment"),
                _f("responded_at", "instant", is_required=True),
            ),
        ),
        EntitySpec(
            "tickets",
            (
                _ID,
                _ACCOUNT,
                _f("opened_at", "instant", is_required=True),
                _f("closed_at", "instant"),
                _f("priority"),
                _f("satisfaction", "integer", minimum=0),
                _f("is_escalated", "boolean"),
            ),
            spans=(("opened_at", "closed_at"),),
        ),
        EntitySpec(
            "notes",
            (
                _ID,
                _ACCOUNT,
                _f("author_id", references="users"),
                _f("kind", choices=NOTE_KINDS),
                _f("occurred_at", "instant", is_required=True),
                _f("text"),
            ),
        ),
        EntitySpec(
            EVENTS,
            (
                _f("message_id", is_required=True),
                _ACCOUNT,
                _f("contact_id", references="contacts"),
                _f("name", is_required=True),
                _f("occurred_at", "instant", is_required=True),
                _f("properties", "json"),
            ),
            key=("message_id",),
        ),
    )
}


def entity_spec(name: str) -> EntitySpec | None:
    return ENTITIES.get(name)
