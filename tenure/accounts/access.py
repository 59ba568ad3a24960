"""Who may sign in: passwords (argon2), browser sessions and API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tenure.accounts.access_models import ApiToken, WebSession
from tenure.accounts.errors import InvalidRosterEntry, TokenNotFound, UserNotFound
from tenure.accounts.models import User

log = structlog.get_logger()

MIN_PASSWORD_LENGTH = 10
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_PREFIX = "tnr_"

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong e-mail costs as long as a
# wrong password and the timing does not tell which users exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def get_user_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail, compared without case."""
    wanted = email.strip().lower()
    return session.scalar(select(User).where(func.lower(User.email) == wanted))


def get_user_by_email_or_raise(session: Session, email: str) -> User:
    user = get_user_by_email(session, email)
    if user is None:
        raise UserNotFound(
            f"no user has the e-mail {email!r}; list the roster with "
            "`tenure users list`"
        )
    return user


def set_password(session: Session, email: str, password: str) -> User:
    """Store an argon2 hash of a new password; the password itself is not kept."""
    user = get_user_by_email_or_raise(session, email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRosterEntry(
            f"the password for {email!r} is shorter than {MIN_PASSWORD_LENGTH} "
            "characters; choose a longer one"
        )
    user.password_hash = _hasher.hash(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    log.info("accounts.password_set", user_id=user.id)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user when the e-mail and password match, else None."""
    user = get_user_by_email(session, email)
    stored = user.password_hash if user is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is None:
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return user


@dataclass(frozen=True)
class OpenedSession:
    """A new browser session: `session_id` goes in the cookie, once."""

    session_id: str
    csrf_token: str
    expires_at: datetime


def open_session(session: Session, user: User, *, now: datetime) -> OpenedSession:
    """Start a browser session for a signed-in user."""
    session_id = secrets.token_urlsafe(32)
    record = WebSession(
        id_hash=_digest(session_id),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(record)
    session.flush()
    log.info("accounts.session_opened", user_id=user.id)
    return OpenedSession(session_id, record.csrf_token, record.expires_at)


def find_session(
    session: Session, session_id: str, *, now: datetime
) -> tuple[WebSession, User] | None:
    """The live session and its user, or None when unknown or expired."""
    record = session.get(WebSession, _digest(session_id))
    if record is None:
        return None
    if _aware(record.expires_at) <= now:
        session.delete(record)
        return None
    user = session.get(User, record.user_id)
    if user is None or user.password_hash is None:
        return None
    return record, user


def close_session(session: Session, session_id: str) -> None:
    """Sign out: forget the session."""
    session.execute(delete(WebSession).where(WebSession.id_hash == _digest(session_id)))


def create_token(
    session: Session, *, name: str, email: str, now: datetime
) -> tuple[str, ApiToken]:
    """A new API token acting as the user; the plain token is returned only here."""
    if not name.strip():
        raise InvalidRosterEntry("the token name is empty; name what will use it")
    user = get_user_by_email_or_raise(session, email)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=secrets.token_hex(8),
        name=name.strip(),
        user_id=user.id,
        token_hash=_digest(plain),
        created_at=now,
    )
    session.add(token)
    session.flush()
    log.info("accounts.token_created", token_id=token.id, user_id=user.id)
    return plain, token


def find_token_user(session: Session, plain: str, *, now: datetime) -> User | None:
    """The user a live bearer token acts as, or None."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(plain))
    )
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = now
    return session.get(User, token.user_id)


def list_tokens(session: Session, *, user_id: str | None = None) -> list[ApiToken]:
    """Tokens of one user (or of everyone), newest first, revoked ones included."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query))


def revoke_token(
    session: Session, token_id: str, *, now: datetime, user_id: str | None = None
) -> ApiToken:
    """Stop a token working; with `user_id`, only a token of that user."""
    token = session.get(ApiToken, token_id)
    if token is None or (user_id is not None and token.user_id != user_id):
        raise TokenNotFound(f"no API token {token_id!r} of yours; list your tokens")
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        log.info("accounts.token_revoked", token_id=token.id, user_id=token.user_id)
    return token


def deactivate_user(session: Session, user_id: str, *, on: date, now: datetime) -> User:
    """Stop a user signing in: password, sessions and tokens go; `left_on` is set."""
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"no user with id {user_id!r}; list the users")
    user.password_hash = None
    if user.left_on is None or user.left_on > on:
        user.left_on = on
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    for token in list_tokens(session, user_id=user_id):
        if token.revoked_at is None:
            token.revoked_at = now
    session.flush()
    log.info("accounts.user_deactivated", user_id=user_id)
    return user
