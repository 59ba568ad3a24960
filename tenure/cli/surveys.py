"""`tenure surveys`: create surveys and campaigns, send them, read the results."""

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy import select

from tenure.cli.context import OutputFormat, workspace_of
from tenure.cli.listing import Format, print_rows, today
from tenure.core.db import make_session_factory, transaction
from tenure.core.errors import InvalidInput
from tenure.core.time import parse_period
from tenure.surveys.audience import as_utc
from tenure.surveys.models import SurveySend
from tenure.surveys.results import survey_results
from tenure.surveys.sending import LinkMaker, SmtpMailer, send_campaigns
from tenure.surveys.service import (
    Audience,
    Throttle,
    create_campaign,
    create_survey,
    get_campaign_or_raise,
    get_survey_or_raise,
    list_campaigns,
    list_surveys,
)
from tenure.surveys.settings import load_link_secret, load_mail_settings

surveys_app = typer.Typer(
    help="NPS and CSAT surveys, campaigns and results.", no_args_is_help=True
)

Many = Annotated[list[str] | None, typer.Option(help="Account segment.")]


def _now() -> datetime:
    return datetime.now(UTC)


def _moment(text: str | None) -> datetime:
    if text is None:
        return _now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            f"--starts-at {text!r} is not a time; write 2026-12-07T09:00 (UTC) or "
            "add an offset such as +01:00"
        ) from exc
    return as_utc(moment)


def _attributes(pairs: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise InvalidInput(
                f"--attribute {pair!r} is not NAME=VALUE; write for example "
                "--attribute plan=Enterprise"
            )
        found.setdefault(name.strip(), []).append(value.strip())
    return {k: tuple(v) for k, v in found.items()}


@surveys_app.command("create")
def surveys_create(
    ctx: typer.Context,
    survey_id: str,
    kind: Annotated[str, typer.Option("--kind", help="nps or csat.")] = "nps",
    name: Annotated[str | None, typer.Option("--name")] = None,
    question: Annotated[str | None, typer.Option("--question")] = None,
    follow_up: Annotated[
        list[str] | None,
        typer.Option(
            "--follow-up", help="Three times: detractor, passive, promoter question."
        ),
    ] = None,
) -> None:
    """Create an NPS or CSAT survey with its follow-up questions."""
    workspace = workspace_of(ctx)
    with transaction(workspace.engine) as session:
        survey = create_survey(
            session,
            survey_id=survey_id,
            kind=kind,
            name=name,
            question=question,
            follow_ups=follow_up,
            now=_now(),
        )
        typer.echo(f"survey {survey.id} created ({survey.kind})")


@surveys_app.command("campaign")
def surveys_campaign(
    ctx: typer.Context,
    campaign_id: str,
    survey: Annotated[str, typer.Option("--survey", help="The survey's id.")],
    starts_at: Annotated[
        str | None, typer.Option("--starts-at", help="ISO time; default now.")
    ] = None,
    segment: Many = None,
    role: Annotated[list[str] | None, typer.Option(help="Contact role.")] = None,
    attribute: Annotated[
        list[str] | None, typer.Option(help="Account attribute NAME=VALUE.")
    ] = None,
    sample_rate: Annotated[float | None, typer.Option(help="Fraction 0–1.")] = None,
    sample_size: Annotated[int | None, typer.Option(help="At most N.")] = None,
    seed: int = 0,
    answer_quiet_days: int = 90,
    send_quiet_days: int = 30,
    account_limit: Annotated[
        int | None, typer.Option(help="Contacts per account per window.")
    ] = 3,
    account_window_days: int = 30,
    link_days: int = 30,
) -> None:
    """Schedule a campaign: audience, sample, throttles and start time."""
    workspace = workspace_of(ctx)
    with transaction(workspace.engine) as session:
        campaign = create_campaign(
            session,
            campaign_id=campaign_id,
            survey_id=survey,
            starts_at=_moment(starts_at),
            audience=Audience(
                tuple(segment or ()), tuple(role or ()), _attributes(attribute or [])
            ),
            sample_rate=sample_rate,
            sample_size=sample_size,
            seed=seed,
            throttle=Throttle(
                answer_quiet_days=answer_quiet_days,
                send_quiet_days=send_quiet_days,
                account_limit=account_limit,
                account_window_days=account_window_days,
                link_days=link_days,
            ),
            now=_now(),
        )
        starts = as_utc(campaign.starts_at)
        typer.echo(f"campaign {campaign.id} scheduled for {starts:%Y-%m-%d %H:%M} UTC")


@surveys_app.command("list")
def surveys_list(ctx: typer.Context, fmt: Format = OutputFormat.table) -> None:
    """List the surveys, then the campaigns with their sends and answers."""
    workspace = workspace_of(ctx)
    with make_session_factory(workspace.engine)() as session:
        surveys = [[s.id, s.kind, s.name] for s in list_surveys(session)]
        campaigns = []
        for c in list_campaigns(session):
            sends = list(
                session.scalars(
                    select(SurveySend).where(SurveySend.campaign_id == c.id)
                )
            )
            campaigns.append(
                [
                    c.id,
                    c.survey_id,
                    f"{as_utc(c.starts_at):%Y-%m-%d %H:%M}",
                    c.status,
                    sum(1 for s in sends if s.status == "sent"),
                    sum(1 for s in sends if s.response_id is not None),
                ]
            )
    print_rows(["survey", "kind", "name"], surveys, fmt)
    if fmt is OutputFormat.table:
        typer.echo("")
    print_rows(
        ["campaign", "survey", "starts_at", "status", "sent", "answered"],
        campaigns,
        fmt,
    )


@surveys_app.command("send")
def surveys_send(
    ctx: typer.Context,
    campaign_id: str,
    now: Annotated[
        bool, typer.Option("--now", help="Send even if it starts later.")
    ] = False,
) -> None:
    """Send a campaign now through the SMTP server (`TENURE_SMTP_*`)."""
    workspace = workspace_of(ctx)
    settings = load_mail_settings()
    links = LinkMaker(
        load_link_secret(workspace.settings.home, settings.survey_secret),
        settings.base_url,
    )
    moment = _now()
    with make_session_factory(workspace.engine)() as session:
        campaign = get_campaign_or_raise(session, campaign_id)
        if as_utc(campaign.starts_at) > moment:
            if not now:
                raise InvalidInput(
                    f"campaign {campaign_id} starts at "
                    f"{as_utc(campaign.starts_at):%Y-%m-%d %H:%M} UTC; wait for the "
                    "`surveys` job, or pass --now to send it now"
                )
            campaign.starts_at = moment
        summary = send_campaigns(
            session,
            [campaign],
            mailer=SmtpMailer(settings),
            links=links,
            sender=settings.smtp_from_address,
            now=moment,
        )
    typer.echo(
        f"campaign {campaign_id}: {summary.queued} queued, {summary.sent} sent, "
        f"{summary.retrying} to retry, {summary.failed} failed"
    )
    if summary.errors:
        raise InvalidInput(summary.errors[0])


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


@surveys_app.command("results")
def surveys_results(
    ctx: typer.Context,
    survey_id: Annotated[
        str | None, typer.Argument(help="One survey; default all of the kind.")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="nps or csat.")] = "nps",
    period: Annotated[
        str | None, typer.Option("--period", help="2026, 2026-Q4, 2026-11, A..B.")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="segment, csm or account.")
    ] = None,
    comments: Annotated[
        bool, typer.Option("--comments", help="List the comments too.")
    ] = False,
    fmt: Format = OutputFormat.table,
) -> None:
    """NPS or CSAT, answers, response rate and non-responding accounts."""
    workspace = workspace_of(ctx)
    chosen = parse_period(period or str(today(ctx).year))
    with make_session_factory(workspace.engine)() as session:
        if survey_id is not None:
            kind = get_survey_or_raise(session, survey_id).kind
        results = survey_results(
            session,
            kind=kind,
            period=chosen,
            timezone=workspace.settings.timezone,
            survey_id=survey_id,
            by=by,
        )
    label = kind.upper()
    print_rows(
        [by or "slice", label, "responses", "sent", "response_rate", "not_responding"],
        [
            [
                g.label,
                _score(g.score),
                g.responses,
                g.sent,
                _rate(g.response_rate),
                " ".join(g.non_responding_accounts),
            ]
            for g in results.groups
        ],
        fmt,
    )
    if comments:
        print_rows(
            ["account", "score", "group", "on", "comment"],
            [
                [c.account_name, c.score, c.group, c.responded_on, c.comment]
                for c in results.comments
            ],
            fmt,
        )
