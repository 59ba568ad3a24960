"""Write keys: the secrets tracked apps authenticate with (only hashes are kept)."""

import hashlib
import secrets
import uuid
from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.activity.errors import InvalidWriteKey, WriteKeyNotFound
from tenure.activity.models import WriteKey

log = structlog.get_logger()

KEY_PREFIX = "tk_"


def hash_key(secret: str) -> str:
    """The stored form of a key: SHA-256 is enough for 256 random bits."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_write_key(
    session: Session, *, name: str, now: datetime
) -> tuple[WriteKey, str]:
    """Create a key and return it with its secret, which is shown only this once."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = WriteKey(
        id=uuid.uuid4().hex[:12],
        name=name,
        key_hash=hash_key(secret),
        key_prefix=secret[:8],
        created_at=now,
    )
    session.add(key)
    session.flush()
    log.info("activity.write_key_created", key_id=key.id)
    return key, secret


def list_write_keys(session: Session) -> list[WriteKey]:
    return list(session.scalars(select(WriteKey).order_by(WriteKey.created_at)))


def get_write_key_or_raise(session: Session, key_id: str) -> WriteKey:
    key = session.get(WriteKey, key_id)
    if key is None:
        raise WriteKeyNotFound(
            f"no write key has id {key_id!r}; `tenure keys list` shows the ids"
        )
    return key


def revoke_write_key(session: Session, key_id: str, *, now: datetime) -> WriteKey:
    """Refuse the key from now on; revoking twice keeps the first time."""
    key = get_write_key_or_raise(session, key_id)
    if key.revoked_at is None:
        key.revoked_at = now
        log.info("activity.write_key_revoked", key_id=key.id)
    return key


def authenticate_write_key(session: Session, secret: str | None) -> WriteKey:
    """The active key with this secret, or `InvalidWriteKey`."""
    if not secret:
        raise InvalidWriteKey(
            "the request has no write key; send it as the HTTP basic user name "
            "or as writeKey in the body"
        )
    key = session.scalar(select(WriteKey).where(WriteKey.key_hash == hash_key(secret)))
    if key is None:
        raise InvalidWriteKey(
            "the write key is not known; create one with `tenure keys create`"
        )
    if key.revoked_at is not None:
        raise InvalidWriteKey(f"the write key {key.id} was revoked; use an active key")
    return key
