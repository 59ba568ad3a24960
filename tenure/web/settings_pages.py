"""Settings pages: scorecards (admins edit, leaders and CSMs read) and alert
rules (admins only), each field's problem shown beside it."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tenure.alerts.models import SEVERITIES
from tenure.alerts.rule_settings import (
    InvalidAlertRule,
    RuleSettings,
    create_rule,
    describe_rule_change,
    get_rule_or_raise,
    list_rules,
    rule_changes,
    set_rule_active,
    update_rule,
)
from tenure.alerts.values import KNOWN_VALUES
from tenure.health.measures import MEASURES
from tenure.health.scorecard_settings import (
    InvalidScorecardSettings,
    MeasureSetting,
    ScorecardSettings,
    check_scorecard_settings,
    describe_change,
    list_scorecards,
    measure_field,
    scorecard_view,
    update_scorecard,
)
from tenure.web.deps import Caller, Db
from tenure.web.rendering import render_page
from tenure.web.security import (
    check_csrf,
    now_utc,
    require_settings_admin,
    require_settings_reader,
)

router = APIRouter(include_in_schema=False)


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


def format_thresholds(pairs: Any) -> str:
    """`[[0, 100], [30, 0]]` as the form shows it: `0:100, 30:0`."""
    return ", ".join(f"{_number(b)}:{_number(p)}" for b, p in pairs)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _whole(text: str, field: str, problems: dict[str, str]) -> int:
    try:
        return int(text.strip())
    except ValueError:
        problems[field] = f"{text.strip()!r} is not a whole number; write one"
        return 0


def _pairs(text: str, field: str, problems: dict[str, str]) -> list[list[float]]:
    pairs = []
    for piece in filter(None, (p.strip() for p in text.split(","))):
        bound, colon, points = piece.partition(":")
        try:
            if not colon:
                raise ValueError(piece)
            pairs.append([float(bound), float(points)])
        except ValueError:
            problems[field] = (
                f"{piece!r} is not lower_bound:points; write pairs like 0:100, 30:0"
            )
            return []
    return pairs


def read_scorecard_form(
    fields: Mapping[str, str],
) -> tuple[ScorecardSettings, dict[str, str]]:
    """The edit a form sent, and the problems of reading it (before checking)."""
    problems: dict[str, str] = {}
    measures = []
    for name in MEASURES:
        weight_text = fields.get(f"weight.{name}", "").strip()
        thresholds_text = fields.get(f"thresholds.{name}", "").strip()
        if not weight_text and not thresholds_text:
            continue
        if not weight_text:
            problems[measure_field(name, "weight")] = (
                "give a weight, or clear the thresholds to drop the measure"
            )
        weight = _whole(weight_text or "0", measure_field(name, "weight"), problems)
        pairs = _pairs(thresholds_text, measure_field(name, "thresholds"), problems)
        measures.append(MeasureSetting(name, weight, pairs))
    settings = ScorecardSettings(
        name=fields.get("name", ""),
        red_below=_whole(fields.get("red_below", ""), "red_below", problems),
        green_from=_whole(fields.get("green_from", ""), "green_from", problems),
        measures=measures,
    )
    return settings, problems


@router.get("/settings")
def settings_home(caller: Caller) -> Response:
    require_settings_reader(caller.user)
    return RedirectResponse("/settings/scorecards", status_code=303)


@router.get("/settings/scorecards")
def scorecards_page(request: Request, db: Db, caller: Caller) -> Response:
    require_settings_reader(caller.user)
    return render_page(
        request,
        "settings_scorecards.html",
        caller,
        scorecards=list_scorecards(db),
        format_thresholds=format_thresholds,
    )


def _scorecard_form(
    request: Request,
    db: Db,
    caller: Caller,
    scorecard_id: str,
    *,
    values: Mapping[str, str] | None = None,
    problems: Mapping[str, str] | None = None,
    saved: bool = False,
) -> Response:
    view = scorecard_view(db, scorecard_id)
    if values is None:
        used = {m.measure: m for m in view.measures}
        values = {"name": view.name}
        values |= {"red_below": str(view.red_below)}
        values |= {"green_from": str(view.green_from)}
        for name, m in used.items():
            values |= {f"weight.{name}": str(m.weight)}
            values |= {f"thresholds.{name}": format_thresholds(m.thresholds)}
    return render_page(
        request,
        "settings_scorecard.html",
        caller,
        status_code=422 if problems else 200,
        view=view,
        values=values,
        problems=problems or {},
        measures=list(MEASURES),
        measure_field=measure_field,
        describe_change=describe_change,
        can_edit=caller.user.role == "admin",
        saved=saved,
    )


@router.get("/settings/scorecards/{scorecard_id}")
def scorecard_page(
    request: Request, db: Db, caller: Caller, scorecard_id: str, saved: bool = False
) -> Response:
    require_settings_reader(caller.user)
    return _scorecard_form(request, db, caller, scorecard_id, saved=saved)


@router.post("/settings/scorecards/{scorecard_id}")
def save_scorecard(
    request: Request, db: Db, caller: Caller, scorecard_id: str, fields: FormFields
) -> Response:
    check_csrf(caller, fields.get("csrf_token"))
    require_settings_admin(caller.user)
    settings, problems = read_scorecard_form(fields)
    problems = {**check_scorecard_settings(settings), **problems}
    if not problems:
        try:
            update_scorecard(
                db,
                scorecard_id,
                settings,
                changed_by=caller.user.id,
                changed_at=now_utc(),
            )
            db.commit()
            return RedirectResponse(
                f"/settings/scorecards/{scorecard_id}?saved=true", status_code=303
            )
        except InvalidScorecardSettings as exc:
            problems = exc.problems
    db.rollback()
    return _scorecard_form(
        request, db, caller, scorecard_id, values=fields, problems=problems
    )


@router.get("/settings/alert-rules")
def rules_page(request: Request, db: Db, caller: Caller) -> Response:
    require_settings_admin(caller.user)
    return render_page(request, "settings_rules.html", caller, rules=list_rules(db))


def _rule_form(
    request: Request,
    caller: Caller,
    *,
    rule_id: str | None,
    values: Mapping[str, Any],
    problems: Mapping[str, str] | None = None,
    changes: list[Any] | None = None,
    saved: bool = False,
) -> Response:
    return render_page(
        request,
        "settings_rule.html",
        caller,
        status_code=422 if problems else 200,
        rule_id=rule_id,
        values=values,
        problems=problems or {},
        changes=changes or [],
        severities=SEVERITIES,
        known=sorted(KNOWN_VALUES),
        describe_change=describe_rule_change,
        saved=saved,
    )


@router.get("/settings/alert-rules/new")
def new_rule_page(request: Request, caller: Caller) -> Response:
    require_settings_admin(caller.user)
    blank = {"severity": "medium", "cooldown_days": "7", "is_active": "on"}
    return _rule_form(request, caller, rule_id=None, values=blank | {"auto": "on"})


@router.get("/settings/alert-rules/{rule_id}")
def rule_page(
    request: Request, db: Db, caller: Caller, rule_id: str, saved: bool = False
) -> Response:
    require_settings_admin(caller.user)
    rule = get_rule_or_raise(db, rule_id)
    values = {
        "name": rule.name,
        "condition": rule.condition,
        "severity": rule.severity,
        "cooldown_days": str(rule.cooldown_days),
        "is_active": "on" if rule.is_active else "",
        "auto": "on" if rule.is_auto_closed else "",
    }
    changes = rule_changes(db, rule_id)
    return _rule_form(
        request, caller, rule_id=rule_id, values=values, changes=changes, saved=saved
    )


def _read_rule_form(fields: Mapping[str, str]) -> tuple[RuleSettings, dict[str, str]]:
    problems: dict[str, str] = {}
    cooldown = _whole(fields.get("cooldown_days", ""), "cooldown_days", problems)
    settings = RuleSettings(
        name=fields.get("name", ""),
        condition=fields.get("condition", ""),
        severity=fields.get("severity", ""),
        cooldown_days=cooldown,
        is_active=fields.get("is_active") == "on",
        is_auto_closed=fields.get("auto") == "on",
    )
    return settings, problems


def _save_rule(
    request: Request, db: Db, caller: Caller, rule_id: str | None, fields: FormFields
) -> Response:
    check_csrf(caller, fields.get("csrf_token"))
    require_settings_admin(caller.user)
    settings, problems = _read_rule_form(fields)
    wanted_id = rule_id or fields.get("id", "").strip()
    if not problems:
        try:
            if rule_id is None:
                create_rule(
                    db,
                    wanted_id,
                    settings,
                    changed_by=caller.user.id,
                    changed_at=now_utc(),
                )
            else:
                update_rule(
                    db,
                    rule_id,
                    settings,
                    changed_by=caller.user.id,
                    changed_at=now_utc(),
                )
            db.commit()
            return RedirectResponse(
                f"/settings/alert-rules/{wanted_id}?saved=true", status_code=303
            )
        except InvalidAlertRule as exc:
            problems = exc.problems
    db.rollback()
    return _rule_form(
        request, caller, rule_id=rule_id, values=fields, problems=problems
    )


@router.post("/settings/alert-rules")
def create_rule_form(
    request: Request, db: Db, caller: Caller, fields: FormFields
) -> Response:
    return _save_rule(request, db, caller, None, fields)


@router.post("/settings/alert-rules/{rule_id}")
def update_rule_form(
    request: Request, db: Db, caller: Caller, rule_id: str, fields: FormFields
) -> Response:
    get_rule_or_raise(db, rule_id)
    return _save_rule(request, db, caller, rule_id, fields)


@router.post("/settings/alert-rules/{rule_id}/active")
def toggle_rule(
    db: Db,
    caller: Caller,
    rule_id: str,
    is_active: Annotated[bool, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_settings_admin(caller.user)
    set_rule_active(
        db,
        rule_id,
        is_active=is_active,
        changed_by=caller.user.id,
        changed_at=now_utc(),
    )
    db.commit()
    return RedirectResponse("/settings/alert-rules", status_code=303)
