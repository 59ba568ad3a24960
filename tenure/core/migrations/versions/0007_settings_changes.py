"""add health_scorecard_changes and alert_rule_changes: who changed settings, when

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_scorecard_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scorecard_id", sa.String(length=64), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["health_scorecards.id"],
            name=op.f("fk_health_scorecard_changes_scorecard_id_health_scorecards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_scorecard_changes")),
    )
    op.create_index(
        op.f("ix_health_scorecard_changes_scorecard_id"),
        "health_scorecard_changes",
        ["scorecard_id"],
        unique=False,
    )
    op.create_table(
        "alert_rule_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["alert_rules.id"],
            name=op.f("fk_alert_rule_changes_rule_id_alert_rules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rule_changes")),
    )
    op.create_index(
        op.f("ix_alert_rule_changes_rule_id"),
        "alert_rule_changes",
        ["rule_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_alert_rule_changes_rule_id"), table_name="alert_rule_changes"
    )
    op.drop_table("alert_rule_changes")
    op.drop_index(
        op.f("ix_health_scorecard_changes_scorecard_id"),
        table_name="health_scorecard_changes",
    )
    op.drop_table("health_scorecard_changes")
