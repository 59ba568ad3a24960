"""Users and API tokens in the web: admins add, change and deactivate users;
everyone keeps their own tokens; invited users choose their password."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from tenure.accounts.access import (
    create_token,
    list_tokens,
    revoke_token,
    set_password,
)
from tenure.accounts.models import USER_ROLES, User
from tenure.accounts.roster import get_user_or_raise
from tenure.core.errors import InvalidInput
from tenure.web.deps import Caller, Db
from tenure.web.rendering import render_page
from tenure.web.security import (
    Identity,
    check_csrf,
    invited_user_id,
    now_utc,
    read_invitation,
    require_admin,
)
from tenure.web.user_actions import add_web_user, change_user, invitation_url

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
Csrf = Annotated[str, Form()]


def _users_page(
    request: Request,
    db: Db,
    caller: Identity,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    users = list(db.scalars(select(User).order_by(User.name)))
    return render_page(
        request,
        "users.html",
        caller,
        status_code=status_code,
        users=users,
        roles=USER_ROLES,
        values=context.pop("values", {"role": "csm", "fte": "1", "access": "invite"}),
        today=now_utc().date(),
        **context,
    )


@router.get("/users")
def users_page(request: Request, db: Db, caller: Caller) -> Response:
    require_admin(caller.user)
    return _users_page(request, db, caller)


@router.post("/users")
def add_user_form(
    request: Request,
    db: Db,
    caller: Caller,
    email: Text,
    name: Text,
    role: Text,
    fte: Text = "1",
    access: Text = "invite",
    password: Text = "",
    csrf_token: Csrf = "",
) -> Response:
    check_csrf(caller, csrf_token)
    require_admin(caller.user)
    values = {"email": email, "name": name, "role": role, "fte": fte}
    try:
        share = Decimal(fte.strip())
        if not share.is_finite():
            raise InvalidOperation(fte)
    except InvalidOperation:
        problem = f"FTE {fte.strip()!r} is not a number; give one in (0, 1], like 0.5"
        return _users_page(
            request, db, caller, status_code=422, values=values, problem=problem
        )
    try:
        user = add_web_user(
            db,
            email=email,
            name=name,
            role=role,
            fte=share,
            password=password if access == "password" else None,
        )
    except InvalidInput as exc:
        db.rollback()
        return _users_page(
            request, db, caller, status_code=422, values=values, problem=str(exc)
        )
    db.commit()
    if access == "password":
        return RedirectResponse("/users", status_code=303)
    return _users_page(
        request, db, caller, invited=user, link=invitation_url(request, user)
    )


@router.post("/users/{user_id}/role")
def change_role(
    db: Db, caller: Caller, user_id: str, role: Text, csrf_token: Csrf = ""
) -> Response:
    check_csrf(caller, csrf_token)
    require_admin(caller.user)
    change_user(db, caller.user, user_id, role=role)
    db.commit()
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/deactivate")
def deactivate(db: Db, caller: Caller, user_id: str, csrf_token: Csrf = "") -> Response:
    check_csrf(caller, csrf_token)
    require_admin(caller.user)
    change_user(db, caller.user, user_id, deactivate=True)
    db.commit()
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/invitation")
def reinvite(
    request: Request, db: Db, caller: Caller, user_id: str, csrf_token: Csrf = ""
) -> Response:
    check_csrf(caller, csrf_token)
    require_admin(caller.user)
    user = get_user_or_raise(db, user_id)
    return _users_page(
        request, db, caller, invited=user, link=invitation_url(request, user)
    )


def _invited(request: Request, db: Db, token: str) -> User | None:
    found = invited_user_id(request.app.state.secret_key, token)
    user = db.get(User, found[0]) if found else None
    key = request.app.state.secret_key
    return user if read_invitation(key, token, user, now=now_utc()) else None


@router.get("/invitation", name="invitation_form")
def invitation_form(
    request: Request, db: Db, token: Annotated[str, Query(max_length=400)] = ""
) -> Response:
    user = _invited(request, db, token)
    return render_page(
        request,
        "invitation.html",
        None,
        status_code=200 if user else 404,
        invited=user,
        token=token,
        problem=None,
    )


@router.post("/invitation")
def accept_invitation(
    request: Request,
    db: Db,
    token: Text,
    password: Text,
    password_again: Text,
) -> Response:
    user = _invited(request, db, token)
    if user is None:
        return invitation_form(request, db, token)
    problem = None
    if password != password_again:
        problem = "The two passwords differ; type the same one twice."
    else:
        try:
            set_password(db, user.email, password)
        except InvalidInput as exc:
            problem = str(exc).capitalize() + "."
    if problem:
        return render_page(
            request,
            "invitation.html",
            None,
            status_code=422,
            invited=user,
            token=token,
            problem=problem,
        )
    db.commit()
    return RedirectResponse("/login", status_code=303)


@router.get("/tokens")
def tokens_page(request: Request, db: Db, caller: Caller) -> Response:
    return _tokens_page(request, db, caller)


def _tokens_page(
    request: Request, db: Db, caller: Identity, **context: Any
) -> Response:
    is_admin = caller.user.role == "admin"
    return render_page(
        request,
        "tokens.html",
        caller,
        mine=list_tokens(db, user_id=caller.user.id),
        everyone=list_tokens(db) if is_admin else [],
        names={u.id: u.name for u in db.scalars(select(User))} if is_admin else {},
        **context,
    )


@router.post("/tokens")
def create_token_form(
    request: Request, db: Db, caller: Caller, name: Text, csrf_token: Csrf = ""
) -> Response:
    check_csrf(caller, csrf_token)
    try:
        plain, token = create_token(
            db, name=name, email=caller.user.email, now=now_utc()
        )
    except InvalidInput as exc:
        return _tokens_page(request, db, caller, problem=str(exc))
    db.commit()
    return _tokens_page(request, db, caller, created=token, plain=plain)


@router.post("/tokens/{token_id}/revoke")
def revoke_token_form(
    db: Db, caller: Caller, token_id: str, csrf_token: Csrf = ""
) -> Response:
    check_csrf(caller, csrf_token)
    owner = None if caller.user.role == "admin" else caller.user.id
    revoke_token(db, token_id, now=now_utc(), user_id=owner)
    db.commit()
    return RedirectResponse("/tokens", status_code=303)
