"""Tables for surveys, campaigns, sends and survey responses."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenure.core.db import Base

SURVEY_KINDS = ("nps", "csat")


class SurveyResponse(Base):
    """One contact's answer to an NPS (0–10) or CSAT (1–5) survey."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    survey: Mapped[str] = mapped_column(String(128), default="nps")
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    kind: Mapped[str] = mapped_column(String(8), default="nps")
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# `sending`: handed to the SMTP server when a run stopped; never sent again.
SEND_STATUSES = ("queued", "sending", "sent", "failed")
CAMPAIGN_STATUSES = ("scheduled", "sent")


class Survey(Base):
    """An NPS or CSAT question with one follow-up question per score group.

    Score groups: NPS detractor 0–6, passive 7–8, promoter 9–10; CSAT
    unhappy 1–2 (the detractor follow-up), neutral 3, happy 4–5.
    """

    __tablename__ = "surveys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text)
    follow_up_detractor: Mapped[str] = mapped_column(Text)
    follow_up_passive: Mapped[str] = mapped_column(Text)
    follow_up_promoter: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SurveyCampaign(Base):
    """One scheduled sending of a survey to an audience, with its throttles."""

    __tablename__ = "survey_campaigns"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    # {"segments": [...], "roles": [...], "attributes": {"plan": [...], ...}}
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    sample_rate: Mapped[float | None] = mapped_column(Float)
    sample_size: Mapped[int | None] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A contact is skipped when answered within `answer_quiet_days` or sent an
    # unanswered survey within `send_quiet_days`.
    answer_quiet_days: Mapped[int] = mapped_column(Integer, default=90)
    send_quiet_days: Mapped[int] = mapped_column(Integer, default=30)
    # At most `account_limit` contacts of one account in `account_window_days`.
    account_limit: Mapped[int | None] = mapped_column(Integer)
    account_window_days: Mapped[int] = mapped_column(Integer, default=30)
    link_days: Mapped[int] = mapped_column(Integer, default=30)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SurveySend(Base):
    """One e-mail of a campaign to one contact; it yields at most one answer."""

    __tablename__ = "survey_sends"
    __table_args__ = (UniqueConstraint("campaign_id", "contact_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("survey_campaigns.id"), index=True
    )
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    response_id: Mapped[str | None] = mapped_column(ForeignKey("survey_responses.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
