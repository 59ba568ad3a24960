"""JSON shapes of the settings API: scorecards, alert rules, users and tokens."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

# Printable text only: the store refuses control characters in some databases.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Printable = Annotated[str, Field(pattern=PRINTABLE)]
Role = Literal["admin", "leader", "csm", "viewer"]
Severity = Literal["low", "medium", "high"]


class MeasureIn(BaseModel):
    measure: str = Field(max_length=64, pattern=PRINTABLE)
    weight: int = Field(description="0 keeps the measure without weight.")
    thresholds: list[list[float]] = Field(
        description="`[lower_bound, points]` pairs, points 0–100; a value earns "
        "the points of the highest bound at or below it."
    )


class ScorecardIn(BaseModel):
    name: str = Field(max_length=200, pattern=PRINTABLE)
    red_below: int = Field(description="Scores below this are red.")
    green_from: int = Field(description="Scores from this up are green.")
    measures: list[MeasureIn] = Field(max_length=50)


class MeasureOut(BaseModel):
    measure: str
    weight: int
    thresholds: list[list[float]]


class ChangeOut(BaseModel):
    changed_by: str = Field(description="The user id who made the change.")
    changed_at: datetime
    before: dict[str, Any] | None = Field(description="null when created.")
    after: dict[str, Any]


class ScorecardOut(BaseModel):
    id: str
    name: str
    is_default: bool
    red_below: int
    green_from: int
    measures: list[MeasureOut]
    changes: list[ChangeOut] = Field(description="Latest first; empty in lists.")


class AlertRuleIn(BaseModel):
    name: str = Field(max_length=200, pattern=PRINTABLE)
    condition: str = Field(
        max_length=2000,
        pattern=PRINTABLE,
        description='For example `days_since_last_login >= 30 and band == "red"`.',
    )
    severity: Severity = "medium"
    cooldown_days: int = Field(
        default=7, description="Days after a resolved alert before firing again."
    )
    is_active: bool = True
    is_auto_closed: bool = Field(
        default=True, description="Resolve when the condition no longer holds."
    )


class AlertRuleCreate(AlertRuleIn):
    id: str = Field(
        max_length=64, description="Lower-case letters, digits, `_` and `-`."
    )


class AlertRuleOut(BaseModel):
    id: str
    name: str
    condition: str
    severity: str
    cooldown_days: int
    is_active: bool
    is_auto_closed: bool
    changes: list[ChangeOut] = Field(description="Latest first; empty in lists.")


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=PRINTABLE)


class TokenOut(BaseModel):
    id: str
    name: str
    user_id: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The bearer token; shown only in this answer.")
