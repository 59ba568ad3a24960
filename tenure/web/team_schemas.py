"""JSON shapes of the roster, assignment, onboarding, note-tag and churn-reason API.

Money is integer minor units (`*_cents`) beside `currency`.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tenure.web.portfolio import EARLIEST_DAY, LATEST_DAY
from tenure.web.schemas import NoteOut

# Printable text: control characters (NUL among them) never reach the store.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Text = Annotated[str, Field(max_length=200, pattern=PRINTABLE)]
Name = Annotated[
    str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")
]
UserId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
]
Day = Annotated[date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
Cents = Annotated[int, Field(ge=0, le=10**15)]
Role = Literal["admin", "leader", "csm", "viewer"]
Strategy = Literal["balance_count", "balance_arr", "round_robin"]
MilestoneState = Literal["pending", "done", "skipped"]


class UserOut(BaseModel):
    id: str
    name: str
    email: str
    role: str
    fte: float = Field(description="Share of a full-time job, above 0 and at most 1.")
    joined_on: date | None
    left_on: date | None = Field(description="First day away; null while on staff.")
    capacity_accounts: int | None = Field(description="null: no limit.")
    capacity_arr_cents: int | None = Field(description="null: no limit.")
    segments: list[str] = Field(description="Covered segments; empty: any.")
    territories: list[str] = Field(description="Covered countries; empty: any.")
    accounts: int = Field(description="Accounts in the book now.")
    arr_cents: int = Field(description="ARR of the book on as_of.")
    currency: str
    capacity_used: float | None = Field(
        description="Accounts over account capacity; null without a limit."
    )
    can_sign_in: bool = Field(description="Has a password and is not deactivated.")


class UserList(BaseModel):
    items: list[UserOut]
    total: int
    page: int
    pages: int


class UserIn(BaseModel):
    id: UserId | None = Field(
        default=None, description="Made from the e-mail when left out."
    )
    email: Annotated[
        str, Field(min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\x7f]*$")
    ]
    name: Name
    role: Role = "csm"
    fte: float = Field(default=1.0, gt=0, le=1)
    joined_on: Day | None = None
    capacity_accounts: Annotated[int, Field(ge=0, le=10**6)] | None = None
    capacity_arr_cents: Cents | None = None
    segments: list[Text] = Field(default_factory=list, max_length=50)
    territories: list[Text] = Field(default_factory=list, max_length=50)
    password: str | None = Field(
        default=None,
        max_length=200,
        description="At least 10 characters; without it an invitation link is "
        "returned, valid 7 days, for the user to choose one.",
    )


class UserCreatedOut(BaseModel):
    user: UserOut
    invitation_url: str | None = Field(
        description="Where the user chooses a password; null when one was given."
    )


class UserPatch(BaseModel):
    role: Role | None = None
    fte: float | None = Field(default=None, gt=0, le=1)
    capacity_accounts: Annotated[int, Field(ge=0, le=10**6)] | None = None
    capacity_arr_cents: Cents | None = None
    clear_limits: bool = Field(default=False, description="Remove both limits.")
    segments: list[Text] | None = Field(default=None, max_length=50)
    territories: list[Text] | None = Field(default=None, max_length=50)
    is_active: Literal[False] | None = Field(
        default=None,
        description="false deactivates the user: their password, sessions and "
        "tokens stop working; it cannot be undone.",
    )


class RuleOut(BaseModel):
    id: int
    name: str
    priority: int = Field(description="Lower is tried first.")
    segment: str | None = Field(description="Comma-separated; null matches any.")
    country: str | None
    plan: str | None
    strategy: str
    csm_ids: list[str] = Field(description="The pool; empty: every covering CSM.")
    is_default: bool


class RuleIn(BaseModel):
    name: Name
    priority: int = Field(default=100, ge=0, le=1_000_000)
    segment: Text | None = None
    country: Text | None = None
    plan: Text | None = None
    strategy: Strategy = "balance_count"
    csm_ids: list[UserId] = Field(default_factory=list, max_length=200)


class AssignIn(BaseModel):
    csm_id: UserId
    reason: Annotated[
        str, Field(min_length=1, max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")
    ]
    on: Day | None = Field(default=None, description="First day with the CSM; today.")


class StretchOut(BaseModel):
    csm_id: str
    starts_on: date
    ends_on: date | None = Field(description="First day with another CSM.")
    reason: str
    changed_by: str


class AssignmentOut(BaseModel):
    account_id: str
    csm_id: str | None
    changed: bool
    history: list[StretchOut]


class BookOut(BaseModel):
    csm_id: str
    as_of: date
    account_ids: list[str]


class DepartureIn(BaseModel):
    left_on: Day = Field(description="The first day the CSM is away.")


class MoveOut(BaseModel):
    account_id: str
    from_csm_id: str | None
    to_csm_id: str
    rule: str


class UnplacedOut(BaseModel):
    account_id: str
    reason: str


class DepartureOut(BaseModel):
    csm_id: str
    left_on: date
    applied: bool = Field(description="false for a preview.")
    moves: list[MoveOut]
    unassigned: list[UnplacedOut] = Field(
        description="Accounts no rule can place; a departure with any is refused."
    )


class StepOut(BaseModel):
    name: str
    due_after_days: int


class TemplateOut(BaseModel):
    segment: str = Field(description="'default' for accounts without a template.")
    steps: list[StepOut]


class StepIn(BaseModel):
    name: Name
    due_after_days: int = Field(ge=0, le=3650)


class TemplateIn(BaseModel):
    steps: list[StepIn] = Field(min_length=1, max_length=50)


class MilestoneOut(BaseModel):
    account_id: str
    account_name: str
    segment: str | None
    csm_id: str | None
    name: str
    started_on: date
    due_on: date
    status: str
    done_on: date | None
    is_overdue: bool = Field(description="Pending and due before as_of.")


class MilestoneList(BaseModel):
    items: list[MilestoneOut]
    total: int
    page: int
    pages: int


class MilestoneIn(BaseModel):
    status: MilestoneState
    done_on: Day | None = Field(
        default=None, description="For done; as_of if left out."
    )


class TagOut(BaseModel):
    name: str
    label: str
    is_active: bool


class TagIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\w+$")]
    label: Text | None = None


class NoteList(BaseModel):
    items: list[NoteOut]
    total: int
    page: int
    pages: int


class NoteTagsIn(BaseModel):
    tags: list[Annotated[str, Field(max_length=64, pattern=r"^\w*$")]] = Field(
        max_length=20
    )


class ReasonOut(BaseModel):
    reason: str
    label: str
    accounts: int = Field(description="Accounts that gave this reason.")
    churned_arr_cents: int
    contracted_arr_cents: int
    lost_arr_cents: int


class LostAccountOut(BaseModel):
    account_id: str
    name: str
    movement: str = Field(description="churn or contraction.")
    arr_cents: int
    reasons: list[str]
    source: str | None = Field(description="note, cancellation or null.")


class ChurnReasonsOut(BaseModel):
    period: str
    currency: str
    churned_arr_cents: int
    contracted_arr_cents: int
    reasons: list[ReasonOut] = Field(description="Largest lost ARR first.")
    accounts: list[LostAccountOut]
