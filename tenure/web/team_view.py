"""What the roster, onboarding and churn-reason pages and API read."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, User
from tenure.accounts.onboarding import MilestoneStatus, onboarding_statuses
from tenure.accounts.roster import Coverage, coverage_of, list_users
from tenure.core.settings import Settings
from tenure.revenue.service import arr_by_account
from tenure.web.portfolio import metric_options


@dataclass(frozen=True)
class RosterRow:
    """A user with their coverage and the book they hold now."""

    user: User
    coverage: Coverage
    accounts: int
    arr_cents: int

    @property
    def capacity_used(self) -> float | None:
        limit = self.user.capacity_accounts
        if not limit:
            return None
        return self.accounts / limit

    @property
    def arr_capacity_used(self) -> float | None:
        limit = self.user.capacity_arr_cents
        if not limit:
            return None
        return self.arr_cents / limit

    @property
    def is_over_capacity(self) -> bool:
        return any(used is not None and used > 1 for used in self._uses)

    @property
    def _uses(self) -> tuple[float | None, float | None]:
        return self.capacity_used, self.arr_capacity_used


# TODO: a CSM's book counts every account assigned to them, churned ones at 0
#   ARR included — capacity used looks higher than the live book.
def roster_rows(
    session: Session,
    settings: Settings,
    *,
    as_of: date,
    role: str | None = None,
) -> list[RosterRow]:
    """Every user (of a role) with accounts held now and their ARR on as_of."""
    users = list_users(session, role=role)
    coverage = coverage_of(session, [user.id for user in users])
    arr = arr_by_account(session, on=as_of, options=metric_options(settings, as_of))
    counts: Counter[str] = Counter()
    book_arr: dict[str, int] = defaultdict(int)
    for account_id, csm_id in session.execute(
        select(Account.id, Account.csm_id).where(Account.csm_id.is_not(None))
    ):
        if csm_id is not None:
            counts[csm_id] += 1
            book_arr[csm_id] += arr.get(account_id, 0)
    return [
        RosterRow(user, coverage[user.id], counts[user.id], book_arr[user.id])
        for user in users
    ]


@dataclass(frozen=True)
class BoardCard:
    """One milestone on the onboarding board."""

    milestone: MilestoneStatus
    account_name: str
    segment: str | None
    is_overdue: bool


def onboarding_cards(
    session: Session,
    *,
    as_of: date,
    csm_id: str | None = None,
    segment: str | None = None,
    account_id: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
) -> list[BoardCard]:
    """Milestones of accounts matching the filters, overdue first, then by due day."""
    query = select(Account.id, Account.name, Account.segment)
    if account_id:
        query = query.where(Account.id == account_id)
    if csm_id:
        query = query.where(Account.csm_id == csm_id)
    if segment:
        query = query.where(Account.segment == segment)
    accounts = {row[0]: (row[1], row[2]) for row in session.execute(query)}
    statuses = onboarding_statuses(session, account_ids=sorted(accounts))
    cards = [
        BoardCard(
            m, accounts[m.account_id][0], accounts[m.account_id][1], m.is_overdue(as_of)
        )
        for m in statuses
        if status is None or m.status == status
    ]
    if overdue_only:
        cards = [card for card in cards if card.is_overdue]
    return sorted(
        cards,
        key=lambda c: (not c.is_overdue, c.milestone.due_on, c.milestone.account_id),
    )


def segments_of(session: Session) -> list[str]:
    rows = session.scalars(
        select(Account.segment).where(Account.segment.is_not(None)).distinct()
    )
    return sorted(str(segment) for segment in rows)


def page_of(items: Sequence[object], page: int, per_page: int) -> tuple[int, int]:
    """(first index, number of pages) of a 1-based page."""
    pages = max(1, -(-len(items) // per_page))
    return (min(page, pages) - 1) * per_page, pages
