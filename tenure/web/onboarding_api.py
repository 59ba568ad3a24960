"""The JSON API for onboarding, note tags (the reason list) and churn by reason."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session

from tenure.accounts.churn_reasons import ChurnReasonReport, churn_reasons
from tenure.accounts.models import Account
from tenure.accounts.notes import (
    add_note_tag,
    get_note_or_raise,
    list_note_tags,
    list_notes,
    retire_note_tag,
    set_note_tags,
)
from tenure.accounts.onboarding import (
    DEFAULT_SEGMENT,
    set_milestone_status,
    set_template,
    template_for,
)
from tenure.accounts.service import get_account_or_raise
from tenure.web.deps import AsOf, Caller, Db, portfolio_of
from tenure.web.metric_view import clip_to, read_period
from tenure.web.schemas import ErrorOut, NoteOut
from tenure.web.security import check_csrf
from tenure.web.team_access import (
    require_account_editor,
    require_admin_for,
    require_assignment_manager,
)
from tenure.web.team_schemas import (
    PRINTABLE,
    ChurnReasonsOut,
    LostAccountOut,
    MilestoneIn,
    MilestoneList,
    MilestoneOut,
    MilestoneState,
    NoteList,
    NoteTagsIn,
    ReasonOut,
    StepOut,
    TagIn,
    TagOut,
    TemplateIn,
    TemplateOut,
)
from tenure.web.team_view import BoardCard, onboarding_cards, page_of, segments_of

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix="/api", tags=["onboarding"], responses=ERRORS)
DEFAULT = "default"
SegmentPath = Annotated[
    str, Path(max_length=64, pattern=PRINTABLE, description="A segment, or 'default'.")
]
Filter = Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)]


def _template_out(db: Session, segment: str) -> TemplateOut:
    steps = template_for(db, None if segment == DEFAULT else segment)
    return TemplateOut(
        segment=segment,
        steps=[StepOut(name=name, due_after_days=days) for name, days in steps],
    )


@router.get("/onboarding/templates")
def list_templates(db: Db, caller: Caller) -> list[TemplateOut]:
    """The onboarding milestones per segment: the default template, then each
    segment of the accounts (a segment without its own uses the default)."""
    return [_template_out(db, DEFAULT)] + [
        _template_out(db, segment) for segment in segments_of(db)
    ]


@router.put("/onboarding/templates/{segment}")
def replace_template(
    request: Request, db: Db, caller: Caller, segment: SegmentPath, body: TemplateIn
) -> TemplateOut:
    """Replace a segment's milestones, each due a number of days after the
    account's onboarding starts (admins only); 'default' is the fallback."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_admin_for(caller.user, "change onboarding templates")
    key = DEFAULT_SEGMENT if segment == DEFAULT else segment
    set_template(db, key, [(step.name, step.due_after_days) for step in body.steps])
    db.commit()
    return _template_out(db, segment)


def _milestone_out(card: BoardCard) -> MilestoneOut:
    m = card.milestone
    return MilestoneOut(
        account_id=m.account_id,
        account_name=card.account_name,
        segment=card.segment,
        csm_id=m.csm_id,
        name=m.name,
        started_on=m.started_on,
        due_on=m.due_on,
        status=m.status,
        done_on=m.done_on,
        is_overdue=card.is_overdue,
    )


@router.get("/onboarding/milestones")
def list_milestones(
    db: Db,
    caller: Caller,
    as_of: AsOf,
    csm: Annotated[
        str | None, Query(max_length=64, pattern=PRINTABLE, description="A CSM's id.")
    ] = None,
    segment: Filter = None,
    account: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    status: MilestoneState | None = None,
    overdue: Annotated[bool, Query(description="Only overdue milestones.")] = False,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> MilestoneList:
    """Onboarding milestones of the accounts, overdue first, then by due day."""
    cards = onboarding_cards(
        db,
        as_of=as_of,
        csm_id=csm or None,
        segment=segment or None,
        account_id=account or None,
        status=status,
        overdue_only=overdue,
    )
    first, pages = page_of(cards, page, per_page)
    return MilestoneList(
        items=[_milestone_out(card) for card in cards[first : first + per_page]],
        total=len(cards),
        page=min(page, pages),
        pages=pages,
    )


@router.put("/accounts/{account_id}/milestones/{name}")
def change_milestone(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    account_id: Annotated[str, Path(max_length=64, pattern=PRINTABLE)],
    name: Annotated[str, Path(max_length=64, pattern=PRINTABLE)],
    body: MilestoneIn,
) -> MilestoneOut:
    """Mark a milestone done (on `done_on`, as_of by default), skipped or pending
    again. The account's CSM, leaders and admins may; viewers may not."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    account = get_account_or_raise(db, account_id).account
    require_account_editor(caller.user, account, "change the onboarding")
    set_milestone_status(
        db,
        account_id,
        name,
        status=body.status,
        done_on=(body.done_on or as_of) if body.status == "done" else None,
    )
    db.commit()
    return _card_or_raise(db, account, name, as_of=as_of)


def _card_or_raise(
    db: Session, account: Account, name: str, *, as_of: AsOf
) -> MilestoneOut:
    cards = onboarding_cards(db, as_of=as_of, account_id=account.id)
    (card,) = [c for c in cards if c.milestone.name == name]
    return _milestone_out(card)


@router.get("/note-tags")
def list_tags(
    db: Db,
    caller: Caller,
    retired: Annotated[bool, Query(description="Include retired tags.")] = False,
) -> list[TagOut]:
    """The reason list notes are tagged with, by name."""
    return [
        TagOut(name=tag.name, label=tag.label, is_active=tag.is_active)
        for tag in list_note_tags(db, include_retired=retired)
    ]


@router.post("/note-tags", status_code=201)
def create_tag(request: Request, db: Db, caller: Caller, body: TagIn) -> TagOut:
    """Add a reason to the list, or bring a retired one back (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "change the reason list")
    tag = add_note_tag(db, body.name, label=body.label or None)
    db.commit()
    return TagOut(name=tag.name, label=tag.label, is_active=tag.is_active)


@router.delete("/note-tags/{name}", status_code=204)
def retire_tag(
    request: Request,
    db: Db,
    caller: Caller,
    name: Annotated[str, Path(max_length=64, pattern=PRINTABLE)],
) -> None:
    """Take a reason off the list for new notes; notes keep it (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "change the reason list")
    retire_note_tag(db, name)
    db.commit()


@router.get("/notes")
def list_account_notes(
    db: Db,
    caller: Caller,
    account: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    author: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    tag: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> NoteList:
    """Notes newest first, optionally of one account, author or reason tag."""
    notes = list_notes(
        db, account_id=account or None, author_id=author or None, tag=tag or None
    )
    first, pages = page_of(notes, page, per_page)
    return NoteList(
        items=[
            NoteOut(**{**n.__dict__, "tags": list(n.tags)})
            for n in notes[first : first + per_page]
        ],
        total=len(notes),
        page=min(page, pages),
        pages=pages,
    )


@router.put("/notes/{note_id}/tags")
def tag_note(
    request: Request,
    db: Db,
    caller: Caller,
    note_id: Annotated[str, Path(max_length=128, pattern=PRINTABLE)],
    body: NoteTagsIn,
) -> NoteOut:
    """Replace the stated reasons on a note; each must be on the reason list.
    The account's CSM, leaders and admins may."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    note = get_note_or_raise(db, note_id)
    account = get_account_or_raise(db, note.account_id).account
    require_account_editor(caller.user, account, "tag the notes")
    view = set_note_tags(db, note_id, body.tags)
    db.commit()
    return NoteOut(**{**view.__dict__, "tags": list(view.tags)})


def churn_reasons_out(report: ChurnReasonReport) -> ChurnReasonsOut:
    return ChurnReasonsOut(
        period=report.period.label,
        currency=report.currency,
        churned_arr_cents=report.churned_arr_cents,
        contracted_arr_cents=report.contracted_arr_cents,
        reasons=[
            ReasonOut(**t.__dict__, lost_arr_cents=t.lost_arr_cents)
            for t in report.reasons
        ],
        accounts=[
            LostAccountOut(**{**a.__dict__, "reasons": list(a.reasons)})
            for a in report.accounts
        ],
    )


@router.get("/churn-reasons")
def get_churn_reasons(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    period: Annotated[
        str, Query(max_length=40, description="2024, 2024-Q1, 2024-03 or A..B.")
    ],
) -> ChurnReasonsOut:
    """Churned and contracted ARR of a period (up to as_of) grouped by the reason
    each account stated: its latest tagged note, else its cancellation reason,
    else '(no reason given)'. An account with several reasons splits its loss
    evenly; the reasons add up to the ARR bridge's churn and contraction."""
    chosen = clip_to(read_period(period), as_of)
    portfolio = portfolio_of(request, as_of)
    return churn_reasons_out(churn_reasons(db, portfolio.service, chosen))
