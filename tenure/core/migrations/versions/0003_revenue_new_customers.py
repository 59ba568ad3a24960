"""add new_customers_acquired: externally counted new accounts per period

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "new_customers_acquired",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_new_customers_acquired")),
    )


def downgrade() -> None:
    op.drop_table("new_customers_acquired")
