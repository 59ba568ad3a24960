"""The store's revision: a number that moves whenever a table the figures read
is written, by any process.

Database triggers (created by migration 0009) move it, so imports from the CLI,
the web application's own writes and direct SQL all count. On SQLite the
triggers add one to a row of `store_revision`; on PostgreSQL they draw from the
sequence `store_revision_seq` once per statement, which takes no row lock, so
concurrent writers never wait on each other for it.
"""

from sqlalchemy import BigInteger, Engine, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

# The tables the metric suite and the pages' revenue figures are computed from.
REVISED_TABLES = (
    "accounts",
    "cancellations",
    "contract_lines",
    "costs",
    "csm_assignments",
    "discounts",
    "exchange_rates",
    "new_customers_acquired",
    "pauses",
    "renewals",
    "survey_responses",
    "users",
)


class StoreRevision(Base):
    """One row on SQLite; unused on PostgreSQL, which counts with a sequence."""

    __tablename__ = "store_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)


def store_revision(engine: Engine) -> int:
    """The current revision; it only ever grows."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            value = connection.execute(
                text("SELECT last_value FROM store_revision_seq")
            ).scalar()
        else:
            value = connection.execute(
                text("SELECT revision FROM store_revision WHERE id = 1")
            ).scalar()
    return int(value or 0)
