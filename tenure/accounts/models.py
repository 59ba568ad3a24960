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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

USER_ROLES = ("admin", "leader", "csm", "viewer")
NOTE_KINDS = ("call", "meeting", "email", "note")
MILESTONE_STATUSES = ("pending", "done", "skipped")


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


class NoteTag(Base):
    """A stated reason a note can carry (pricing, competitor, ...); editable."""

    __tablename__ = "note_tags"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class NoteTagLink(Base):
    """One tag on one note."""

    __tablename__ = "note_tag_links"

    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(ForeignKey("note_tags.name"), primary_key=True)


class OnboardingTemplateStep(Base):
    """A milestone due a number of days after onboarding starts, per segment."""

    __tablename__ = "onboarding_template_steps"
    __table_args__ = (UniqueConstraint("segment", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The empty segment is the template for accounts with no segment template.
    segment: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(64))
    due_after_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OnboardingMilestone(Base):
    """Where one account stands on one onboarding milestone."""

    __tablename__ = "onboarding_milestones"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    done_on: Mapped[date | None] = mapped_column(Date)
