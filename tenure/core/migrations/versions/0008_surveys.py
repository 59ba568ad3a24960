"""add surveys, survey_campaigns and survey_sends: survey e-mails and their answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:51:25
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("follow_up_detractor", sa.Text(), nullable=False),
        sa.Column("follow_up_passive", sa.Text(), nullable=False),
        sa.Column("follow_up_promoter", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("sample_rate", sa.Float(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_quiet_days", sa.Integer(), nullable=False),
        sa.Column("send_quiet_days", sa.Integer(), nullable=False),
        sa.Column("account_limit", sa.Integer(), nullable=True),
        sa.Column("account_window_days", sa.Integer(), nullable=False),
        sa.Column("link_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_campaigns_survey_id_surveys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaigns")),
    )
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_campaigns_survey_id"), ["survey_id"], unique=False
        )

    op.create_table(
        "survey_sends",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("contact_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_id", sa.String(length=128), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_survey_sends_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["survey_campaigns.id"],
            name=op.f("fk_survey_sends_campaign_id_survey_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_survey_sends_contact_id_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_sends_response_id_survey_responses"),
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_sends_survey_id_surveys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sends")),
        sa.UniqueConstraint(
            "campaign_id", "contact_id", name=op.f("uq_survey_sends_campaign_id")
        ),
    )
    with op.batch_alter_table("survey_sends", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_sends_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_sends_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_sends_contact_id"), ["contact_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_sends", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_sends_contact_id"))
        batch_op.drop_index(batch_op.f("ix_survey_sends_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_survey_sends_account_id"))

    op.drop_table("survey_sends")
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_campaigns_survey_id"))

    op.drop_table("survey_campaigns")
    op.drop_table("surveys")
