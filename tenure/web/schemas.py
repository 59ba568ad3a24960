"""JSON shapes of the API (money in major units of the reporting currency)."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="A stable machine-readable code.")
    message: str = Field(description="One sentence saying what was wrong.")


class ErrorOut(BaseModel):
    error: ErrorBody


class AccountSummary(BaseModel):
    id: str
    name: str
    segment: str | None
    plan: str | None
    csm_id: str | None
    csm_name: str | None
    arr: float = Field(description="ARR on as_of, reporting currency.")
    next_renewal_on: date | None


class AccountList(BaseModel):
    items: list[AccountSummary]
    total: int = Field(description="Accounts matching the filters, all pages.")
    page: int
    pages: int
    currency: str


class ArrChangeOut(BaseModel):
    on: date
    kind: str
    arr_before: float
    arr_after: float


class ContractLineOut(BaseModel):
    id: str
    product: str | None
    kind: str
    starts_on: date
    ends_on: date | None
    interval: str
    interval_count: int
    amount_cents: int
    currency: str
    quantity: int | None


class NoteOut(BaseModel):
    id: str
    account_id: str
    author_id: str | None
    kind: str
    occurred_at: datetime
    text: str
    tags: list[str]


class ContactOut(BaseModel):
    id: str
    name: str | None
    email: str | None
    role: str | None
    last_login_on: date | None = Field(description="null when never seen.")
    logins_30d: int = Field(description="Logins in the 30 days ending on as_of.")


class AccountDetailOut(BaseModel):
    account: AccountSummary
    industry: str | None
    country: str | None
    seats: int
    active_contacts_30d: int = Field(
        description="Contacts with any event in the 30 days ending on as_of."
    )
    contacts: list[ContactOut] = Field(description="Most recent login first.")
    times_renewed: int
    arr_history: list[ArrChangeOut]
    contract_lines: list[ContractLineOut]
    notes: list[NoteOut]


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000, description="What happened.")
    kind: str = Field(default="note", description="call, meeting, email or note.")
    occurred_at: datetime | None = Field(
        default=None, description="When it happened; now when left out."
    )


class MetricOut(BaseModel):
    metric: str
    label: str
    unit: str
    period: str
    slice: str | None
    value: float | None = Field(description="null exactly when undefined.")
    numerator: float | None
    denominator: float | None
    reason: str | None = Field(description="Why the value is null, when it is.")
    parts: dict[str, Any]
    rows: list[dict[str, Any]] | None = None


class RenewalOut(BaseModel):
    account_id: str
    line_id: str | None
    due_on: date
    arr_before_cents: int
    currency: str
    source: str


class MeasurePartOut(BaseModel):
    measure: str
    value: float | None = Field(description="null when the measure has no data.")
    points: float | None = Field(description="0–100; null when missing.")
    weight: int
    weight_share: float = Field(description="Share of the weight actually used.")
    contribution: float = Field(description="Points times share; 0 when missing.")
    is_missing: bool


class WeekAgoOut(BaseModel):
    as_of: date
    score: int
    band: str
    score_change: int


class MeasureChangeOut(BaseModel):
    measure: str
    value_before: float | None
    value: float | None
    contribution_change: float


class HealthOut(BaseModel):
    account_id: str
    scorecard_id: str
    as_of: date = Field(description="The day the score was computed.")
    score: int = Field(description="0–100.")
    band: str = Field(description="red, yellow or green.")
    measures: list[MeasurePartOut]
    week_ago: WeekAgoOut | None = Field(
        description="null without a score 7 days before."
    )
    changes: list[MeasureChangeOut] = Field(description="Largest move first.")


class AlertOut(BaseModel):
    id: int
    rule_id: str
    rule_name: str
    account_id: str
    account_name: str
    severity: str
    status: str = Field(description="open, acknowledged, snoozed or resolved.")
    assignee_id: str | None
    assignee_name: str | None
    fired_on: date
    values: dict[str, Any] = Field(description="The rule's inputs when it fired.")
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    snoozed_by: str | None
    snoozed_until: date | None
    resolved_by: str | None
    resolved_at: datetime | None


class AlertList(BaseModel):
    items: list[AlertOut]
    total: int = Field(description="Alerts matching the filters, all pages.")
    page: int
    pages: int


class SnoozeIn(BaseModel):
    until: date = Field(description="The alert reopens on this day; after today.")
