"""health scorecards and scores, alert rules and alerts, notification outbox

Creates the default scorecard and the built-in alert rules.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# measure, weight, [lower bound, points] pairs (see docs/health.md)
DEFAULT_MEASURES = [
    ("days_since_last_login", 20, [[0, 100], [8, 75], [15, 40], [31, 0]]),
    ("seat_utilisation_rate", 10, [[0, 0], [0.25, 30], [0.5, 70], [0.8, 100]]),
    ("usage_trend_rate", 15, [[-1, 0], [-0.5, 25], [-0.2, 60], [-0.05, 100]]),
    ("nps_average", 10, [[0, 0], [7, 60], [9, 100]]),
    ("open_tickets", 5, [[0, 100], [3, 60], [6, 20]]),
    ("escalated_tickets", 5, [[0, 100], [1, 50], [3, 0]]),
    ("ticket_satisfaction", 5, [[1, 0], [3, 40], [4, 80], [4.5, 100]]),
    ("arr_trend_rate", 15, [[-1, 0], [-0.2, 30], [-0.05, 60], [0, 80], [0.05, 100]]),
    ("days_to_renewal", 5, [[0, 40], [30, 60], [90, 100]]),
    ("negative_note_tags", 10, [[0, 100], [1, 50], [3, 0]]),
]
BUILT_IN_RULES = [
    ("no_login", "No login for 30 days", "days_since_last_login >= 30", "high", 7, True),
    ("health_red", "Health fell into red", 'band == "red"', "high", 7, True),
    ("detractor", "Detractor survey answer", "detractor_responses >= 1", "medium", 0,
     False),
    ("renewal_at_risk", "Renewal within 90 days while red",
     'days_to_renewal <= 90 and band == "red"', "high", 7, True),
    ("seats_unused", "Fewer than half the seats in use",
     "seat_utilisation_rate < 0.5", "low", 30, True),
    ("no_csm", "Account without a CSM", "has_csm == false", "medium", 0, True),
]  # fmt: skip


def upgrade() -> None:
    _create_health_tables()
    _create_alert_tables()
    _create_outbox_tables()
    _seed()


def _create_health_tables() -> None:
    op.create_table(
        "health_scorecards",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("red_below", sa.Integer(), nullable=False),
        sa.Column("green_from", sa.Integer(), nullable=False),
        sa.Column("activity_events", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_scorecards")),
    )
    op.create_table(
        "health_scorecard_measures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scorecard_id", sa.String(length=64), nullable=False),
        sa.Column("measure", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["health_scorecards.id"],
            name=op.f("fk_health_scorecard_measures_scorecard_id_health_scorecards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_scorecard_measures")),
        sa.UniqueConstraint(
            "scorecard_id",
            "measure",
            name=op.f("uq_health_scorecard_measures_scorecard_id"),
        ),
    )
    op.create_index(
        op.f("ix_health_scorecard_measures_scorecard_id"),
        "health_scorecard_measures",
        ["scorecard_id"],
    )
    op.create_table(
        "health_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("scorecard_id", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=16), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_health_scores_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["health_scorecards.id"],
            name=op.f("fk_health_scores_scorecard_id_health_scorecards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_scores")),
        sa.UniqueConstraint(
            "account_id",
            "scorecard_id",
            "as_of",
            name=op.f("uq_health_scores_account_id"),
        ),
    )
    op.create_index(
        op.f("ix_health_scores_account_id"), "health_scores", ["account_id"]
    )
    op.create_index(op.f("ix_health_scores_as_of"), "health_scores", ["as_of"])


def _create_alert_tables() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("cooldown_days", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_auto_closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.String(length=64), nullable=True),
        sa.Column("fired_on", sa.Date(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_by", sa.String(length=64), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_alerts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_alerts_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["alert_rules.id"], name=op.f("fk_alerts_rule_id_alert_rules")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_account_id"), "alerts", ["account_id"])
    op.create_index(op.f("ix_alerts_rule_id"), "alerts", ["rule_id"])
    op.create_index(op.f("ix_alerts_status"), "alerts", ["status"])
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_events_alert_id_alerts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    op.create_index(op.f("ix_alert_events_alert_id"), "alert_events", ["alert_id"])
    op.create_table(
        "alert_runs",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_alert_runs")),
    )


def _create_outbox_tables() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_notifications_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_notifications_status"), "notifications", ["status"])
    op.create_table(
        "in_app_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_in_app_messages_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_in_app_messages")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_in_app_messages_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_in_app_messages_user_id"), "in_app_messages", ["user_id"])


def _seed() -> None:
    scorecards = sa.table(
        "health_scorecards",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("is_default", sa.Boolean),
        sa.column("red_below", sa.Integer),
        sa.column("green_from", sa.Integer),
        sa.column("activity_events", sa.JSON),
    )
    measures = sa.table(
        "health_scorecard_measures",
        sa.column("scorecard_id", sa.String),
        sa.column("measure", sa.String),
        sa.column("weight", sa.Integer),
        sa.column("thresholds", sa.JSON),
    )
    rules = sa.table(
        "alert_rules",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("condition", sa.Text),
        sa.column("severity", sa.String),
        sa.column("cooldown_days", sa.Integer),
        sa.column("is_active", sa.Boolean),
        sa.column("is_auto_closed", sa.Boolean),
    )
    op.bulk_insert(
        scorecards,
        [
            {
                "id": "default",
                "name": "Default scorecard",
                "is_default": True,
                "red_below": 40,
                "green_from": 70,
                "activity_events": ["login"],
            }
        ],
    )
    op.bulk_insert(
        measures,
        [
            {"scorecard_id": "default", "measure": m, "weight": w, "thresholds": t}
            for m, w, t in DEFAULT_MEASURES
        ],
    )
    op.bulk_insert(
        rules,
        [
            {
                "id": rule_id,
                "name": name,
                "condition": condition,
                "severity": severity,
                "cooldown_days": cooldown,
                "is_active": True,
                "is_auto_closed": auto_close,
            }
            for rule_id, name, condition, severity, cooldown, auto_close in (
                BUILT_IN_RULES
            )
        ],
    )


def downgrade() -> None:
    for table in (
        "in_app_messages",
        "notifications",
        "alert_runs",
        "alert_events",
        "alerts",
        "alert_rules",
        "health_scores",
        "health_scorecard_measures",
        "health_scorecards",
    ):
        op.drop_table(table)
