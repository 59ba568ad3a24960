"""add store_revision and the triggers that move it when figures' tables change

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 20:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
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
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "store_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_revision")),
    )
    op.execute("INSERT INTO store_revision (id, revision) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE store_revision_seq")
        op.execute(
            "CREATE FUNCTION bump_store_revision() RETURNS trigger AS $$ "
            "BEGIN PERFORM nextval('store_revision_seq'); RETURN NULL; END "
            "$$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER store_revision_{table} AFTER INSERT OR UPDATE OR "
                f"DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION bump_store_revision()"
            )
        return
    for table in TABLES:
        for operation in OPERATIONS:
            op.execute(
                f"CREATE TRIGGER store_revision_{table}_{operation.lower()} "
                f"AFTER {operation} ON {table} BEGIN "
                "UPDATE store_revision SET revision = revision + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER store_revision_{table} ON {table}")
        op.execute("DROP FUNCTION bump_store_revision()")
        op.execute("DROP SEQUENCE store_revision_seq")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER store_revision_{table}_{operation.lower()}")
    op.drop_table("store_revision")
