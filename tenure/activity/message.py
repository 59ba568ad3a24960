"""Reading Segment-style tracking messages: shape, sizes, timestamps.

A message is checked and normalised here without touching any store; see
`tenure.activity.tracking` for what each kind of message then changes.
"""

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tenure.activity.errors import InvalidMessage, PayloadTooLarge

MESSAGE_LIMIT_BYTES = 32 * 1024
BATCH_LIMIT_BYTES = 500 * 1024
MESSAGE_TYPES = ("track", "identify", "group")
# Accepted so that a batch from a full Segment client is not refused, but not kept.
IGNORED_TYPES = ("page", "screen", "alias")
_ID_LIMIT = 128
_NAME_LIMIT = 200


@dataclass(frozen=True)
class Message:
    """One tracking call, normalised: `occurred_at` is already skew-corrected."""

    index: int | None
    kind: str
    message_id: str
    occurred_at: datetime
    user_id: str | None = None
    anonymous_id: str | None = None
    event: str | None = None
    group_id: str | None = None
    traits: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return "message" if self.index is None else f"batch[{self.index}]"


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body, refusing oversized and malformed ones."""
    if len(body) > BATCH_LIMIT_BYTES:
        raise PayloadTooLarge(
            f"the request body is {len(body):,} bytes, over the limit of "
            f"{BATCH_LIMIT_BYTES:,}; send smaller batches"
        )
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidMessage(
            f"the request body is not valid JSON ({exc}); send a JSON object"
        ) from exc
    if not isinstance(payload, dict):
        raise InvalidMessage("the request body must be a JSON object, not a list")
    return payload


def read_messages(
    payload: Mapping[str, Any], *, kind: str, received_at: datetime
) -> list[Message | None]:
    """The messages of a `/v1/<kind>` body; `None` stands for an ignored type."""
    if kind != "batch":
        _check_size(payload, where="message")
        return [_read_message(payload, index=None, kind=kind, received_at=received_at)]
    batch = payload.get("batch")
    if not isinstance(batch, list) or not batch:
        raise InvalidMessage(
            "batch: expected a non-empty list of messages under the key 'batch'"
        )
    default_sent_at = payload.get("sentAt")
    messages: list[Message | None] = []
    for index, raw in enumerate(batch):
        if not isinstance(raw, dict):
            raise InvalidMessage(f"batch[{index}]: each message must be an object")
        _check_size(raw, where=f"batch[{index}]")
        kind_of = raw.get("type")
        if kind_of in IGNORED_TYPES:
            messages.append(None)
            continue
        if kind_of not in MESSAGE_TYPES:
            raise InvalidMessage(
                f"batch[{index}].type: {kind_of!r} is not a message type; use "
                f"{', '.join(MESSAGE_TYPES)}"
            )
        if "sentAt" not in raw and default_sent_at is not None:
            raw = {**raw, "sentAt": default_sent_at}
        messages.append(
            _read_message(raw, index=index, kind=kind_of, received_at=received_at)
        )
    return messages


def _check_size(raw: Mapping[str, Any], *, where: str) -> None:
    size = len(json.dumps(raw, separators=(",", ":")).encode("utf-8"))
    if size > MESSAGE_LIMIT_BYTES:
        raise PayloadTooLarge(
            f"{where}: the message is {size:,} bytes, over the limit of "
            f"{MESSAGE_LIMIT_BYTES:,}; send fewer properties or traits"
        )


def _read_message(
    raw: Mapping[str, Any], *, index: int | None, kind: str, received_at: datetime
) -> Message:
    where = "message" if index is None else f"batch[{index}]"
    user_id = _optional_id(raw, "userId", where=where)
    anonymous_id = _optional_id(raw, "anonymousId", where=where)
    if user_id is None and anonymous_id is None:
        raise InvalidMessage(f"{where}: give a userId or an anonymousId")
    context = _object(raw, "context", where=where)
    message = Message(
        index=index,
        kind=kind,
        message_id=_optional_id(raw, "messageId", where=where) or uuid.uuid4().hex,
        occurred_at=occurred_at(raw, received_at=received_at, where=where),
        user_id=user_id,
        anonymous_id=anonymous_id,
        traits=_object(raw, "traits", where=where)
        or _object(context, "traits", where=f"{where}.context"),
        properties=_object(raw, "properties", where=where),
    )
    if kind == "track":
        return _with_event(message, raw, context, where=where)
    if kind == "group":
        group_id = _optional_id(raw, "groupId", where=where)
        if group_id is None:
            raise InvalidMessage(f"{where}.groupId: a group call needs a groupId")
        if user_id is None:
            raise InvalidMessage(f"{where}.userId: a group call needs a userId")
        return _replace(message, group_id=group_id)
    if user_id is None:
        raise InvalidMessage(f"{where}.userId: an identify call needs a userId")
    return _replace(
        message, group_id=_optional_id(context, "groupId", where=f"{where}.context")
    )


def _with_event(
    message: Message, raw: Mapping[str, Any], context: dict[str, Any], *, where: str
) -> Message:
    event = raw.get("event")
    if not isinstance(event, str) or not event.strip():
        raise InvalidMessage(f"{where}.event: a track call needs an event name")
    if len(event) > _NAME_LIMIT:
        raise InvalidMessage(
            f"{where}.event: the name is over {_NAME_LIMIT} characters; shorten it"
        )
    group_id = _optional_id(context, "groupId", where=f"{where}.context")
    return _replace(message, event=event.strip(), group_id=group_id)


def _replace(message: Message, **changes: Any) -> Message:
    values = {**message.__dict__, **changes}
    return Message(**values)


def _optional_id(raw: Mapping[str, Any], key: str, *, where: str) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidMessage(f"{where}.{key}: expected a string")
    text = str(value)
    if len(text) > _ID_LIMIT:
        raise InvalidMessage(
            f"{where}.{key}: longer than {_ID_LIMIT} characters; use a shorter id"
        )
    return text


def _object(raw: Mapping[str, Any], key: str, *, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidMessage(f"{where}.{key}: expected an object")
    return value


def occurred_at(
    raw: Mapping[str, Any], *, received_at: datetime, where: str
) -> datetime:
    """When the call happened on the server's clock: the client's timestamp moved
    by the client's clock error, which is `receivedAt − sentAt`."""
    timestamp = _instant(raw, "timestamp", where=where) or _instant(
        raw, "originalTimestamp", where=where
    )
    if timestamp is None:
        return received_at
    sent_at = _instant(raw, "sentAt", where=where)
    skew = received_at - sent_at if sent_at is not None else timedelta(0)
    return timestamp + skew


def _instant(raw: Mapping[str, Any], key: str, *, where: str) -> datetime | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidMessage(f"{where}.{key}: expected an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidMessage(
            f"{where}.{key}: {value!r} is not an ISO 8601 instant; write it like "
            "2024-05-01T12:00:00Z"
        ) from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
