"""Request identity: signed session cookies, bearer tokens, roles and CSRF checks."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import Request, Response
from sqlalchemy.orm import Session

from tenure.accounts.access import find_session, find_token_user
from tenure.accounts.models import Account, User
from tenure.web.errors import CsrfRejected, NotAllowed, NotSignedIn

SESSION_COOKIE = "tenure_session"
LOGIN_CSRF_COOKIE = "tenure_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_KEY_FILE = "web-secret.key"


def load_secret_key(home: Path) -> bytes:
    """The key that signs cookies, made once per workspace and kept private."""
    path = home / _KEY_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return bytes.fromhex(path.read_text(encoding="utf-8").strip())


def sign(key: bytes, value: str) -> str:
    mac = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(key: bytes, signed: str) -> str | None:
    value, _, mac = signed.rpartition(".")
    expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
    return value if value and hmac.compare_digest(mac, expected) else None


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Identity:
    """Who is asking; `csrf_token` is None for bearer-token requests."""

    user: User
    csrf_token: str | None
    session_id: str | None = None


def _session_identity(request: Request, db: Session) -> Identity | None:
    signed = request.cookies.get(SESSION_COOKIE)
    if not signed:
        return None
    session_id = unsign(request.app.state.secret_key, signed)
    if session_id is None:
        return None
    found = find_session(db, session_id, now=now_utc())
    if found is None:
        return None
    record, user = found
    return Identity(user, record.csrf_token, session_id)


def _bearer_identity(request: Request, db: Session) -> Identity | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = find_token_user(db, token.strip(), now=now_utc())
    return Identity(user, None) if user is not None else None


def identify(request: Request, db: Session) -> Identity | None:
    return _bearer_identity(request, db) or _session_identity(request, db)


def identify_or_raise(request: Request, db: Session) -> Identity:
    identity = identify(request, db)
    if identity is None:
        raise NotSignedIn(
            "sign in first: send a session cookie from /login or an "
            "'Authorization: Bearer <token>' header from `tenure tokens create`"
        )
    return identity


def check_csrf(identity: Identity, submitted: str | None) -> None:
    """Session requests that change something must carry the session's token."""
    if identity.csrf_token is None:
        return
    if not submitted or not hmac.compare_digest(submitted, identity.csrf_token):
        raise CsrfRejected(
            "the form has expired or came from another site; reload the page "
            "and try again"
        )


def can_write_notes(user: User, account: Account) -> bool:
    """Admins and leaders on every account, a CSM on their own, viewers never."""
    if user.role in ("admin", "leader"):
        return True
    return user.role == "csm" and account.csm_id == user.id


def require_note_writer(user: User, account: Account) -> None:
    if not can_write_notes(user, account):
        raise NotAllowed(
            f"a {user.role} cannot add notes to account {account.id!r}; ask its "
            "CSM or an admin"
        )


def require_admin(user: User) -> None:
    if user.role != "admin":
        raise NotAllowed("only admins manage users; ask an admin")


def require_settings_reader(user: User) -> None:
    """Admins, leaders and CSMs may read scorecards; viewers may not."""
    if user.role not in ("admin", "leader", "csm"):
        raise NotAllowed(
            f"a {user.role} cannot open the settings; ask an admin for another role"
        )


def require_settings_admin(user: User) -> None:
    if user.role != "admin":
        raise NotAllowed(
            f"only admins change settings and alert rules; a {user.role} cannot"
        )


INVITATION_LIFETIME = timedelta(days=7)


def _account_state(user: User) -> str:
    """Changes once the invitation is used (password) or the user leaves."""
    left = user.left_on.isoformat() if user.left_on else ""
    state = f"{user.password_hash or ''}|{left}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def invitation_token(key: bytes, user: User, *, now: datetime) -> str:
    """A signed link token that lets the user choose a password, once, for 7 days."""
    expires = int((now + INVITATION_LIFETIME).timestamp())
    return sign(key, f"{user.id}~{expires}~{_account_state(user)}")


def invited_user_id(key: bytes, token: str) -> tuple[str, int, str] | None:
    """The user id, expiry (epoch seconds) and state an invitation was made for."""
    value = unsign(key, token)
    parts = value.rsplit("~", 2) if value is not None else []
    if len(parts) != 3:
        return None
    user_id, expires, state = parts
    return (user_id, int(expires), state) if expires.isdigit() else None


def read_invitation(
    key: bytes, token: str, user: User | None, *, now: datetime
) -> bool:
    """True when the token is genuine, unexpired and unused for that user."""
    found = invited_user_id(key, token)
    if found is None or user is None:
        return False
    user_id, expires, state = found
    return (
        user_id == user.id
        and now.timestamp() < expires
        and hmac.compare_digest(state, _account_state(user))
    )


def set_session_cookie(
    response: Response, request: Request, session_id: str, max_age: int
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        sign(request.app.state.secret_key, session_id),
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def can_handle_alert(user: User, assignee_id: str | None) -> bool:
    """Admins and leaders on every alert, a CSM on those routed to them."""
    if user.role in ("admin", "leader"):
        return True
    return user.role == "csm" and assignee_id == user.id


def require_alert_handler(user: User, alert_id: int, assignee_id: str | None) -> None:
    if not can_handle_alert(user, assignee_id):
        raise NotAllowed(
            f"a {user.role} cannot change alert {alert_id}; ask the account's "
            "CSM, a leader or an admin"
        )
