"""Survey responses: from a score link, the follow-up form, and imports.

Every answer lands in `survey_responses`, the table the metric suite's NPS and
the detractor alert rule read. An answer through a link is keyed by its send,
so one send yields at most one response: a later click changes it.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, Contact
from tenure.surveys.audience import as_utc
from tenure.surveys.errors import InvalidLink, InvalidSurvey
from tenure.surveys.models import Survey, SurveyResponse, SurveySend
from tenure.surveys.service import get_survey_or_raise
from tenure.surveys.token import read_link

log = structlog.get_logger()

SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5)}
MAX_COMMENT = 5000
MAX_EXTERNAL_ID = 200


def score_group(kind: str, score: int) -> str:
    """detractor, passive or promoter (CSAT: 1–2, 3, 4–5)."""
    low, high = (6, 8) if kind == "nps" else (2, 3)
    if score <= low:
        return "detractor"
    return "passive" if score <= high else "promoter"


def follow_up_question(survey: Survey, score: int) -> str:
    group = score_group(survey.kind, score)
    return str(getattr(survey, f"follow_up_{group}"))


def check_score(kind: str, score: object, *, where: str = "score") -> int:
    low, high = SCORE_RANGES[kind]
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not low <= score <= high
    ):
        raise InvalidSurvey(
            f"{where} {score!r} is not a {kind.upper()} score; give a whole number "
            f"from {low} to {high}"
        )
    return score


@dataclass(frozen=True)
class LinkAnswer:
    survey: Survey
    send: SurveySend
    response: SurveyResponse | None


def open_link(
    session: Session, secret: bytes, token: str, *, survey_id: str, now: datetime
) -> LinkAnswer:
    """The survey, send and any answer behind a genuine live link."""
    survey = get_survey_or_raise(session, survey_id)
    claims = read_link(secret, token, survey_id=survey_id, now=now)
    send = session.get(SurveySend, claims.send_id)
    if (
        send is None
        or send.contact_id != claims.contact_id
        or send.survey_id != survey_id
    ):
        raise InvalidLink(
            "this survey link no longer matches a survey e-mail; use the link from "
            "your latest survey e-mail"
        )
    response = (
        session.get(SurveyResponse, send.response_id) if send.response_id else None
    )
    return LinkAnswer(survey, send, response)


def answer_by_link(
    session: Session,
    secret: bytes,
    token: str,
    *,
    survey_id: str,
    score: int,
    comment: str | None = None,
    now: datetime,
) -> LinkAnswer:
    """Record or change the one answer of a send; a comment, when given, too."""
    found = open_link(session, secret, token, survey_id=survey_id, now=now)
    survey, send = found.survey, found.send
    check_score(survey.kind, score)
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidSurvey(
            f"the comment has {len(comment)} characters; shorten it to "
            f"{MAX_COMMENT} or fewer"
        )
    response = found.response
    if response is None:
        response = SurveyResponse(
            id=f"send:{send.id}",
            survey=survey.id,
            account_id=send.account_id,
            contact_id=send.contact_id,
            kind=survey.kind,
        )
        session.add(response)
        send.response_id = response.id
    response.score = score
    response.responded_at = now
    if comment is not None:
        response.comment = comment.strip() or None
    send.answered_at = now
    session.flush()
    log.info(
        "surveys.response_recorded",
        survey=survey.id,
        send=send.id,
        account=send.account_id,
        group=score_group(survey.kind, score),
    )
    return LinkAnswer(survey, send, response)


@dataclass(frozen=True)
class ImportedAnswer:
    """One answer from another tool; `external_id` makes the import idempotent."""

    external_id: str
    account_id: str
    score: int
    responded_at: datetime
    contact_id: str | None = None
    comment: str | None = None


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def imported_response_id(survey_id: str, external_id: str) -> str:
    digest = hashlib.sha256(f"{survey_id}\n{external_id}".encode()).hexdigest()
    return f"ext:{digest[:48]}"


def _check_answer(
    session: Session, survey: Survey, answer: ImportedAnswer, index: int
) -> None:
    where = f"response {index + 1}"
    if not answer.external_id.strip() or len(answer.external_id) > MAX_EXTERNAL_ID:
        raise InvalidSurvey(
            f"{where}: external_id must be 1 to {MAX_EXTERNAL_ID} characters"
        )
    check_score(survey.kind, answer.score, where=f"{where}: score")
    if session.get(Account, answer.account_id) is None:
        raise InvalidSurvey(
            f"{where}: account_id {answer.account_id!r} is not an account in "
            "Tenure; import the account first or fix the id"
        )
    if answer.contact_id is not None:
        contact = session.get(Contact, answer.contact_id)
        if contact is None or contact.account_id != answer.account_id:
            raise InvalidSurvey(
                f"{where}: contact_id {answer.contact_id!r} is not a contact of "
                f"account {answer.account_id!r}; fix the id or leave it out"
            )
    if answer.comment is not None and len(answer.comment) > MAX_COMMENT:
        raise InvalidSurvey(f"{where}: comment is longer than {MAX_COMMENT} characters")


def import_answers(
    session: Session,
    survey_id: str,
    answers: Sequence[ImportedAnswer],
    *,
    now: datetime,
) -> ImportSummary:
    """Check every answer, then write them all; the same external id updates.
    An answer dated after `now` is refused."""
    survey = get_survey_or_raise(session, survey_id)
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        _check_answer(session, survey, answer, index)
        answered = as_utc(answer.responded_at)
        if answered > now:
            raise InvalidSurvey(
                f"response {index + 1}: responded_at {answered:%Y-%m-%d %H:%M} is "
                "in the future; send the time the answer was given"
            )
        if answer.external_id in seen:
            raise InvalidSurvey(
                f"response {index + 1}: external_id {answer.external_id!r} appears "
                "twice in the request; send each answer once"
            )
        seen.add(answer.external_id)
    summary = ImportSummary()
    for answer in answers:
        _upsert(session, survey, answer, summary)
    session.flush()
    log.info(
        "surveys.responses_imported",
        survey=survey_id,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )
    return summary


def _upsert(
    session: Session, survey: Survey, answer: ImportedAnswer, summary: ImportSummary
) -> None:
    response_id = imported_response_id(survey.id, answer.external_id)
    values = {
        "account_id": answer.account_id,
        "contact_id": answer.contact_id,
        "score": answer.score,
        "comment": answer.comment,
        "responded_at": as_utc(answer.responded_at),
    }
    existing = session.get(SurveyResponse, response_id)
    if existing is None:
        session.add(
            SurveyResponse(id=response_id, survey=survey.id, kind=survey.kind, **values)
        )
        summary.created += 1
        return
    current = {k: getattr(existing, k) for k in values}
    current["responded_at"] = as_utc(existing.responded_at)
    if current == values:
        summary.unchanged += 1
        return
    for key, value in values.items():
        setattr(existing, key, value)
    summary.updated += 1
