"""HTML pages for people: sign-in, dashboard, accounts, book, renewals."""

import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from tenure.accounts.access import authenticate, close_session, open_session
from tenure.accounts.models import Account, User
from tenure.accounts.notes import add_note, list_notes
from tenure.accounts.roster import get_user_or_raise
from tenure.accounts.service import get_account_or_raise
from tenure.activity.rollups import rollup_store
from tenure.core.time import Grain
from tenure.metrics.registry import resolve_metric
from tenure.web.account_view import (
    BAND_CHOICES,
    SORT_KEYS,
    AccountFilter,
    SortKey,
    account_360,
)
from tenure.web.account_view import list_account_page as account_page
from tenure.web.deps import AsOf, Caller, Db, portfolio_of
from tenure.web.errors import CsrfRejected
from tenure.web.metric_view import (
    SliceFilter,
    clip_to,
    compute_suite,
    compute_trends,
    read_period,
)
from tenure.web.portfolio import ArrChange
from tenure.web.rendering import render_page
from tenure.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Identity,
    can_write_notes,
    check_csrf,
    identify,
    now_utc,
    require_note_writer,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
OptionalText = Annotated[str | None, Query()]


def _render(
    request: Request,
    name: str,
    identity: Identity | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render_page(request, name, identity, status_code=status_code, **context)


def _default_period(as_of: Any) -> str:
    return str(as_of.year)


@router.get("/login")
def login_form(request: Request, db: Db) -> Response:
    if identify(request, db) is not None:
        return RedirectResponse("/", status_code=303)
    token = secrets.token_urlsafe(32)
    response = _render(request, "login.html", None, login_csrf=token, problem=None)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/login",
    )
    return response


@router.post("/login")
def login(
    request: Request,
    db: Db,
    email: Text,
    password: Text,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        raise CsrfRejected("the sign-in form has expired; reload it and try again")
    user = authenticate(db, email, password)
    if user is None:
        db.commit()
        return _render(
            request,
            "login.html",
            None,
            status_code=401,
            login_csrf=expected,
            problem="That e-mail and password do not match a user.",
        )
    opened = open_session(db, user, now=now_utc())
    db.commit()
    response = RedirectResponse("/", status_code=303)
    max_age = int((opened.expires_at - now_utc()).total_seconds())
    set_session_cookie(response, request, opened.session_id, max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(db: Db, caller: Caller, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(caller, csrf_token)
    if caller.session_id:
        close_session(db, caller.session_id)
    db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def dashboard(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    period: OptionalText = None,
    grain: Annotated[Grain, Query()] = "month",
    segment: OptionalText = None,
    csm: OptionalText = None,
) -> Response:
    chosen = clip_to(read_period(period or _default_period(as_of)), as_of)
    wanted = SliceFilter(segment=segment or None, csm_id=None if segment else csm)
    service = portfolio_of(request, as_of).service
    results = compute_suite(service, chosen, wanted=wanted)
    trends = compute_trends(service, chosen, grain, wanted=wanted)
    accounts = list(db.scalars(select(Account)))
    return _render(
        request,
        "dashboard.html",
        caller,
        results=results,
        trends={t.slug: t for t in trends},
        period=chosen,
        grain=grain,
        segment=wanted.segment,
        csm=wanted.csm_id,
        segments=sorted({a.segment for a in accounts if a.segment}),
        csms=list(db.scalars(select(User).where(User.role == "csm"))),
    )


@router.get("/metrics/{slug}")
def drill_down(
    request: Request,
    caller: Caller,
    as_of: AsOf,
    slug: str,
    period: OptionalText = None,
    segment: OptionalText = None,
    csm: OptionalText = None,
) -> Response:
    spec = resolve_metric(slug)
    chosen = read_period(period or _default_period(as_of))
    wanted = SliceFilter(segment=segment or None, csm_id=None if segment else csm)
    service = portfolio_of(request, as_of).service
    results = compute_suite(service, chosen, names=(spec.slug,), wanted=wanted)
    rows = results[0].rows if results else []
    columns = list(rows[0]) if rows else []
    return _render(
        request,
        "drill.html",
        caller,
        result=results[0],
        spec=spec,
        rows=rows,
        columns=columns,
        period=chosen,
        segment=wanted.segment,
        csm=wanted.csm_id,
    )


@router.get("/accounts")
def accounts_list(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    q: OptionalText = None,
    csm: OptionalText = None,
    segment: OptionalText = None,
    renewal_within: Annotated[str | None, Query(max_length=4, pattern=r"^\d*$")] = None,
    band: Annotated[
        str | None, Query(pattern=r"^(red|yellow|green|unscored)?$")
    ] = None,
    sort: Annotated[SortKey, Query()] = "name",
    desc: bool = False,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    wanted = AccountFilter(
        q=q or None,
        csm_id=csm or None,
        segment=segment or None,
        renewal_within_days=int(renewal_within) if renewal_within else None,
        band=band or None,
        sort=sort,
        descending=desc,
        page=page,
    )
    listing = account_page(db, portfolio_of(request, as_of), wanted)
    accounts = list(db.scalars(select(Account)))
    return _render(
        request,
        "accounts.html",
        caller,
        listing=listing,
        wanted=wanted,
        links=_list_links(wanted, listing.pages),
        segments=sorted({a.segment for a in accounts if a.segment}),
        csms=list(db.scalars(select(User).where(User.role == "csm"))),
        bands=BAND_CHOICES,
    )


def _list_links(wanted: AccountFilter, pages: int) -> dict[str, Any]:
    params = {
        "q": wanted.q,
        "csm": wanted.csm_id,
        "segment": wanted.segment,
        "renewal_within": wanted.renewal_within_days,
        "band": wanted.band,
        "sort": wanted.sort,
        "desc": "true" if wanted.descending else None,
        "page": wanted.page,
    }

    def link(**changes: Any) -> str:
        merged = {k: v for k, v in {**params, **changes}.items() if v is not None}
        return "/accounts?" + urlencode(merged)

    flip = {key: key == wanted.sort and not wanted.descending for key in SORT_KEYS}
    return {
        "sort": {
            key: link(sort=key, desc="true" if flip[key] else None, page=1)
            for key in SORT_KEYS
        },
        "sorted": wanted.sort,
        "descending": wanted.descending,
        "previous": link(page=wanted.page - 1) if wanted.page > 1 else None,
        "next": link(page=wanted.page + 1) if wanted.page < pages else None,
    }


@router.get("/accounts/{account_id}")
def account_page_view(
    request: Request, db: Db, caller: Caller, as_of: AsOf, account_id: str
) -> Response:
    rollups = rollup_store(request.app.state.workspace.settings)
    view = account_360(db, portfolio_of(request, as_of), account_id, rollups=rollups)
    return _render(
        request,
        "account.html",
        caller,
        view=view,
        can_write=can_write_notes(caller.user, view.account),
        chart=_arr_chart(view.arr_history, as_of, view.arr_cents),
    )


def _arr_chart(
    history: list[ArrChange], as_of: date, arr_cents: int
) -> dict[str, list[Any]]:
    """Step points at each change, closed at as_of so the line reaches today."""
    points = [(c.on, c.arr_after_cents) for c in history]
    if points and points[-1][0] < as_of:
        points.append((as_of, arr_cents))
    epoch = date(1970, 1, 1)
    return {
        "days": [day.isoformat() for day, _ in points],
        "times": [(day - epoch).days * 86400 for day, _ in points],
        "arr": [arr for _, arr in points],
    }


@router.post("/accounts/{account_id}/notes")
def add_note_form(
    request: Request,
    db: Db,
    caller: Caller,
    account_id: str,
    text: Text,
    kind: Annotated[str, Form()] = "note",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(caller, csrf_token or request.headers.get("x-csrf-token"))
    account = get_account_or_raise(db, account_id).account
    require_note_writer(caller.user, account)
    add_note(
        db,
        account_id=account_id,
        author_id=caller.user.id,
        kind=kind,
        occurred_at=datetime.now(UTC),
        text=text,
    )
    db.commit()
    if request.headers.get("hx-request"):
        authors = {u.id: u.name for u in db.scalars(select(User))}
        return _render(
            request,
            "_notes.html",
            caller,
            notes=list_notes(db, account_id=account_id),
            authors=authors,
        )
    return RedirectResponse(f"/accounts/{account_id}#notes", status_code=303)


@router.get("/book")
def my_book(caller: Caller) -> Response:
    return RedirectResponse(f"/book/{caller.user.id}", status_code=303)


@router.get("/book/{user_id}")
def book(
    request: Request, db: Db, caller: Caller, as_of: AsOf, user_id: str
) -> Response:
    csm = get_user_or_raise(db, user_id)
    listing = account_page(
        db,
        portfolio_of(request, as_of),
        AccountFilter(csm_id=csm.id, sort="renewal", per_page=100),
    )
    return _render(
        request,
        "book.html",
        caller,
        csm=csm,
        listing=listing,
        total_arr=sum(r.arr_cents for r in listing.rows),
    )


@router.get("/renewals")
def renewals(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> Response:
    portfolio = portfolio_of(request, as_of)
    records = portfolio.renewals_ahead(days)
    names = {a.id: a.name for a in db.scalars(select(Account))}
    return _render(
        request,
        "renewals.html",
        caller,
        records=records,
        names=names,
        days=days,
        as_of=as_of,
        currency=portfolio.currency,
    )
