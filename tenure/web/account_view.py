"""What the accounts list, the account page and the book of business show."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_history import assignment_history
from tenure.accounts.models import Account, Contact, Ticket, User
from tenure.accounts.notes import NoteView, list_notes
from tenure.accounts.onboarding import MilestoneStatus, onboarding_statuses
from tenure.accounts.service import get_account_or_raise
from tenure.activity.rollups import RollupStore
from tenure.surveys.models import SurveyResponse
from tenure.web.alert_view import AlertRow, account_alerts
from tenure.web.contact_view import ContactPanel, contact_panel
from tenure.web.health_view import HealthPanel, bands_by_account, health_panel
from tenure.web.portfolio import ArrChange, Portfolio

SortKey = Literal["name", "arr", "renewal", "segment", "csm"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "arr", "renewal", "segment", "csm")
# A band filter also takes "unscored": accounts without any kept score.
BAND_CHOICES = ("red", "yellow", "green", "unscored")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class AccountFilter:
    """Search, filters, order and page of the accounts list."""

    q: str | None = None
    csm_id: str | None = None
    segment: str | None = None
    renewal_within_days: int | None = None
    band: str | None = None
    sort: SortKey = "name"
    descending: bool = False
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    segment: str | None
    plan: str | None
    csm_id: str | None
    csm_name: str | None
    arr_cents: int
    next_renewal_on: date | None
    band: str | None = None


@dataclass(frozen=True)
class AccountPage:
    rows: list[AccountRow]
    total: int
    page: int
    pages: int


def _matches(row: AccountRow, wanted: AccountFilter, as_of: date) -> bool:
    if wanted.q:
        needle = wanted.q.casefold()
        if needle not in row.name.casefold() and needle not in row.id.casefold():
            return False
    if wanted.csm_id and row.csm_id != wanted.csm_id:
        return False
    if wanted.segment and row.segment != wanted.segment:
        return False
    if wanted.band and (row.band or "unscored") != wanted.band:
        return False
    if wanted.renewal_within_days is not None:
        limit = as_of + timedelta(days=wanted.renewal_within_days)
        return row.next_renewal_on is not None and row.next_renewal_on <= limit
    return True


def _sort_key(sort: SortKey) -> Any:
    keys = {
        "name": lambda r: (r.name.casefold(), r.id),
        "arr": lambda r: (r.arr_cents, r.id),
        "renewal": lambda r: (r.next_renewal_on or date.max, r.id),
        "segment": lambda r: (r.segment or "", r.name.casefold()),
        "csm": lambda r: ((r.csm_name or "").casefold(), r.name.casefold()),
    }
    return keys[sort]


def account_rows(session: Session, portfolio: Portfolio) -> list[AccountRow]:
    """Every account with its CSM, ARR today, next renewal and health band."""
    names = {u.id: u.name for u in session.scalars(select(User))}
    upcoming = portfolio.next_renewals()
    bands = bands_by_account(session, as_of=portfolio.as_of)
    return [
        AccountRow(
            id=a.id,
            name=a.name,
            segment=a.segment,
            plan=a.plan,
            csm_id=a.csm_id,
            csm_name=names.get(a.csm_id) if a.csm_id else None,
            arr_cents=portfolio.arr_cents(a.id),
            next_renewal_on=upcoming.get(a.id),
            band=bands.get(a.id),
        )
        for a in session.scalars(select(Account))
    ]


def list_account_page(
    session: Session, portfolio: Portfolio, wanted: AccountFilter
) -> AccountPage:
    """One page of the filtered, sorted accounts."""
    rows = [
        r
        for r in account_rows(session, portfolio)
        if _matches(r, wanted, portfolio.as_of)
    ]
    rows.sort(key=_sort_key(wanted.sort), reverse=wanted.descending)
    per_page = max(1, min(wanted.per_page, MAX_PER_PAGE))
    pages = max(1, -(-len(rows) // per_page))
    page = max(1, min(wanted.page, pages))
    start = (page - 1) * per_page
    return AccountPage(rows[start : start + per_page], len(rows), page, pages)


@dataclass
class Account360:
    """Everything about one account, for its page and the API."""

    account: Account
    csm: User | None
    arr_cents: int
    seats: int
    next_renewal_on: date | None
    times_renewed: int
    arr_history: list[ArrChange]
    contract_lines: list[Any]
    contacts: list[Contact]
    tickets: list[Ticket]
    responses: list[SurveyResponse]
    notes: list[NoteView]
    assignments: list[Any]
    milestones: list[MilestoneStatus]
    health: HealthPanel | None = None
    alerts: list[AlertRow] = field(default_factory=list)
    authors: dict[str, str] = field(default_factory=dict)
    contact_activity: ContactPanel | None = None


def _rows_of(session: Session, model: Any, account_id: str, order: Any) -> list[Any]:
    query = select(model).where(model.account_id == account_id).order_by(order)
    return list(session.scalars(query))


def account_360(
    session: Session,
    portfolio: Portfolio,
    account_id: str,
    *,
    rollups: RollupStore | None = None,
) -> Account360:
    """The account page's data; raises AccountNotFound for an unknown id. With
    `rollups`, each contact's last login and logins in the last 30 days."""
    detail = get_account_or_raise(session, account_id)
    as_of = portfolio.as_of
    contacts = _rows_of(session, Contact, account_id, Contact.name)
    active = [
        line
        for line in detail.contract_lines
        if line.starts_on <= as_of and (line.ends_on is None or as_of < line.ends_on)
    ]
    return Account360(
        account=detail.account,
        csm=detail.csm,
        arr_cents=portfolio.arr_cents(account_id),
        seats=sum(line.quantity or 0 for line in active if line.kind == "paid"),
        next_renewal_on=portfolio.next_renewals().get(account_id),
        times_renewed=portfolio.times_renewed(account_id),
        arr_history=portfolio.arr_history(account_id),
        contract_lines=detail.contract_lines,
        contacts=contacts,
        tickets=_rows_of(session, Ticket, account_id, Ticket.opened_at.desc()),
        responses=_rows_of(
            session, SurveyResponse, account_id, SurveyResponse.responded_at.desc()
        ),
        notes=list_notes(session, account_id=account_id),
        assignments=assignment_history(session, account_id),
        milestones=onboarding_statuses(session, account_ids=[account_id]),
        health=health_panel(session, account_id, as_of=as_of),
        alerts=account_alerts(session, account_id, as_of=as_of),
        authors={u.id: u.name for u in session.scalars(select(User))},
        contact_activity=contact_panel(
            rollups, contacts, account_id=account_id, as_of=as_of
        )
        if rollups is not None
        else None,
    )
