"""Tables for accounts, contacts, Tenure users (the CSM roster), tickets and notes."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

USER_ROLES = ("admin", "leader", "csm", "viewer")
NOTE_KINDS = ("call", "meeting", "email", "note")


class User(Base):
    """A person who signs in to Tenure; CSMs form the roster."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="csm")
    fte: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal(1))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    capacity_accounts: Mapped[int | None] = mapped_column(Integer)
    capacity_arr_cents: Mapped[int | None] = mapped_column(BigInteger)
    password_hash: Mapped[str | None] = mapped_column(String(200))


class Account(Base):
    """A customer company; `csm_id` is its customer-success manager."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    billing_id: Mapped[str | None] = mapped_column(String(128), index=True)
    crm_id: Mapped[str | None] = mapped_column(String(128), index=True)
    segment: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(128))
    country: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[str | None] = mapped_column(String(128))
    created_on: Mapped[date | None] = mapped_column(Date)
    onboarding_stage: Mapped[str | None] = mapped_column(String(64))
    csm_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))


class Contact(Base):
    """A person at an account."""

    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(128))
    created_on: Mapped[date | None] = mapped_column(Date)


class Ticket(Base):
    """A support ticket raised by an account."""

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    priority: Mapped[str | None] = mapped_column(String(32))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    is_escalated: Mapped[bool] = mapped_column(Boolean, default=False)


class Note(Base):
    """A call, meeting, e-mail or note on an account's timeline."""

    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16), default="note")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text, default="")
