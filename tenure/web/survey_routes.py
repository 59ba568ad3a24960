"""Survey pages and API: one-click answers, the answer form, results and imports.

The answer pages are public: the signed link is the only credential. Results,
the trend fragments and the import API need a signed-in user or an API token.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, StrictInt

from tenure.core.time import Period, parse_period
from tenure.core.workspace import Workspace
from tenure.surveys.answers import (
    ImportedAnswer,
    LinkAnswer,
    answer_by_link,
    follow_up_question,
    import_answers,
    open_link,
)
from tenure.surveys.errors import InvalidLink
from tenure.surveys.results import SLICES, SurveyResults, monthly_trend, survey_results
from tenure.surveys.sending import SCORES
from tenure.surveys.service import list_campaigns, list_surveys
from tenure.surveys.settings import load_link_secret, load_mail_settings
from tenure.web.deps import AsOf, Caller, Db
from tenure.web.errors import NotAllowed
from tenure.web.rendering import render_page
from tenure.web.schemas import ErrorOut
from tenure.web.security import check_csrf, now_utc

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
api_router = APIRouter(prefix="/api/surveys", tags=["surveys"], responses=ERRORS)
page_router = APIRouter(include_in_schema=False)

Kind = Literal["nps", "csat"]
By = Literal["segment", "csm", "account"]
TREND_MONTHS = 12


def install_surveys(app: FastAPI, workspace: Workspace) -> None:
    """Keep the link secret on the app and add the survey routes."""
    configured = load_mail_settings().survey_secret
    app.state.survey_secret = load_link_secret(workspace.settings.home, configured)
    app.include_router(api_router)
    app.include_router(page_router)


def _secret(request: Request) -> bytes:
    return request.app.state.survey_secret  # type: ignore[no-any-return]


def _timezone(request: Request) -> str:
    return request.app.state.workspace.settings.timezone  # type: ignore[no-any-return]


# --- answering: public pages behind a signed link -----------------------------


def _link_page(
    request: Request, found: LinkAnswer, *, token: str, saved: bool = False
) -> HTMLResponse:
    response = found.response
    score = response.score if response else None
    return render_page(
        request,
        "surveys/answer.html",
        None,
        survey=found.survey,
        token=token,
        scores=list(SCORES[found.survey.kind]),
        score=score,
        comment=response.comment if response else None,
        follow_up=follow_up_question(found.survey, score)
        if score is not None
        else None,
        saved=saved,
    )


def _refused(request: Request, exc: InvalidLink) -> HTMLResponse:
    return render_page(
        request, "surveys/invalid.html", None, status_code=400, message=str(exc)
    )


@page_router.get("/surveys/{survey_id}/answer")
def answer_link(
    request: Request,
    db: Db,
    survey_id: str,
    t: Annotated[str, Query(max_length=1000)] = "",
    # TODO: a score outside 0–10 in a link gets the staff error page — a customer
    #   who edits the link sees field names instead of "pick a score from 0 to 10".
    score: Annotated[int | None, Query(ge=0, le=10)] = None,
) -> Response:
    """A score link records the score at once; without a score, the form."""
    # TODO: a mail scanner that opens every link of an e-mail records the last
    # score it opened — that contact's answer is wrong until they click again.
    try:
        if score is None:
            found = open_link(
                db, _secret(request), t, survey_id=survey_id, now=now_utc()
            )
        else:
            found = answer_by_link(
                db, _secret(request), t, survey_id=survey_id, score=score, now=now_utc()
            )
            db.commit()
    except InvalidLink as exc:
        db.rollback()
        return _refused(request, exc)
    return _link_page(request, found, token=t)


@page_router.post("/surveys/{survey_id}/answer")
def answer_form(
    request: Request,
    db: Db,
    survey_id: str,
    t: Annotated[str, Form(max_length=1000)],
    score: Annotated[int, Form(ge=0, le=10)],
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """The form: the score (changeable) and the answer to the follow-up question."""
    try:
        found = answer_by_link(
            db,
            _secret(request),
            t,
            survey_id=survey_id,
            score=score,
            comment=comment,
            now=now_utc(),
        )
        db.commit()
    except InvalidLink as exc:
        db.rollback()
        return _refused(request, exc)
    return _link_page(request, found, token=t, saved=True)


# --- results ------------------------------------------------------------------


def _period(text: str | None, as_of: date) -> Period:
    """The period asked for, or the last 12 months: the trend's months to as_of."""
    if text:
        return parse_period(text)
    first = _months(as_of)[0].start
    return Period(first, as_of + timedelta(days=1), "last 12 months")


def _months(as_of: date, count: int = TREND_MONTHS) -> list[Period]:
    """The last `count` calendar months, the current one cut at as_of."""
    months = []
    start = as_of.replace(day=1)
    end = as_of + timedelta(days=1)
    for _ in range(count):
        following = min((start + timedelta(days=32)).replace(day=1), end)
        months.append(Period(start, following, f"{start:%Y-%m}"))
        start = (start - timedelta(days=1)).replace(day=1)
    return months[::-1]


@page_router.get("/surveys")
def surveys_page(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    kind: Kind = "nps",
    period: Annotated[str | None, Query(max_length=40)] = None,
    by: By | None = None,
    survey: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Results by period and slice, comments, and the campaigns."""
    chosen = _period(period, as_of)
    results = survey_results(
        db,
        kind=kind,
        period=chosen,
        timezone=_timezone(request),
        survey_id=survey or None,
        by=by,
    )
    trend = monthly_trend(
        db, kind=kind, months=_months(as_of), timezone=_timezone(request)
    )
    return render_page(
        request,
        "surveys/results.html",
        caller,
        results=results,
        trend=trend,
        kind=kind,
        by=by,
        slices=SLICES,
        survey=survey,
        period_text=period or "",
        surveys=list_surveys(db),
        campaigns=list_campaigns(db),
    )


@page_router.get("/surveys/trend")
def trend_fragment(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    kind: Kind = "nps",
    account: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The monthly NPS or CSAT chart, for the dashboard or one account's page."""
    trend = monthly_trend(
        db,
        kind=kind,
        months=_months(as_of),
        timezone=_timezone(request),
        account_id=account or None,
    )
    return render_page(
        request, "surveys/_trend.html", caller, trend=trend, kind=kind, account=account
    )


# --- JSON API -----------------------------------------------------------------


class SurveyOut(BaseModel):
    id: str
    name: str
    kind: str
    question: str


class CampaignOut(BaseModel):
    id: str
    survey_id: str
    starts_at: datetime
    status: str


class SurveyList(BaseModel):
    surveys: list[SurveyOut]
    campaigns: list[CampaignOut]


class GroupOut(BaseModel):
    key: str
    label: str
    score: float | None = Field(description="NPS −100..100 or CSAT 0..100.")
    average: float | None
    responses: int
    promoters: int
    passives: int
    detractors: int
    sent: int
    answered: int
    response_rate: float | None
    non_responding_accounts: list[str]


class CommentOut(BaseModel):
    account_id: str
    account_name: str
    score: int
    group: str
    comment: str
    responded_on: date


class ResultsOut(BaseModel):
    kind: str
    period: str
    start: date
    end: date
    by: str | None
    groups: list[GroupOut]
    comments: list[CommentOut]


class ResponseIn(BaseModel):
    external_id: str = Field(min_length=1, max_length=200)
    account_id: str = Field(min_length=1, max_length=64)
    contact_id: str | None = Field(default=None, max_length=128)
    score: StrictInt
    comment: str | None = Field(default=None, max_length=5000)
    responded_at: datetime


class ResponsesIn(BaseModel):
    responses: list[ResponseIn] = Field(min_length=1, max_length=1000)


class ImportOut(BaseModel):
    created: int
    updated: int
    unchanged: int


@api_router.get("")
def api_list_surveys(db: Db, caller: Caller) -> SurveyList:
    """Every survey and campaign."""
    return SurveyList(
        surveys=[
            SurveyOut(id=s.id, name=s.name, kind=s.kind, question=s.question)
            for s in list_surveys(db)
        ],
        campaigns=[
            CampaignOut(
                id=c.id, survey_id=c.survey_id, starts_at=c.starts_at, status=c.status
            )
            for c in list_campaigns(db)
        ],
    )


def _results_out(results: SurveyResults) -> ResultsOut:
    return ResultsOut(
        kind=results.kind,
        period=results.period.label,
        start=results.period.start,
        end=results.period.end,
        by=results.by,
        groups=[GroupOut(**g.__dict__) for g in results.groups],
        comments=[CommentOut(**c.__dict__) for c in results.comments],
    )


@api_router.get("/results")
def api_results(
    request: Request,
    db: Db,
    caller: Caller,
    as_of: AsOf,
    kind: Kind = "nps",
    period: Annotated[
        str | None, Query(max_length=40, description="2026, 2026-Q4, 2026-11, A..B.")
    ] = None,
    by: By | None = None,
    survey: Annotated[str | None, Query(max_length=64)] = None,
    account: Annotated[str | None, Query(max_length=64)] = None,
) -> ResultsOut:
    """NPS or CSAT for a period (default the last 12 months), whole or per
    segment, CSM or account, with response rates, the accounts that were sent a
    survey and never answered, and the comments. Scores are unrounded."""
    results = survey_results(
        db,
        kind=kind,
        period=_period(period, as_of),
        timezone=_timezone(request),
        survey_id=survey or None,
        by=by,
        account_id=account or None,
    )
    return _results_out(results)


def _require_importer(caller: Caller) -> None:
    if caller.user.role not in ("admin", "leader"):
        raise NotAllowed(
            f"a {caller.user.role} cannot import survey responses; ask an admin "
            "or a leader for a token"
        )


@api_router.post("/{survey_id}/responses")
def api_import_responses(
    request: Request, db: Db, caller: Caller, survey_id: str, body: ResponsesIn
) -> ImportOut:
    """Import answers collected by another tool into a survey.

    All or nothing: one bad answer rejects the request with the answer's number
    and field. Idempotent by `external_id`: sending an answer again changes
    nothing, and a changed answer replaces the earlier one. Admins and leaders
    only; session callers send `X-CSRF-Token`.
    """
    check_csrf(caller, request.headers.get("x-csrf-token"))
    _require_importer(caller)
    summary = import_answers(
        db,
        survey_id,
        [ImportedAnswer(**r.model_dump()) for r in body.responses],
        now=now_utc(),
    )
    db.commit()
    return ImportOut(**summary.__dict__)
