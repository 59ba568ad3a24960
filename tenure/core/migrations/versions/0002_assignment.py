"""CSM roster coverage, assignment rules and history, onboarding, note tags

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 15:50:41.872610
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_NOTE_TAGS = [
    ("pricing", "Pricing"),
    ("support", "Support"),
    ("missing_feature", "Missing feature"),
    ("budget", "Budget"),
    ("competitor", "Competitor"),
    ("champion_left", "Champion left"),
]
DEFAULT_MILESTONES = [
    ("kick_off", 7),
    ("technical_setup", 21),
    ("first_value", 45),
    ("training", 60),
    ("done", 90),
]


def upgrade() -> None:
    note_tags = op.create_table(
        "note_tags",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_note_tags")),
    )
    template_steps = op.create_table(
        "onboarding_template_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("segment", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("due_after_days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_template_steps")),
        sa.UniqueConstraint(
            "segment", "name", name=op.f("uq_onboarding_template_steps_segment")
        ),
    )
    rules = op.create_table(
        "assignment_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(length=500), nullable=True),
        sa.Column("country", sa.String(length=500), nullable=True),
        sa.Column("plan", sa.String(length=500), nullable=True),
        sa.Column("strategy", sa.String(length=16), nullable=False),
        sa.Column("last_csm_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_csm_id"],
            ["users.id"],
            name=op.f("fk_assignment_rules_last_csm_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_assignment_rules_name")),
    )
    op.create_table(
        "csm_coverage",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_csm_coverage_user_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "dimension", "value", name=op.f("pk_csm_coverage")
        ),
    )
    op.create_table(
        "assignment_rule_csms",
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["assignment_rules.id"],
            name=op.f("fk_assignment_rule_csms_rule_id_assignment_rules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_assignment_rule_csms_user_id_users"),
        ),
        sa.PrimaryKeyConstraint(
            "rule_id", "user_id", name=op.f("pk_assignment_rule_csms")
        ),
    )
    op.create_table(
        "csm_assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("csm_id", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_csm_assignments_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["csm_id"], ["users.id"], name=op.f("fk_csm_assignments_csm_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_csm_assignments")),
    )
    with op.batch_alter_table("csm_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_csm_assignments_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_csm_assignments_csm_id"), ["csm_id"], unique=False
        )
        batch_op.create_index(
            "uq_csm_assignments_open_account_id",
            ["account_id"],
            unique=True,
            sqlite_where=sa.text("ends_on IS NULL"),
            postgresql_where=sa.text("ends_on IS NULL"),
        )

    op.create_table(
        "onboarding_milestones",
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_onboarding_milestones_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "name", name=op.f("pk_onboarding_milestones")
        ),
    )
    op.create_table(
        "note_tag_links",
        sa.Column("note_id", sa.String(length=128), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_tag_links_note_id_notes")
        ),
        sa.ForeignKeyConstraint(
            ["tag"], ["note_tags.name"], name=op.f("fk_note_tag_links_tag_note_tags")
        ),
        sa.PrimaryKeyConstraint("note_id", "tag", name=op.f("pk_note_tag_links")),
    )
    op.bulk_insert(
        note_tags,
        [
            {"name": name, "label": label, "is_active": True}
            for name, label in DEFAULT_NOTE_TAGS
        ],
    )
    op.bulk_insert(
        template_steps,
        [
            {"segment": "", "name": name, "due_after_days": days, "position": index}
            for index, (name, days) in enumerate(DEFAULT_MILESTONES)
        ],
    )
    op.bulk_insert(
        rules,
        [{"name": "default", "priority": 1000, "strategy": "balance_count"}],
    )


def downgrade() -> None:
    op.drop_table("note_tag_links")
    op.drop_table("onboarding_milestones")
    with op.batch_alter_table("csm_assignments", schema=None) as batch_op:
        batch_op.drop_index("uq_csm_assignments_open_account_id")
        batch_op.drop_index(batch_op.f("ix_csm_assignments_csm_id"))
        batch_op.drop_index(batch_op.f("ix_csm_assignments_account_id"))

    op.drop_table("csm_assignments")
    op.drop_table("assignment_rule_csms")
    op.drop_table("csm_coverage")
    op.drop_table("assignment_rules")
    op.drop_table("onboarding_template_steps")
    op.drop_table("note_tags")
