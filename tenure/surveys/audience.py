"""Who a campaign sends to: audience, per-contact throttle, sample, account cap.

The steps run in that order. Sampling and the per-account cap walk contacts in
the order of a hash of the campaign's seed and the contact id, so the same
campaign over the same contacts always picks the same people.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, Contact
from tenure.surveys.models import SurveyCampaign, SurveyResponse, SurveySend
from tenure.surveys.service import Audience

CHUNK = 500


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class Selection:
    """The contacts chosen and how many each step left out."""

    contacts: list[Contact]
    in_audience: int
    throttled_contacts: int
    not_sampled: int
    throttled_by_account: int


def audience_contacts(session: Session, audience: Audience) -> list[Contact]:
    """Contacts with an e-mail address whose account and role match."""
    query = (
        select(Contact)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.email.is_not(None), Contact.email != "")
        .order_by(Contact.id)
    )
    if audience.segments:
        query = query.where(Account.segment.in_(audience.segments))
    if audience.roles:
        query = query.where(Contact.role.in_(audience.roles))
    for name, values in audience.attributes.items():
        query = query.where(getattr(Account, name).in_(values))
    return list(session.scalars(query))


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """Id lists small enough for any database's limit on bound parameters."""
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _recently_answered(
    session: Session, contact_ids: Sequence[str], *, since: datetime
) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(contact_ids):
        rows = session.execute(
            select(SurveyResponse.contact_id, SurveyResponse.responded_at).where(
                SurveyResponse.contact_id.in_(chunk)
            )
        )
        found |= {c for c, at in rows if c is not None and as_utc(at) >= since}
    return found


def _recently_sent_unanswered(
    session: Session, contact_ids: Sequence[str], *, since: datetime
) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(contact_ids):
        rows = session.execute(
            select(SurveySend.contact_id, SurveySend.queued_at).where(
                SurveySend.contact_id.in_(chunk),
                SurveySend.response_id.is_(None),
                SurveySend.status != "failed",
            )
        )
        found |= {c for c, at in rows if as_utc(at) >= since}
    return found


def _account_sends(
    session: Session, account_ids: Iterable[str], *, since: datetime
) -> Counter[str]:
    """E-mails queued or sent to each account since `since`; failed ones aside."""
    counts: Counter[str] = Counter()
    for chunk in _chunks(account_ids):
        rows = session.execute(
            select(SurveySend.account_id, SurveySend.queued_at).where(
                SurveySend.account_id.in_(chunk), SurveySend.status != "failed"
            )
        )
        counts.update(a for a, at in rows if as_utc(at) >= since)
    return counts


def draw_order(seed: int, contact_id: str) -> str:
    return hashlib.sha256(f"{seed}:{contact_id}".encode()).hexdigest()


def sample_size_of(campaign: SurveyCampaign, eligible: int) -> int:
    """How many to draw: all, N, or the rate rounded half up."""
    if campaign.sample_size is not None:
        return min(campaign.sample_size, eligible)
    if campaign.sample_rate is not None:
        return int(campaign.sample_rate * eligible + 0.5)
    return eligible


def select_recipients(
    session: Session, campaign: SurveyCampaign, *, now: datetime
) -> Selection:
    """The contacts this campaign sends to at `now`."""
    candidates = audience_contacts(session, Audience.from_json(campaign.audience))
    ids = [c.id for c in candidates]
    quiet = _recently_answered(
        session, ids, since=now - timedelta(days=campaign.answer_quiet_days)
    ) | _recently_sent_unanswered(
        session, ids, since=now - timedelta(days=campaign.send_quiet_days)
    )
    eligible = sorted(
        (c for c in candidates if c.id not in quiet),
        key=lambda c: draw_order(campaign.seed, c.id),
    )
    sampled = eligible[: sample_size_of(campaign, len(eligible))]

    chosen = sampled
    if campaign.account_limit is not None:
        taken = _account_sends(
            session,
            (c.account_id for c in sampled),
            since=now - timedelta(days=campaign.account_window_days),
        )
        chosen = []
        for contact in sampled:
            if taken[contact.account_id] < campaign.account_limit:
                taken[contact.account_id] += 1
                chosen.append(contact)
    return Selection(
        contacts=chosen,
        in_audience=len(candidates),
        throttled_contacts=len(candidates) - len(eligible),
        not_sampled=len(eligible) - len(sampled),
        throttled_by_account=len(sampled) - len(chosen),
    )
