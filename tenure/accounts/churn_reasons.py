"""Churned and contracted ARR of a period, grouped by the reason accounts stated.

The losses come from the metric suite's ARR bridge (`arr_movements`), so the
totals here are the churn and contraction the metrics report. Each losing
account's reason is, in this order:

1. the tags of its latest tagged note from `NOTE_LOOKBACK_DAYS` before the
   period until its end (a CSM's tag is on the editable reason list), else
2. the reason of its latest cancellation effective from `NOTE_LOOKBACK_DAYS`
   before the period until `CANCELLATION_GRACE_DAYS` after it, else
3. no reason: the `(no reason given)` row.

An account with several reasons splits its loss evenly between them, cent by
cent, so the rows always add up to the bridge's churn and contraction.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, Note, NoteTag, NoteTagLink
from tenure.core.money import minor_digits
from tenure.core.time import Period
from tenure.metrics.service import MetricService
from tenure.revenue.models import Cancellation

NO_REASON = "(no reason given)"
NOTE_LOOKBACK_DAYS = 180
# A cancellation recorded a little after the period (billing catches up) still counts.
CANCELLATION_GRACE_DAYS = 31
# Cancellation reasons that say nothing.
_EMPTY_REASONS = frozenset({"", "unknown", "none", "n/a", "na", "other_unknown"})
# Ids per IN (...) query, well under every database's parameter limit.
_CHUNK = 500


@dataclass(frozen=True)
class LostAccount:
    """One account's churn or contraction in the period and what it stated."""

    account_id: str
    name: str
    movement: str
    arr_cents: int
    reasons: tuple[str, ...]
    source: str | None


@dataclass
class ReasonTotal:
    """ARR lost to one reason; `accounts` counts accounts that gave it."""

    reason: str
    label: str
    accounts: int = 0
    churned_arr_cents: int = 0
    contracted_arr_cents: int = 0

    @property
    def lost_arr_cents(self) -> int:
        return self.churned_arr_cents + self.contracted_arr_cents


@dataclass(frozen=True)
class ChurnReasonReport:
    """Reasons by lost ARR, largest first, and the accounts behind them."""

    period: Period
    currency: str
    reasons: list[ReasonTotal]
    accounts: list[LostAccount] = field(default_factory=list)

    @property
    def churned_arr_cents(self) -> int:
        return sum(item.arr_cents for item in self.accounts if item.movement == "churn")

    @property
    def contracted_arr_cents(self) -> int:
        return sum(
            item.arr_cents for item in self.accounts if item.movement == "contraction"
        )


def churn_reasons(
    session: Session, service: MetricService, period: Period
) -> ChurnReasonReport:
    """Group the period's churned and contracted ARR by stated reason."""
    currency = service.options.reporting_currency
    (bridge,) = service.compute(["arr_movements"], period)
    losses = _losses(bridge.rows, currency)
    ids = sorted({account_id for account_id, _, _ in losses})
    names = _names(session, ids)
    stated = _note_reasons(session, ids, period)
    cancelled = _cancellation_reasons(session, ids, period)

    accounts = []
    for account_id, movement, cents in losses:
        reasons, source = stated.get(account_id, ()), "note"
        if not reasons:
            reasons, source = cancelled.get(account_id, ()), "cancellation"
        accounts.append(
            LostAccount(
                account_id=account_id,
                name=names.get(account_id, account_id),
                movement=movement,
                arr_cents=cents,
                reasons=reasons or (NO_REASON,),
                source=source if reasons else None,
            )
        )
    totals = _totals(accounts, _labels(session))
    return ChurnReasonReport(period, currency, totals, accounts)


def _losses(
    rows: Sequence[Mapping[str, object]], currency: str
) -> list[tuple[str, str, int]]:
    """(account id, churn or contraction, cents) for each losing account."""
    scale = Decimal(10) ** minor_digits(currency)
    found = []
    for row in rows:
        for movement in ("churn", "contraction"):
            amount = row.get(movement)
            if isinstance(amount, int | float) and amount > 0:
                cents = (Decimal(str(amount)) * scale).quantize(
                    Decimal(1), rounding=ROUND_HALF_UP
                )
                found.append((str(row["account_id"]), movement, int(cents)))
    return sorted(found)


def _names(session: Session, ids: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = session.execute(
            select(Account.id, Account.name).where(Account.id.in_(chunk))
        )
        names.update((account_id, name) for account_id, name in rows)
    return names


def _note_reasons(
    session: Session, ids: Sequence[str], period: Period
) -> dict[str, tuple[str, ...]]:
    """The tags of each account's latest tagged note in the window."""
    since = datetime.combine(
        period.start - timedelta(days=NOTE_LOOKBACK_DAYS), time(), tzinfo=UTC
    )
    until = datetime.combine(period.end, time(), tzinfo=UTC)
    latest: dict[str, tuple[datetime, str]] = {}
    tags: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Note.account_id, Note.id, Note.occurred_at, NoteTagLink.tag)
            .join(NoteTagLink, NoteTagLink.note_id == Note.id)
            .where(
                Note.account_id.in_(ids[start : start + _CHUNK]),
                Note.occurred_at >= since,
                Note.occurred_at < until,
            )
            .order_by(Note.occurred_at, Note.id, NoteTagLink.tag)
        )
        for account_id, note_id, occurred_at, tag in rows:
            tags[note_id].append(tag)
            latest[account_id] = (occurred_at, note_id)
    return {
        account_id: tuple(sorted(set(tags[note_id])))
        for account_id, (_, note_id) in latest.items()
    }


def _cancellation_reasons(
    session: Session, ids: Sequence[str], period: Period
) -> dict[str, tuple[str, ...]]:
    """Each account's latest cancellation reason in the window, when it says one."""
    since = period.start - timedelta(days=NOTE_LOOKBACK_DAYS)
    until = period.end + timedelta(days=CANCELLATION_GRACE_DAYS)
    found: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Cancellation.account_id, Cancellation.reason)
            .where(
                Cancellation.account_id.in_(ids[start : start + _CHUNK]),
                Cancellation.effective_on >= since,
                Cancellation.effective_on < until,
            )
            .order_by(Cancellation.effective_on, Cancellation.id)
        )
        for account_id, reason in rows:
            key = reason_key(reason or "")
            found[account_id] = () if key in _EMPTY_REASONS else (key,)
    return {account_id: reasons for account_id, reasons in found.items() if reasons}


def reason_key(text: str) -> str:
    """How a reason is compared: 'Switched Product' and 'switched_product' agree."""
    return "_".join(text.strip().casefold().split())


def _labels(session: Session) -> dict[str, str]:
    return {tag.name: tag.label for tag in session.scalars(select(NoteTag))}


def _totals(
    accounts: Sequence[LostAccount], labels: Mapping[str, str]
) -> list[ReasonTotal]:
    totals: dict[str, ReasonTotal] = {}
    for item in accounts:
        shares = _split(item.arr_cents, len(item.reasons))
        for reason, share in zip(item.reasons, shares, strict=True):
            label = labels.get(reason) or reason.replace("_", " ").capitalize()
            total = totals.setdefault(reason, ReasonTotal(reason, label))
            total.accounts += 1
            if item.movement == "churn":
                total.churned_arr_cents += share
            else:
                total.contracted_arr_cents += share
    if NO_REASON in totals:
        totals[NO_REASON].label = NO_REASON
    return sorted(totals.values(), key=lambda t: (-t.lost_arr_cents, t.reason))


def _split(cents: int, parts: int) -> list[int]:
    """Cents shared out as evenly as possible; the first shares take the remainder."""
    base, remainder = divmod(cents, parts)
    return [base + (1 if index < remainder else 0) for index in range(parts)]
