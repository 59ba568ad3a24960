"""HTML pages for the team: roster, assignment rules, departures, onboarding board,
the reason list and churned ARR by reason."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.assignment import record_departure
from tenure.accounts.assignment_models import STRATEGIES
from tenure.accounts.assignment_rules import (
    add_rule,
    get_rule_or_raise,
    list_rules,
    remove_rule_by_id,
    update_rule,
)
from tenure.accounts.churn_reasons import churn_reasons
from tenure.accounts.models import User
from tenure.accounts.notes import add_note_tag, list_note_tags, retire_note_tag
from tenure.accounts.onboarding import MilestoneStatus, set_milestone_status
from tenure.accounts.roster import get_user_or_raise
from tenure.accounts.service import get_account_or_raise
from tenure.core.errors import InvalidInput, TenureError
from tenure.core.workspace import Workspace
from tenure.revenue.service import arr_by_account
from tenure.web.deps import AsOf, Caller, Db, portfolio_of
from tenure.web.metric_view import clip_to, read_period
from tenure.web.portfolio import metric_options
from tenure.web.rendering import render_page
from tenure.web.security import Identity, check_csrf
from tenure.web.team_access import (
    can_manage_assignments,
    require_account_editor,
    require_assignment_manager,
)
from tenure.web.team_view import onboarding_cards, roster_rows, segments_of

router = APIRouter(include_in_schema=False)
CsrfField = Annotated[str, Form()]
Status = Literal["pending", "done", "skipped"]
BOARD_COLUMNS = ("pending", "done", "skipped")


def _settings(request: Request) -> Any:
    workspace: Workspace = request.app.state.workspace
    return workspace.settings


def _csms(db: Session) -> list[User]:
    return list(db.scalars(select(User).where(User.role == "csm").order_by(User.id)))


@router.get("/team")
def roster_page(request: Request, db: Db, caller: Caller, as_of: AsOf) -> Response:
    rows = roster_rows(db, _settings(request), as_of=as_of)
    return render_page(
        request,
        "team/roster.html",
        caller,
        rows=rows,
        as_of=as_of,
        can_manage=can_manage_assignments(caller.user),
    )


def _rules_page(
    request: Request, db: Session, caller: Identity, *, problem: str | None = None
) -> Response:
    return render_page(
        request,
        "team/rules.html",
        caller,
        status_code=422 if problem else 200,
        rules=list_rules(db),
        csms=_csms(db),
        strategies=STRATEGIES,
        can_manage=can_manage_assignments(caller.user),
        problem=problem,
    )


@router.get("/team/rules")
def rules_page(request: Request, db: Db, caller: Caller) -> Response:
    return _rules_page(request, db, caller)


def _rule_fields(
    name: str, priority: str, segment: str, country: str, plan: str, strategy: str
) -> dict[str, Any]:
    if not priority.strip().isdigit():
        raise InvalidInput(
            f"priority {priority!r} is not a whole number; give 0 or more (lower "
            "is tried first)"
        )
    return {
        "name": name,
        "priority": int(priority),
        "segment": segment or None,
        "country": country or None,
        "plan": plan or None,
        "strategy": strategy,
    }


@router.post("/team/rules")
def create_rule_form(
    request: Request,
    db: Db,
    caller: Caller,
    name: Annotated[str, Form(max_length=100)],
    priority: Annotated[str, Form(max_length=9)] = "100",
    segment: Annotated[str, Form(max_length=200)] = "",
    country: Annotated[str, Form(max_length=200)] = "",
    plan: Annotated[str, Form(max_length=200)] = "",
    strategy: Annotated[str, Form(max_length=20)] = "balance_count",
    csm_ids: Annotated[list[str] | None, Form()] = None,
    csrf_token: CsrfField = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "change assignment rules")
    try:
        fields = _rule_fields(name, priority, segment, country, plan, strategy)
        add_rule(db, **fields, csm_ids=csm_ids or ())
    except InvalidInput as exc:
        db.rollback()
        return _rules_page(request, db, caller, problem=str(exc))
    db.commit()
    return RedirectResponse("/team/rules", status_code=303)


@router.post("/team/rules/{rule_id}")
def edit_rule_form(
    request: Request,
    db: Db,
    caller: Caller,
    rule_id: int,
    name: Annotated[str, Form(max_length=100)],
    priority: Annotated[str, Form(max_length=9)] = "100",
    segment: Annotated[str, Form(max_length=200)] = "",
    country: Annotated[str, Form(max_length=200)] = "",
    plan: Annotated[str, Form(max_length=200)] = "",
    strategy: Annotated[str, Form(max_length=20)] = "balance_count",
    csm_ids: Annotated[list[str] | None, Form()] = None,
    csrf_token: CsrfField = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "change assignment rules")
    try:
        fields = _rule_fields(name, priority, segment, country, plan, strategy)
        update_rule(db, rule_id, **fields, csm_ids=csm_ids or ())
    except InvalidInput as exc:
        db.rollback()
        return _rules_page(request, db, caller, problem=str(exc))
    db.commit()
    return RedirectResponse("/team/rules", status_code=303)


@router.post("/team/rules/{rule_id}/delete")
def delete_rule_form(
    db: Db, caller: Caller, rule_id: int, csrf_token: CsrfField = ""
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "change assignment rules")
    get_rule_or_raise(db, rule_id)
    remove_rule_by_id(db, rule_id)
    db.commit()
    return RedirectResponse("/team/rules", status_code=303)


@router.get("/team/users/{user_id}/departure")
def departure_page(
    request: Request,
    db: Db,
    caller: Caller,
    user_id: str,
    left_on: Annotated[date | None, Query()] = None,
) -> Response:
    """The form; with `left_on`, the preview of where the book would go."""
    user = get_user_or_raise(db, user_id)
    require_assignment_manager(caller.user, "preview departures")
    report, problem = None, None
    if left_on is not None:
        try:
            report = _departure(request, db, user_id, left_on, apply=False)
        except TenureError as exc:
            problem = str(exc)
        db.rollback()
    return render_page(
        request,
        "team/departure.html",
        caller,
        person=user,
        left_on=left_on,
        report=report,
        problem=problem,
    )


def _departure(
    request: Request, db: Session, user_id: str, left_on: date, *, apply: bool
) -> Any:
    settings = _settings(request)
    arr = arr_by_account(db, on=left_on, options=metric_options(settings, left_on))
    return record_departure(
        db, user_id, left_on=left_on, dry_run=not apply, arr_by_account=arr
    )


@router.post("/team/users/{user_id}/departure")
def confirm_departure(
    request: Request,
    db: Db,
    caller: Caller,
    user_id: str,
    left_on: Annotated[date, Form()],
    csrf_token: CsrfField = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "record departures")
    get_user_or_raise(db, user_id)
    report = _departure(request, db, user_id, left_on, apply=True)
    db.commit()
    return RedirectResponse(
        f"/team?departed={user_id}&moved={len(report.moves)}", status_code=303
    )


@router.get("/team/onboarding")
def onboarding_board(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    csm: Annotated[str | None, Query(max_length=64)] = None,
    segment: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
) -> Response:
    if csm is None and caller.user.role == "csm":
        csm = caller.user.id
    cards = onboarding_cards(
        db,
        as_of=as_of,
        csm_id=csm or None,
        segment=segment or None,
        overdue_only=overdue,
    )
    columns = {
        status: [c for c in cards if c.milestone.status == status]
        for status in BOARD_COLUMNS
    }
    return render_page(
        request,
        "team/onboarding.html",
        caller,
        columns=columns,
        overdue_count=sum(1 for c in cards if c.is_overdue),
        csm=csm or "",
        segment=segment or "",
        overdue=overdue,
        csms=_csms(db),
        segments=segments_of(db),
        as_of=as_of,
        can_edit=lambda milestone: _may_move(caller, milestone),
    )


def _may_move(caller: Identity, milestone: MilestoneStatus) -> bool:
    """`can_edit_account` without a query per card: the card knows its CSM."""
    if can_manage_assignments(caller.user):
        return True
    return caller.user.role == "csm" and milestone.csm_id == caller.user.id


@router.post("/team/onboarding/{account_id}/{name}")
def move_milestone(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    account_id: str,
    name: str,
    status: Annotated[Status, Form()],
    csrf_token: CsrfField = "",
) -> Response:
    check_csrf(caller, csrf_token or request.headers.get("x-csrf-token"))
    account = get_account_or_raise(db, account_id).account
    require_account_editor(caller.user, account, "change the onboarding")
    set_milestone_status(
        db,
        account_id,
        name,
        status=status,
        done_on=as_of if status == "done" else None,
    )
    db.commit()
    back = request.headers.get("referer") or "/team/onboarding"
    if not back.startswith(str(request.base_url)):
        back = "/team/onboarding"
    return RedirectResponse(back, status_code=303)


def _tags_page(
    request: Request, db: Session, caller: Identity, *, problem: str | None = None
) -> Response:
    return render_page(
        request,
        "team/tags.html",
        caller,
        status_code=422 if problem else 200,
        tags=list_note_tags(db, include_retired=True),
        can_manage=can_manage_assignments(caller.user),
        problem=problem,
    )


@router.get("/team/tags")
def tags_page(request: Request, db: Db, caller: Caller) -> Response:
    return _tags_page(request, db, caller)


@router.post("/team/tags")
def add_tag_form(
    request: Request,
    db: Db,
    caller: Caller,
    name: Annotated[str, Form(max_length=64)],
    label: Annotated[str, Form(max_length=200)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "change the reason list")
    try:
        add_note_tag(db, name, label=label.strip() or None)
    except InvalidInput as exc:
        db.rollback()
        return _tags_page(request, db, caller, problem=str(exc))
    db.commit()
    return RedirectResponse("/team/tags", status_code=303)


@router.post("/team/tags/{name}/retire")
def retire_tag_form(
    db: Db, caller: Caller, name: str, csrf_token: CsrfField = ""
) -> Response:
    check_csrf(caller, csrf_token)
    require_assignment_manager(caller.user, "change the reason list")
    retire_note_tag(db, name)
    db.commit()
    return RedirectResponse("/team/tags", status_code=303)


@router.get("/churn-reasons")
def churn_reasons_page(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    period: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    chosen = clip_to(read_period(period or str(as_of.year)), as_of)
    report = churn_reasons(db, portfolio_of(request, as_of).service, chosen)
    return render_page(request, "team/churn_reasons.html", caller, report=report)
