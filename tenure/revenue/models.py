"""Tables for contract lines and everything that changes their ARR."""

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

LINE_KINDS = ("paid", "trial", "free", "one_time", "installment")
INTERVALS = ("week", "month", "quarter", "year", "once")
DISCOUNT_DURATIONS = ("once", "repeating", "forever")
RENEWAL_OUTCOMES = ("renewed", "expanded", "contracted", "churned", "pending")
COST_CATEGORIES = ("cs_opex", "sales_marketing", "cost_to_serve", "other")


class ContractLine(Base):
    """What an account pays for one product, from `starts_on` up to `ends_on`."""

    __tablename__ = "contract_lines"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    product: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="paid")
    starts_on: Mapped[date] = mapped_column(Date)
    # First day out of service; None means open-ended.
    ends_on: Mapped[date | None] = mapped_column(Date)
    interval: Mapped[str] = mapped_column(String(16), default="month")
    interval_count: Mapped[int] = mapped_column(Integer, default=1)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # When a source states ARR directly it wins over amount and interval.
    arr_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    quantity: Mapped[int | None] = mapped_column(Integer)
    auto_renew: Mapped[bool | None] = mapped_column(Boolean)
    cancellation_notice_on: Mapped[date | None] = mapped_column(Date)


class Discount(Base):
    """A price reduction on a line (or on all of an account's lines)."""

    __tablename__ = "discounts"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    contract_line_id: Mapped[str | None] = mapped_column(
        ForeignKey("contract_lines.id"), index=True
    )
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    duration: Mapped[str] = mapped_column(String(16))
    percent_off: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    amount_off_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(128))


class Pause(Base):
    """A stretch of time during which a line's service is paused."""

    __tablename__ = "pauses"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    contract_line_id: Mapped[str | None] = mapped_column(
        ForeignKey("contract_lines.id"), index=True
    )
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Cancellation(Base):
    """A request to end service; churn is dated at `effective_on`."""

    __tablename__ = "cancellations"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contract_line_id: Mapped[str | None] = mapped_column(
        ForeignKey("contract_lines.id")
    )
    requested_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(String(2000))


class Renewal(Base):
    """An account's chance to renew, due on the first day of the next term."""

    __tablename__ = "renewals"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contract_line_id: Mapped[str | None] = mapped_column(
        ForeignKey("contract_lines.id")
    )
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date)
    arr_before_cents: Mapped[int | None] = mapped_column(BigInteger)
    arr_after_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD")


class ExchangeRate(Base):
    """How many units of `quote_currency` one unit of `currency` was worth on a day."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    quote_currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate_on: Mapped[date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(20, 10))


class Cost(Base):
    """A cost in one month (`2024-01`), quarter (`2024-Q1`) or year (`2024`)."""

    __tablename__ = "costs"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD")


class AcquiredAccountCount(Base):
    """How many new accounts sales acquired in a period, when counted outside Tenure."""

    __tablename__ = "new_customers_acquired"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
