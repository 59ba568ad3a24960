"""Surveys and campaigns: create, find, list; audiences are checked on creation."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, Contact
from tenure.surveys.errors import CampaignNotFound, InvalidSurvey, SurveyNotFound
from tenure.surveys.models import SURVEY_KINDS, Survey, SurveyCampaign

log = structlog.get_logger()

ACCOUNT_ATTRIBUTES = ("plan", "industry", "country", "onboarding_stage", "csm_id")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

DEFAULT_QUESTIONS = {
    "nps": "How likely are you to recommend us to a friend or colleague?",
    "csat": "How satisfied are you with our service?",
}
DEFAULT_FOLLOW_UPS = {
    "nps": (
        "What would we have to change for you to recommend us?",
        "What would make us a 9 or 10 for you?",
        "What do you value most about us?",
    ),
    "csat": (
        "What went wrong, and what should we do about it?",
        "What would have made it better?",
        "What did we get right?",
    ),
}


@dataclass(frozen=True)
class Audience:
    """Who a campaign reaches: every listed condition must hold (empty: all)."""

    segments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "segments": list(self.segments),
            "roles": list(self.roles),
            "attributes": {k: list(v) for k, v in self.attributes.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Audience":
        return cls(
            tuple(data.get("segments", ())),
            tuple(data.get("roles", ())),
            {k: tuple(v) for k, v in dict(data.get("attributes", {})).items()},
        )


def _check_id(value: str, what: str) -> str:
    if not _ID.match(value):
        raise InvalidSurvey(
            f"{what} id {value!r} is not usable; use up to 64 lower-case letters, "
            "digits, '-' or '_', starting with a letter or digit"
        )
    return value


def create_survey(
    session: Session,
    *,
    survey_id: str,
    kind: str,
    name: str | None = None,
    question: str | None = None,
    follow_ups: Sequence[str] | None = None,
    now: datetime,
) -> Survey:
    """A new NPS or CSAT survey; follow-ups are detractor, passive, promoter."""
    _check_id(survey_id, "survey")
    if kind not in SURVEY_KINDS:
        raise InvalidSurvey(f"survey kind {kind!r} is unknown; use nps or csat")
    if session.get(Survey, survey_id) is not None:
        raise InvalidSurvey(f"a survey {survey_id!r} exists already; pick another id")
    texts = tuple(follow_ups) if follow_ups else DEFAULT_FOLLOW_UPS[kind]
    if len(texts) != 3 or not all(t.strip() for t in texts):
        raise InvalidSurvey(
            "give three follow-up questions (detractor, passive, promoter), or none "
            "for the defaults"
        )
    survey = Survey(
        id=survey_id,
        name=name or survey_id,
        kind=kind,
        question=question or DEFAULT_QUESTIONS[kind],
        follow_up_detractor=texts[0],
        follow_up_passive=texts[1],
        follow_up_promoter=texts[2],
        created_at=now,
    )
    session.add(survey)
    session.flush()
    log.info("surveys.survey_created", survey=survey_id, kind=kind)
    return survey


def get_survey_or_raise(session: Session, survey_id: str) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise SurveyNotFound(
            f"no survey {survey_id!r}; `tenure surveys list` shows the surveys"
        )
    return survey


def list_surveys(session: Session) -> list[Survey]:
    return list(session.scalars(select(Survey).order_by(Survey.id)))


def get_campaign_or_raise(session: Session, campaign_id: str) -> SurveyCampaign:
    campaign = session.get(SurveyCampaign, campaign_id)
    if campaign is None:
        raise CampaignNotFound(
            f"no campaign {campaign_id!r}; `tenure surveys list` shows the campaigns"
        )
    return campaign


def list_campaigns(
    session: Session, survey_id: str | None = None
) -> list[SurveyCampaign]:
    query = select(SurveyCampaign).order_by(SurveyCampaign.starts_at)
    if survey_id is not None:
        query = query.where(SurveyCampaign.survey_id == survey_id)
    return list(session.scalars(query))


def _known(session: Session, column: Any) -> set[str]:
    return {v for v in session.scalars(select(column).distinct()) if v is not None}


def check_audience(session: Session, audience: Audience) -> None:
    """Refuse segments, roles and attribute values no account or contact has."""
    unknown = set(audience.segments) - _known(session, Account.segment)
    if unknown:
        known = ", ".join(sorted(_known(session, Account.segment))) or "none yet"
        raise InvalidSurvey(
            f"no account is in segment {sorted(unknown)[0]!r}; known segments: {known}"
        )
    unknown = set(audience.roles) - _known(session, Contact.role)
    if unknown:
        known = ", ".join(sorted(_known(session, Contact.role))) or "none yet"
        raise InvalidSurvey(
            f"no contact has role {sorted(unknown)[0]!r}; known roles: {known}"
        )
    for name, values in audience.attributes.items():
        if name not in ACCOUNT_ATTRIBUTES:
            raise InvalidSurvey(
                f"audience attribute {name!r} is unknown; use one of "
                f"{', '.join(ACCOUNT_ATTRIBUTES)}"
            )
        missing = set(values) - _known(session, getattr(Account, name))
        if missing:
            raise InvalidSurvey(
                f"no account has {name} {sorted(missing)[0]!r}; check the spelling"
            )


@dataclass(frozen=True)
class Throttle:
    """Per-contact and per-account limits; the defaults are the product's."""

    answer_quiet_days: int = 90
    send_quiet_days: int = 30
    account_limit: int | None = 3
    account_window_days: int = 30
    link_days: int = 30


def _check_numbers(
    *, sample_rate: float | None, sample_size: int | None, throttle: Throttle
) -> None:
    if sample_rate is not None and sample_size is not None:
        raise InvalidSurvey("give a sample rate or a sample size, not both")
    if sample_rate is not None and not 0 < sample_rate <= 1:
        raise InvalidSurvey(
            f"sample rate {sample_rate} is not a fraction; use more than 0, up to 1"
        )
    if sample_size is not None and sample_size < 1:
        raise InvalidSurvey(f"sample size {sample_size} must be 1 or more")
    if throttle.account_limit is not None and throttle.account_limit < 1:
        raise InvalidSurvey(
            f"the per-account limit {throttle.account_limit} must be 1 or more"
        )
    for name in ("answer_quiet_days", "send_quiet_days", "account_window_days"):
        if getattr(throttle, name) < 0:
            raise InvalidSurvey(f"{name.replace('_', ' ')} cannot be negative")
    if throttle.link_days < 1:
        raise InvalidSurvey("survey links must live at least 1 day")


def create_campaign(
    session: Session,
    *,
    campaign_id: str,
    survey_id: str,
    starts_at: datetime,
    audience: Audience | None = None,
    sample_rate: float | None = None,
    sample_size: int | None = None,
    seed: int = 0,
    throttle: Throttle | None = None,
    now: datetime,
) -> SurveyCampaign:
    """A campaign of a survey, checked and scheduled to start at `starts_at`."""
    _check_id(campaign_id, "campaign")
    get_survey_or_raise(session, survey_id)
    if session.get(SurveyCampaign, campaign_id) is not None:
        raise InvalidSurvey(
            f"a campaign {campaign_id!r} exists already; pick another id"
        )
    audience = audience or Audience()
    throttle = throttle or Throttle()
    check_audience(session, audience)
    _check_numbers(sample_rate=sample_rate, sample_size=sample_size, throttle=throttle)
    campaign = SurveyCampaign(
        id=campaign_id,
        survey_id=survey_id,
        audience=audience.to_json(),
        sample_rate=sample_rate,
        sample_size=sample_size,
        seed=seed,
        starts_at=starts_at,
        answer_quiet_days=throttle.answer_quiet_days,
        send_quiet_days=throttle.send_quiet_days,
        account_limit=throttle.account_limit,
        account_window_days=throttle.account_window_days,
        link_days=throttle.link_days,
        status="scheduled",
        created_at=now,
    )
    session.add(campaign)
    session.flush()
    log.info("surveys.campaign_created", campaign=campaign_id, survey=survey_id)
    return campaign
