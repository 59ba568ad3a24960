"""Tables for CSM coverage, assignment rules and the history of assignments."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

STRATEGIES = ("balance_count", "balance_arr", "round_robin")
COVERAGE_DIMENSIONS = ("segment", "country")


class CsmCoverage(Base):
    """A segment or territory (country) a CSM covers; none means any."""

    __tablename__ = "csm_coverage"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)


class AssignmentRule(Base):
    """Accounts matching every set criterion go to the rule's CSMs.

    Criteria hold one value or a comma-separated list; an empty criterion
    matches anything, so a rule without criteria is a default rule.
    """

    __tablename__ = "assignment_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    segment: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(500))
    plan: Mapped[str | None] = mapped_column(String(500))
    strategy: Mapped[str] = mapped_column(String(16), default="balance_count")
    # Round robin continues after the CSM who got the previous account.
    last_csm_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class AssignmentRuleCsm(Base):
    """A CSM in a rule's pool; a rule without pool uses every covering CSM."""

    __tablename__ = "assignment_rule_csms"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_rules.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)


class CsmAssignment(Base):
    """One stretch of an account with one CSM: `[starts_on, ends_on)`."""

    __tablename__ = "csm_assignments"
    __table_args__ = (
        # At most one current CSM per account, whatever runs at the same time.
        Index(
            "uq_csm_assignments_open_account_id",
            "account_id",
            unique=True,
            sqlite_where=text("ends_on IS NULL"),
            postgresql_where=text("ends_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    csm_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    # First day with another CSM; None while the stretch is current.
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    # A user id for manual changes, or "rules" / "import".
    changed_by: Mapped[str] = mapped_column(String(64))
