"""The JSON API for the roster, assignment rules, assignments and departures."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session

from tenure.accounts.assignment import (
    AssignmentReport,
    assign_account,
    record_departure,
)
from tenure.accounts.assignment_history import assignment_history, book_of_business
from tenure.accounts.assignment_rules import (
    RuleView,
    add_rule,
    get_rule_or_raise,
    list_rules,
    remove_rule_by_id,
    update_rule,
)
from tenure.accounts.roster import (
    get_user_or_raise,
    set_capacity,
    set_coverage,
)
from tenure.accounts.service import get_account_or_raise
from tenure.core.workspace import Workspace
from tenure.revenue.service import arr_by_account
from tenure.web.deps import AsOf, Caller, Db
from tenure.web.portfolio import metric_options
from tenure.web.schemas import ErrorOut
from tenure.web.security import check_csrf
from tenure.web.team_access import require_admin_for, require_assignment_manager
from tenure.web.team_schemas import (
    PRINTABLE,
    AssignIn,
    AssignmentOut,
    BookOut,
    DepartureIn,
    DepartureOut,
    MoveOut,
    Role,
    RuleIn,
    RuleOut,
    StretchOut,
    UnplacedOut,
    UserCreatedOut,
    UserIn,
    UserList,
    UserOut,
    UserPatch,
)
from tenure.web.team_view import RosterRow, page_of, roster_rows
from tenure.web.user_actions import add_web_user, invitation_url
from tenure.web.user_actions import change_user as change_access

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix="/api", tags=["team"], responses=ERRORS)
UserPath = Annotated[
    str, Path(max_length=64, pattern=PRINTABLE, description="The user's id.")
]
RulePath = Annotated[int, Path(ge=1, le=2**31 - 1, description="The rule's id.")]
AccountPath = Annotated[
    str, Path(max_length=64, pattern=PRINTABLE, description="The account's id.")
]


def _workspace(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


def _user_out(row: RosterRow, currency: str) -> UserOut:
    u = row.user
    return UserOut(
        id=u.id,
        name=u.name,
        email=u.email,
        role=u.role,
        fte=float(u.fte),
        joined_on=u.joined_on,
        left_on=u.left_on,
        capacity_accounts=u.capacity_accounts,
        capacity_arr_cents=u.capacity_arr_cents,
        segments=sorted(row.coverage.segments),
        territories=sorted(row.coverage.territories),
        accounts=row.accounts,
        arr_cents=row.arr_cents,
        currency=currency,
        capacity_used=row.capacity_used,
        can_sign_in=u.password_hash is not None,
    )


def _one_user(request: Request, db: Session, user_id: str, as_of: AsOf) -> UserOut:
    settings = _workspace(request).settings
    get_user_or_raise(db, user_id)
    (row,) = [r for r in roster_rows(db, settings, as_of=as_of) if r.user.id == user_id]
    return _user_out(row, settings.reporting_currency)


@router.get("/users")
def list_roster(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    role: Annotated[Role | None, Query(description="Only this role.")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> UserList:
    """The roster: users with role, FTE, capacity, coverage and the book they hold
    now (accounts, and its ARR on as_of), by id."""
    settings = _workspace(request).settings
    rows = roster_rows(db, settings, as_of=as_of, role=role)
    first, pages = page_of(rows, page, per_page)
    return UserList(
        items=[
            _user_out(row, settings.reporting_currency)
            for row in rows[first : first + per_page]
        ],
        total=len(rows),
        page=min(page, pages),
        pages=pages,
    )


@router.get("/users/{user_id}")
def get_roster_user(
    request: Request, db: Db, caller: Caller, as_of: AsOf, user_id: UserPath
) -> UserOut:
    """One user of the roster with their book."""
    return _one_user(request, db, user_id, as_of)


@router.post("/users", status_code=201)
def create_user(
    request: Request, db: Db, caller: Caller, as_of: AsOf, body: UserIn
) -> UserCreatedOut:
    """Add a user to the roster (admins only) with a first password, or with an
    invitation link for them to choose one (valid 7 days, used once). The e-mail
    must be unique without regard to case."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_admin_for(caller.user, "add users")
    user = add_web_user(
        db,
        email=body.email,
        name=body.name,
        role=body.role,
        fte=Decimal(str(body.fte)),
        user_id=body.id,
        password=body.password,
        joined_on=body.joined_on,
        capacity_accounts=body.capacity_accounts,
        capacity_arr_cents=body.capacity_arr_cents,
        segments=body.segments,
        territories=body.territories,
    )
    db.commit()
    link = None if body.password else invitation_url(request, user)
    return UserCreatedOut(
        user=_one_user(request, db, user.id, as_of), invitation_url=link
    )


@router.patch("/users/{user_id}")
def change_user(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    user_id: UserPath,
    body: UserPatch,
) -> UserOut:
    """Change a user's role, FTE, capacity or coverage, or deactivate them with
    `is_active: false` (admins only; never your own admin access); fields left
    out keep their value, `clear_limits` removes both capacity limits."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_admin_for(caller.user, "change users")
    change_access(
        db,
        caller.user,
        user_id,
        role=body.role,
        deactivate=body.is_active is False,
    )
    set_capacity(
        db,
        user_id,
        fte=Decimal(str(body.fte)) if body.fte is not None else None,
        capacity_accounts=body.capacity_accounts,
        capacity_arr_cents=body.capacity_arr_cents,
        clear_limits=body.clear_limits,
    )
    if body.segments is not None or body.territories is not None:
        coverage = _one_user(request, db, user_id, as_of)
        set_coverage(
            db,
            user_id,
            segments=body.segments if body.segments is not None else coverage.segments,
            territories=body.territories
            if body.territories is not None
            else coverage.territories,
        )
    db.commit()
    return _one_user(request, db, user_id, as_of)


def _rule_out(rule: RuleView) -> RuleOut:
    return RuleOut(
        **{**rule.__dict__, "csm_ids": list(rule.csm_ids)}, is_default=rule.is_default
    )


@router.get("/assignment-rules")
def list_assignment_rules(db: Db, caller: Caller) -> list[RuleOut]:
    """Assignment rules in the order they are tried (priority, then id)."""
    return [_rule_out(rule) for rule in list_rules(db)]


@router.get("/assignment-rules/{rule_id}")
def get_assignment_rule(db: Db, caller: Caller, rule_id: RulePath) -> RuleOut:
    """One assignment rule."""
    return _rule_out(get_rule_or_raise(db, rule_id))


@router.post("/assignment-rules", status_code=201)
def create_assignment_rule(
    request: Request, db: Db, caller: Caller, body: RuleIn
) -> RuleOut:
    """Add a rule (leaders and admins). Criteria hold one value or a
    comma-separated list; a rule without criteria matches every account."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "change assignment rules")
    rule = add_rule(db, **body.model_dump())
    db.commit()
    return _rule_out(rule)


@router.put("/assignment-rules/{rule_id}")
def replace_assignment_rule(
    request: Request, db: Db, caller: Caller, rule_id: RulePath, body: RuleIn
) -> RuleOut:
    """Replace every field of a rule (leaders and admins); accounts already
    assigned keep their CSM until the next run or a departure."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "change assignment rules")
    rule = update_rule(db, rule_id, **body.model_dump())
    db.commit()
    return _rule_out(rule)


@router.delete("/assignment-rules/{rule_id}", status_code=204)
def delete_assignment_rule(
    request: Request, db: Db, caller: Caller, rule_id: RulePath
) -> None:
    """Remove a rule (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "change assignment rules")
    remove_rule_by_id(db, rule_id)
    db.commit()


def _assignment_out(db: Session, account_id: str, changed: bool) -> AssignmentOut:
    account = get_account_or_raise(db, account_id).account
    return AssignmentOut(
        account_id=account_id,
        csm_id=account.csm_id,
        changed=changed,
        history=[
            StretchOut(
                csm_id=s.csm_id,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                reason=s.reason,
                changed_by=s.changed_by,
            )
            for s in assignment_history(db, account_id)
        ],
    )


@router.get("/accounts/{account_id}/csm")
def get_account_csm(db: Db, caller: Caller, account_id: AccountPath) -> AssignmentOut:
    """The account's CSM now and every earlier stretch, oldest first: who owned
    the account on a past day is the stretch with starts_on ≤ day < ends_on."""
    return _assignment_out(db, account_id, changed=False)


@router.put("/accounts/{account_id}/csm")
def override_account_csm(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    account_id: AccountPath,
    body: AssignIn,
) -> AssignmentOut:
    """Give an account to a CSM by hand from `on` (today by default), overriding
    the rules, with a reason kept in the history (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "assign accounts")
    changed = assign_account(
        db,
        account_id,
        body.csm_id,
        as_of=body.on or as_of,
        reason=body.reason,
        changed_by=caller.user.id,
    )
    db.commit()
    return _assignment_out(db, account_id, changed=changed)


@router.get("/users/{user_id}/book")
def get_book(db: Db, caller: Caller, as_of: AsOf, user_id: UserPath) -> BookOut:
    """The accounts in a CSM's book of business on as_of, from the history."""
    get_user_or_raise(db, user_id)
    return BookOut(
        csm_id=user_id,
        as_of=as_of,
        account_ids=book_of_business(db, user_id, as_of=as_of),
    )


def _departure(
    request: Request, db: Session, user_id: str, body: DepartureIn, *, apply: bool
) -> DepartureOut:
    settings = _workspace(request).settings
    arr = arr_by_account(
        db, on=body.left_on, options=metric_options(settings, body.left_on)
    )
    report: AssignmentReport = record_departure(
        db, user_id, left_on=body.left_on, dry_run=not apply, arr_by_account=arr
    )
    if apply:
        db.commit()
    else:
        db.rollback()
    return DepartureOut(
        csm_id=user_id,
        left_on=body.left_on,
        applied=apply,
        moves=[MoveOut(**move.__dict__) for move in report.moves],
        unassigned=[UnplacedOut(**item.__dict__) for item in report.unassigned],
    )


@router.post("/users/{user_id}/departure/preview")
def preview_departure(
    request: Request, db: Db, caller: Caller, user_id: UserPath, body: DepartureIn
) -> DepartureOut:
    """Where the CSM's book would go if they left on `left_on`; writes nothing
    (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "preview departures")
    return _departure(request, db, user_id, body, apply=False)


@router.post("/users/{user_id}/departure")
def apply_departure(
    request: Request, db: Db, caller: Caller, user_id: UserPath, body: DepartureIn
) -> DepartureOut:
    """Record the CSM's last day and move their whole book by the rules from
    `left_on`; refused, with nothing changed, when any account would be left
    without a CSM (leaders and admins)."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_assignment_manager(caller.user, "record departures")
    return _departure(request, db, user_id, body, apply=True)
