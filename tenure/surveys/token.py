"""Signed, expiring survey-link tokens bound to one send, contact and survey.

A token is `<payload>.<mac>`: the payload is the send id, contact id, survey id
and expiry (Unix seconds) joined by `|` in URL-safe base64; the MAC is an
HMAC-SHA256 of the payload under the workspace's link secret.
"""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from tenure.surveys.errors import InvalidLink

_SEP = "|"


@dataclass(frozen=True)
class LinkClaims:
    send_id: str
    contact_id: str
    survey_id: str
    expires_at: datetime


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def sign_link(secret: bytes, claims: LinkClaims) -> str:
    """The token for one send's links."""
    fields = (
        claims.send_id,
        claims.contact_id,
        claims.survey_id,
        str(int(claims.expires_at.timestamp())),
    )
    payload = _b64(_SEP.join(fields).encode())
    return f"{payload}.{_mac(secret, payload)}"


_DAMAGED = (
    "this survey link is damaged or was changed; open the link from your "
    "survey e-mail again exactly as it came"
)


def read_link(
    secret: bytes, token: str, *, survey_id: str, now: datetime
) -> LinkClaims:
    """The claims of a genuine, live token for `survey_id`; InvalidLink otherwise."""
    payload, _, mac = token.partition(".")
    if not payload or not hmac.compare_digest(mac, _mac(secret, payload)):
        raise InvalidLink(_DAMAGED)
    try:
        send_id, contact_id, signed_survey, expires = (
            _unb64(payload).decode().split(_SEP)
        )
        expires_at = datetime.fromtimestamp(int(expires), UTC)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidLink(_DAMAGED) from exc
    if signed_survey != survey_id:
        raise InvalidLink(
            "this link belongs to another survey, so it cannot answer this one; "
            "use the link in the e-mail of the survey you want to answer"
        )
    if now >= expires_at:
        raise InvalidLink(
            f"this survey link expired on {expires_at:%Y-%m-%d}; thank you all "
            "the same — the next survey e-mail will carry a fresh link"
        )
    return LinkClaims(send_id, contact_id, signed_survey, expires_at)
