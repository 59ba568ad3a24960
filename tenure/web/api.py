"""The JSON API under /api/: accounts, the account 360, metrics, renewals, notes."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from tenure.accounts.notes import add_note
from tenure.accounts.service import get_account_or_raise
from tenure.activity.rollups import rollup_store
from tenure.metrics.registry import resolve_metric
from tenure.web.account_view import (
    AccountFilter,
    AccountRow,
    SortKey,
    account_360,
    list_account_page,
)
from tenure.web.deps import AsOf, Caller, Db, portfolio_of
from tenure.web.metric_view import HEADLINE, SliceFilter, compute_suite, read_period
from tenure.web.portfolio import Portfolio
from tenure.web.schemas import (
    AccountDetailOut,
    AccountList,
    AccountSummary,
    ArrChangeOut,
    ContactOut,
    ContractLineOut,
    ErrorOut,
    MetricOut,
    NoteIn,
    NoteOut,
    RenewalOut,
)
from tenure.web.security import check_csrf, require_note_writer

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
OptionalText = Annotated[str | None, Query(max_length=200)]


def _summary(row: AccountRow, portfolio: Portfolio) -> AccountSummary:
    return AccountSummary(
        id=row.id,
        name=row.name,
        segment=row.segment,
        plan=row.plan,
        csm_id=row.csm_id,
        csm_name=row.csm_name,
        arr=portfolio.to_major(row.arr_cents),
        next_renewal_on=row.next_renewal_on,
    )


@router.get("/accounts")
def list_accounts(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    q: Annotated[
        str | None, Query(max_length=200, description="In name or id.")
    ] = None,
    csm: Annotated[
        str | None, Query(max_length=64, description="A CSM's user id.")
    ] = None,
    segment: OptionalText = None,
    renewal_within: Annotated[
        int | None, Query(ge=0, le=3650, description="Next renewal within N days.")
    ] = None,
    sort: SortKey = "name",
    desc: bool = False,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> AccountList:
    """Accounts with their CSM, ARR and next renewal, filtered, sorted and paged."""
    portfolio = portfolio_of(request, as_of)
    listing = list_account_page(
        db,
        portfolio,
        AccountFilter(
            q=q or None,
            csm_id=csm or None,
            segment=segment or None,
            renewal_within_days=renewal_within,
            sort=sort,
            descending=desc,
            page=page,
            per_page=per_page,
        ),
    )
    return AccountList(
        items=[_summary(row, portfolio) for row in listing.rows],
        total=listing.total,
        page=listing.page,
        pages=listing.pages,
        currency=portfolio.currency,
    )


@router.get("/accounts/{account_id}")
def get_account(
    request: Request, db: Db, caller: Caller, as_of: AsOf, account_id: str
) -> AccountDetailOut:
    """One account: ARR history, contract lines, renewals count, seats, contacts
    with their last login (from the daily rollups) and notes."""
    portfolio = portfolio_of(request, as_of)
    rollups = rollup_store(request.app.state.workspace.settings)
    view = account_360(db, portfolio, account_id, rollups=rollups)
    panel = view.contact_activity
    a = view.account
    row = AccountRow(
        a.id,
        a.name,
        a.segment,
        a.plan,
        a.csm_id,
        view.csm.name if view.csm else None,
        view.arr_cents,
        view.next_renewal_on,
    )
    return AccountDetailOut(
        account=_summary(row, portfolio),
        industry=a.industry,
        country=a.country,
        seats=view.seats,
        active_contacts_30d=panel.active_30d if panel else 0,
        contacts=[
            ContactOut(
                id=r.contact.id,
                name=r.contact.name,
                email=r.contact.email,
                role=r.contact.role,
                last_login_on=r.last_login_on,
                logins_30d=r.logins_30d,
            )
            for r in (panel.rows if panel else [])
        ],
        times_renewed=view.times_renewed,
        arr_history=[
            ArrChangeOut(
                on=c.on,
                kind=c.kind,
                arr_before=portfolio.to_major(c.arr_before_cents),
                arr_after=portfolio.to_major(c.arr_after_cents),
            )
            for c in view.arr_history
        ],
        contract_lines=[
            ContractLineOut.model_validate(line, from_attributes=True)
            for line in view.contract_lines
        ],
        notes=[NoteOut(**{**n.__dict__, "tags": list(n.tags)}) for n in view.notes],
    )


@router.get("/metrics")
def get_metrics(
    request: Request,
    caller: Caller,
    as_of: AsOf,
    period: Annotated[
        str, Query(max_length=40, description="2024, 2024-Q1, 2024-03 or A..B.")
    ],
    metric: Annotated[
        list[str] | None, Query(description="Slugs; the dashboard's set by default.")
    ] = None,
    segment: OptionalText = None,
    csm: Annotated[str | None, Query(max_length=64)] = None,
    rows: Annotated[bool, Query(description="Include the drill-down rows.")] = False,
) -> list[MetricOut]:
    """The metric suite for a period, whole or for one segment or CSM.

    Rates are fractions, money is in major units; `value` is null with a
    `reason` when the figure is undefined. `rows=true` adds the accounts,
    renewals or responses behind each figure.
    """
    chosen = read_period(period)
    names = tuple(resolve_metric(n).slug for n in metric) if metric else HEADLINE
    wanted = SliceFilter(segment=segment or None, csm_id=None if segment else csm)
    service = portfolio_of(request, as_of).service
    results = compute_suite(service, chosen, names=names, wanted=wanted)
    return [MetricOut(**r.to_dict(with_rows=rows)) for r in results]


@router.get("/renewals")
def list_renewals(
    request: Request,
    caller: Caller,
    as_of: AsOf,
    days: Annotated[int, Query(ge=1, le=366, description="Window after as_of.")] = 90,
) -> list[RenewalOut]:
    """Renewals due in the next `days` days after as_of, soonest first."""
    portfolio = portfolio_of(request, as_of)
    return [
        RenewalOut(
            account_id=r.account_id,
            line_id=r.line_id,
            due_on=r.due_on,
            arr_before_cents=r.arr_before_cents,
            currency=r.currency,
            source=r.source,
        )
        for r in portfolio.renewals_ahead(days)
    ]


@router.post("/accounts/{account_id}/notes", status_code=201)
def create_note(
    request: Request, db: Db, caller: Caller, account_id: str, note: NoteIn
) -> NoteOut:
    """Log a call, meeting, e-mail or note on an account as the caller.

    Viewers cannot; CSMs only on their own accounts. Session callers send the
    `X-CSRF-Token` header.
    """
    check_csrf(caller, request.headers.get("x-csrf-token"))
    account = get_account_or_raise(db, account_id).account
    require_note_writer(caller.user, account)
    view = add_note(
        db,
        account_id=account_id,
        author_id=caller.user.id,
        kind=note.kind,
        occurred_at=note.occurred_at or datetime.now(UTC),
        text=note.text,
    )
    db.commit()
    return NoteOut(**{**view.__dict__, "tags": list(view.tags)})
