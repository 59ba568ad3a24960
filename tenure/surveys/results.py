"""Survey results: NPS and CSAT by period and slice, response rates, comments.

NPS follows the metric suite: 100 × (promoters − detractors) ÷ responses, the
latest answer per contact in the window, days in the reporting time zone.
CSAT is the share of answers of 4 or 5, times 100. Both are unrounded here.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, User
from tenure.core.time import Period, grain_label, local_date
from tenure.surveys.answers import score_group
from tenure.surveys.errors import InvalidSurvey
from tenure.surveys.models import SURVEY_KINDS, SurveyResponse, SurveySend

Slice = Literal["segment", "csm", "account"]
SLICES: tuple[str, ...] = ("segment", "csm", "account")
NONE_LABEL = "(none)"


@dataclass
class GroupResult:
    """One slice's figures; `score` is NPS or CSAT, None without answers."""

    key: str
    label: str
    responses: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    score: float | None = None
    average: float | None = None
    sent: int = 0
    answered: int = 0
    response_rate: float | None = None
    non_responding_accounts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CommentRow:
    account_id: str
    account_name: str
    score: int
    group: str
    comment: str
    responded_on: date


@dataclass(frozen=True)
class SurveyResults:
    kind: str
    period: Period
    by: str | None
    groups: list[GroupResult]
    comments: list[CommentRow]


def latest_per_contact(
    responses: Iterable[SurveyResponse], *, kind: str, period: Period, timezone: str
) -> list[SurveyResponse]:
    """Valid answers of `kind` in the period, the latest of each contact."""
    low, high = (0, 10) if kind == "nps" else (1, 5)
    latest: dict[str, SurveyResponse] = {}
    for r in responses:
        if r.kind != kind or r.score is None or not low <= r.score <= high:
            continue
        if not period.start <= local_date(r.responded_at, timezone) < period.end:
            continue
        who = r.contact_id or f"response:{r.id}"
        kept = latest.get(who)
        if kept is None or (r.responded_at, r.id) > (kept.responded_at, kept.id):
            latest[who] = r
    return sorted(latest.values(), key=lambda r: r.id)


def score_of(kind: str, scores: Sequence[int]) -> float | None:
    """NPS (−100..100) or CSAT (0..100) of a list of scores; None when empty."""
    if not scores:
        return None
    if kind == "nps":
        promoters = sum(1 for s in scores if s >= 9)
        detractors = sum(1 for s in scores if s <= 6)
        return 100 * (promoters - detractors) / len(scores)
    return 100 * sum(1 for s in scores if s >= 4) / len(scores)


def _slice_key(account: Account | None, by: str | None) -> str:
    if by is None:
        return "all"
    if account is None:
        return NONE_LABEL
    value = {"segment": account.segment, "csm": account.csm_id, "account": account.id}
    return value[by] or NONE_LABEL


def _labels(
    session: Session, by: str | None, accounts: dict[str, Account]
) -> dict[str, str]:
    if by == "csm":
        return {u.id: u.name for u in session.scalars(select(User))}
    if by == "account":
        return {a.id: a.name for a in accounts.values()}
    return {}


def survey_results(
    session: Session,
    *,
    kind: str,
    period: Period,
    timezone: str,
    survey_id: str | None = None,
    by: str | None = None,
    account_id: str | None = None,
) -> SurveyResults:
    """NPS or CSAT with response rates per slice, and the comments, for a period."""
    if kind not in SURVEY_KINDS:
        raise InvalidSurvey(f"survey kind {kind!r} is unknown; use nps or csat")
    if by is not None and by not in SLICES:
        raise InvalidSurvey(f"cannot slice by {by!r}; use one of {', '.join(SLICES)}")
    accounts = {a.id: a for a in session.scalars(select(Account))}
    query = select(SurveyResponse).where(SurveyResponse.kind == kind)
    sends_query = select(SurveySend).where(SurveySend.status == "sent")
    if survey_id is not None:
        query = query.where(SurveyResponse.survey == survey_id)
        sends_query = sends_query.where(SurveySend.survey_id == survey_id)
    if account_id is not None:
        query = query.where(SurveyResponse.account_id == account_id)
        sends_query = sends_query.where(SurveySend.account_id == account_id)
    answers = latest_per_contact(
        session.scalars(query), kind=kind, period=period, timezone=timezone
    )
    sends = [
        s
        for s in session.scalars(sends_query)
        if s.sent_at is not None
        and period.start <= local_date(s.sent_at, timezone) < period.end
    ]
    groups: dict[str, GroupResult] = {}
    labels = _labels(session, by, accounts)

    def group(account_id: str) -> GroupResult:
        key = _slice_key(accounts.get(account_id), by)
        if key not in groups:
            groups[key] = GroupResult(key, labels.get(key, key))
        return groups[key]

    scores: dict[str, list[int]] = defaultdict(list)
    for r in answers:
        assert r.score is not None
        g = group(r.account_id)
        scores[g.key].append(r.score)
        name = f"{score_group(kind, r.score)}s"
        setattr(g, name, getattr(g, name) + 1)
    _add_rates(sends, group)
    for g in groups.values():
        g.responses = len(scores[g.key])
        g.score = score_of(kind, scores[g.key])
        g.average = sum(scores[g.key]) / g.responses if g.responses else None
    comments = [
        CommentRow(
            r.account_id,
            accounts[r.account_id].name if r.account_id in accounts else r.account_id,
            r.score,
            score_group(kind, r.score),
            r.comment,
            local_date(r.responded_at, timezone),
        )
        for r in sorted(answers, key=lambda r: (r.responded_at, r.id), reverse=True)
        if r.comment and r.score is not None
    ]
    ordered = sorted(groups.values(), key=lambda g: (g.key == NONE_LABEL, g.label))
    return SurveyResults(kind, period, by, ordered, comments)


def _add_rates(
    sends: Iterable[SurveySend], group: Callable[[str], GroupResult]
) -> None:
    """Sent and answered e-mails per slice, and the accounts that never answered."""
    surveyed: dict[str, set[str]] = defaultdict(set)
    answered: dict[str, set[str]] = defaultdict(set)
    by_key: dict[str, GroupResult] = {}
    for send in sends:
        g = group(send.account_id)
        by_key[g.key] = g
        g.sent += 1
        surveyed[g.key].add(send.account_id)
        if send.response_id is not None:
            g.answered += 1
            answered[g.key].add(send.account_id)
    for key, g in by_key.items():
        g.response_rate = g.answered / g.sent
        g.non_responding_accounts = sorted(surveyed[key] - answered[key])


@dataclass(frozen=True)
class Trend:
    labels: list[str]
    values: list[float | None]
    responses: list[int]


def monthly_trend(
    session: Session,
    *,
    kind: str,
    months: Sequence[Period],
    timezone: str,
    account_id: str | None = None,
) -> Trend:
    """The score of each month (None when nobody answered)."""
    query = select(SurveyResponse).where(SurveyResponse.kind == kind)
    if account_id is not None:
        query = query.where(SurveyResponse.account_id == account_id)
    responses = list(session.scalars(query))
    values: list[float | None] = []
    counts: list[int] = []
    for month in months:
        kept = latest_per_contact(responses, kind=kind, period=month, timezone=timezone)
        values.append(score_of(kind, [r.score for r in kept if r.score is not None]))
        counts.append(len(kept))
    return Trend([grain_label(m.start, "month") for m in months], values, counts)
