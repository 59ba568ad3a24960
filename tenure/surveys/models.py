"""Tables for survey responses."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
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
