"""The settings JSON API: scorecards, alert rules and API tokens (users: team_api)."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from tenure.accounts.access import create_token, list_tokens, revoke_token
from tenure.accounts.access_models import ApiToken
from tenure.alerts.models import AlertRule
from tenure.alerts.rule_settings import (
    RuleSettings,
    create_rule,
    get_rule_or_raise,
    list_rules,
    rule_changes,
    update_rule,
)
from tenure.health.scorecard_settings import (
    MeasureSetting,
    ScorecardSettings,
    ScorecardView,
    list_scorecards,
    scorecard_view,
    update_scorecard,
)
from tenure.web.deps import Caller, Db
from tenure.web.schemas import ErrorOut
from tenure.web.security import (
    check_csrf,
    now_utc,
    require_admin,
    require_settings_admin,
    require_settings_reader,
)
from tenure.web.settings_schemas import (
    PRINTABLE,
    AlertRuleCreate,
    AlertRuleIn,
    AlertRuleOut,
    ChangeOut,
    MeasureOut,
    ScorecardIn,
    ScorecardOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix="/api", tags=["settings"], responses=ERRORS)


def _id_of(what: str) -> Any:
    return Path(max_length=64, pattern=PRINTABLE, description=f"The {what}'s id.")


ScorecardId = Annotated[str, _id_of("scorecard")]
RuleId = Annotated[str, _id_of("alert rule")]
UserId = Annotated[str, _id_of("user")]
TokenId = Annotated[str, _id_of("token")]


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; every stored instant is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _change_out(change: Any) -> ChangeOut:
    return ChangeOut(
        changed_by=change.changed_by,
        changed_at=_aware(change.changed_at),
        before=change.before,
        after=change.after,
    )


def _scorecard_out(view: ScorecardView) -> ScorecardOut:
    return ScorecardOut(
        id=view.id,
        name=view.name,
        is_default=view.is_default,
        red_below=view.red_below,
        green_from=view.green_from,
        measures=[
            MeasureOut(
                measure=m.measure,
                weight=m.weight,
                thresholds=[list(p) for p in m.thresholds],
            )
            for m in view.measures
        ],
        changes=[_change_out(c) for c in view.changes],
    )


@router.get("/scorecards")
def get_scorecards(db: Db, caller: Caller) -> list[ScorecardOut]:
    """Every health scorecard with its bands and measures, the default first.

    Admins, leaders and CSMs may read them; viewers may not.
    """
    require_settings_reader(caller.user)
    return [_scorecard_out(view) for view in list_scorecards(db)]


@router.get("/scorecards/{scorecard_id}")
def get_scorecard(db: Db, caller: Caller, scorecard_id: ScorecardId) -> ScorecardOut:
    """One scorecard with its latest changes (who, when, before and after)."""
    require_settings_reader(caller.user)
    return _scorecard_out(scorecard_view(db, scorecard_id))


@router.put("/scorecards/{scorecard_id}")
def put_scorecard(
    request: Request,
    db: Db,
    caller: Caller,
    scorecard_id: ScorecardId,
    body: ScorecardIn,
) -> ScorecardOut:
    """Replace a scorecard's name, bands and measures (admins only).

    A 422 answer lists every field's problem in `error.problems`. Saved scores
    are kept; the next `health` job scores with the new settings.
    """
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_settings_admin(caller.user)
    settings = ScorecardSettings(
        name=body.name,
        red_below=body.red_below,
        green_from=body.green_from,
        measures=[
            MeasureSetting(m.measure, m.weight, m.thresholds) for m in body.measures
        ],
    )
    update_scorecard(
        db, scorecard_id, settings, changed_by=caller.user.id, changed_at=now_utc()
    )
    db.commit()
    return _scorecard_out(scorecard_view(db, scorecard_id))


def _rule_out(rule: AlertRule, changes: list[Any] | None = None) -> AlertRuleOut:
    return AlertRuleOut(
        id=rule.id,
        name=rule.name,
        condition=rule.condition,
        severity=rule.severity,
        cooldown_days=rule.cooldown_days,
        is_active=rule.is_active,
        is_auto_closed=rule.is_auto_closed,
        changes=[_change_out(c) for c in changes or []],
    )


def _rule_settings(body: AlertRuleIn) -> RuleSettings:
    return RuleSettings(
        name=body.name,
        condition=body.condition,
        severity=body.severity,
        cooldown_days=body.cooldown_days,
        is_active=body.is_active,
        is_auto_closed=body.is_auto_closed,
    )


@router.get("/alert-rules")
def get_alert_rules(db: Db, caller: Caller) -> list[AlertRuleOut]:
    """Every alert rule, enabled or not (admins only)."""
    require_settings_admin(caller.user)
    return [_rule_out(rule) for rule in list_rules(db)]


@router.post("/alert-rules", status_code=201)
def post_alert_rule(
    request: Request, db: Db, caller: Caller, body: AlertRuleCreate
) -> AlertRuleOut:
    """Add an alert rule (admins only); the condition's parser explains a bad
    condition in `error.problems`."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_settings_admin(caller.user)
    rule = create_rule(
        db,
        body.id,
        _rule_settings(body),
        changed_by=caller.user.id,
        changed_at=now_utc(),
    )
    db.commit()
    return _rule_out(rule, rule_changes(db, rule.id))


@router.get("/alert-rules/{rule_id}")
def get_alert_rule(db: Db, caller: Caller, rule_id: RuleId) -> AlertRuleOut:
    """One alert rule with its latest changes (admins only)."""
    require_settings_admin(caller.user)
    return _rule_out(get_rule_or_raise(db, rule_id), rule_changes(db, rule_id))


@router.put("/alert-rules/{rule_id}")
def put_alert_rule(
    request: Request, db: Db, caller: Caller, rule_id: RuleId, body: AlertRuleIn
) -> AlertRuleOut:
    """Change every field of an alert rule, enabling or disabling it too
    (admins only). Takes effect on the next run of the rules."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    require_settings_admin(caller.user)
    rule = update_rule(
        db,
        rule_id,
        _rule_settings(body),
        changed_by=caller.user.id,
        changed_at=now_utc(),
    )
    db.commit()
    return _rule_out(rule, rule_changes(db, rule_id))


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.id,
        name=token.name,
        user_id=token.user_id,
        created_at=_aware(token.created_at),
        last_used_at=_aware(token.last_used_at),
        revoked_at=_aware(token.revoked_at),
    )


@router.get("/tokens")
def get_tokens(
    db: Db,
    caller: Caller,
    everyone: Annotated[
        bool, Query(alias="all", description="Admins: every user's tokens.")
    ] = False,
) -> list[TokenOut]:
    """Your API tokens, newest first, revoked ones included; never the secret."""
    if everyone:
        require_admin(caller.user)
    owner = None if everyone else caller.user.id
    return [_token_out(t) for t in list_tokens(db, user_id=owner)]


@router.post("/tokens", status_code=201)
def post_token(
    request: Request, db: Db, caller: Caller, body: TokenIn
) -> TokenCreatedOut:
    """Create a token acting as you; the `token` is shown in this answer only."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    plain, token = create_token(
        db, name=body.name, email=caller.user.email, now=now_utc()
    )
    db.commit()
    return TokenCreatedOut(**_token_out(token).model_dump(), token=plain)


@router.delete("/tokens/{token_id}")
def delete_token(
    request: Request, db: Db, caller: Caller, token_id: TokenId
) -> TokenOut:
    """Revoke a token: the next call with it answers 401. Your own, or any
    token for admins."""
    check_csrf(caller, request.headers.get("x-csrf-token"))
    owner = None if caller.user.role == "admin" else caller.user.id
    token = revoke_token(db, token_id, now=now_utc(), user_id=owner)
    db.commit()
    return _token_out(token)
