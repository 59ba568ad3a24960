"""The tracking API's rules: what track, identify and group calls change.

- `group` links a contact (`userId`) to an account (`groupId`), creating the
  contact when it is new. The account must already exist (accounts come from
  billing or CRM imports); a group call naming an unknown account is skipped and
  reported back, never guessed.
- `identify` sets a known contact's email, name and role from its traits. A
  contact not seen yet is created only when `context.groupId` names its account;
  otherwise the call is skipped and reported back.
- `track` becomes an event. Its account is `context.groupId` when that account
  exists, else the account of the contact from an earlier `group` call, else
  none: the rollups then attach it through the contact when it is linked later.

Contacts are written in one transaction, then the events are appended to the
event store (which fsyncs); `ingest_messages` returns only after both, so an
answer of 200 means the events are on disk.
"""

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import structlog
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tenure.accounts.models import Account, Contact
from tenure.activity.message import Message
from tenure.activity.store import EVENT_SCHEMA, EventStore
from tenure.core.db import transaction

log = structlog.get_logger()

# Contacts are created by the first call that names them; serialising ingestion
# in a process keeps two concurrent requests from creating the same contact.
_INGEST_LOCK = threading.Lock()
_ROLE_TRAITS = ("role", "title")


@dataclass
class Skipped:
    where: str
    reason: str


@dataclass
class TrackingResult:
    """What one request changed; `skipped` calls are reported to the sender."""

    events_written: int = 0
    events_duplicate: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def ingest_messages(
    engine: Engine,
    store: EventStore,
    messages: Sequence[Message | None],
    *,
    received_at: datetime,
) -> TrackingResult:
    """Apply a request's messages in order; return after events are durable."""
    result = TrackingResult()
    events: list[dict[str, Any]] = []
    with _INGEST_LOCK:
        with transaction(engine) as session:
            _remember_known(session, [m for m in messages if m is not None])
            for message in messages:
                if message is None:
                    continue
                event = _apply(session, message, result)
                if event is not None:
                    events.append(event)
        if events:
            # TODO: each request writes its own part file per day it touches and
            # nothing merges them yet — under a steady stream of small requests
            # the store grows many small files and reads slow down.
            table = _events_table(events, received_at=received_at)
            result.events_written = store.append(table)
            result.events_duplicate = len(events) - result.events_written
    log.info(
        "activity.messages_ingested",
        messages=len(messages),
        events=result.events_written,
        duplicates=result.events_duplicate,
        skipped=len(result.skipped),
    )
    return result


def _apply(
    session: Session, message: Message, result: TrackingResult
) -> dict[str, Any] | None:
    if message.kind == "group":
        _link_contact(session, message, result)
        return None
    if message.kind == "identify":
        _identify_contact(session, message, result)
        return None
    return _track_event(session, message)


def _link_contact(session: Session, message: Message, result: TrackingResult) -> None:
    assert message.user_id is not None and message.group_id is not None
    if not _has_account(session, message.group_id):
        _skip(
            result,
            message,
            f"groupId {message.group_id!r} is not an account in Tenure; import the "
            "account first",
        )
        return
    contact = session.get(Contact, message.user_id)
    if contact is None:
        contact = _new_contact(session, message, account_id=message.group_id)
        result.contacts_created += 1
    elif contact.account_id != message.group_id:
        contact.account_id = message.group_id
        result.contacts_updated += 1
    session.flush()
    _forget_contact(session, message.user_id)


def _identify_contact(
    session: Session, message: Message, result: TrackingResult
) -> None:
    assert message.user_id is not None
    contact = session.get(Contact, message.user_id)
    if contact is None:
        account_id = message.group_id
        if account_id is None or not _has_account(session, account_id):
            _skip(
                result,
                message,
                f"contact {message.user_id!r} has no account yet; send a group call "
                "first or put its account id in context.groupId",
            )
            return
        contact = _new_contact(session, message, account_id=account_id)
        result.contacts_created += 1
    elif _set_traits(contact, message.traits):
        result.contacts_updated += 1
    session.flush()
    _forget_contact(session, message.user_id)


def _new_contact(session: Session, message: Message, *, account_id: str) -> Contact:
    assert message.user_id is not None
    contact = Contact(
        id=message.user_id,
        account_id=account_id,
        created_on=message.occurred_at.date(),
    )
    _set_traits(contact, message.traits)
    session.add(contact)
    return contact


def _set_traits(contact: Contact, traits: dict[str, Any]) -> bool:
    """Copy email, name and role from traits; True when something changed."""
    values = {
        "email": _text(traits.get("email"), limit=320),
        "name": _text(traits.get("name"), limit=200) or _full_name(traits),
        "role": next(
            (
                _text(traits.get(key), limit=128)
                for key in _ROLE_TRAITS
                if traits.get(key)
            ),
            None,
        ),
    }
    changed = False
    for name, value in values.items():
        if value is not None and getattr(contact, name) != value:
            setattr(contact, name, value)
            changed = True
    return changed


def _full_name(traits: dict[str, Any]) -> str | None:
    parts = [_text(traits.get(key), limit=100) for key in ("firstName", "lastName")]
    joined = " ".join(part for part in parts if part)
    return joined or None


def _text(value: object, *, limit: int) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text[:limit] or None


def _track_event(session: Session, message: Message) -> dict[str, Any]:
    account_id = message.group_id
    if account_id is not None and not _has_account(session, account_id):
        account_id = None
    if account_id is None and message.user_id is not None:
        account_id = _account_of_contact(session, message.user_id)
    return {
        "message_id": message.message_id,
        "account_id": account_id,
        "contact_id": message.user_id,
        "name": message.event,
        "occurred_at": message.occurred_at,
        "properties": json.dumps(message.properties, sort_keys=True, default=str)
        if message.properties
        else None,
    }


def _remember_known(session: Session, messages: Sequence[Message]) -> None:
    """Look up every account and contact the request names in two queries, so
    that a batch does not ask the database once per message."""
    account_ids = {m.group_id for m in messages if m.group_id is not None}
    contact_ids = {m.user_id for m in messages if m.user_id is not None}
    found = set(session.scalars(select(Account.id).where(Account.id.in_(account_ids))))
    accounts: dict[str, bool] = session.info.setdefault("tracked_accounts", {})
    accounts.update({account_id: account_id in found for account_id in account_ids})
    contacts: dict[str, str | None] = session.info.setdefault("tracked_contacts", {})
    contacts.update({contact_id: None for contact_id in contact_ids})
    linked = select(Contact.id, Contact.account_id).where(Contact.id.in_(contact_ids))
    contacts.update(
        {contact_id: account_id for contact_id, account_id in session.execute(linked)}
    )


def _has_account(session: Session, account_id: str) -> bool:
    """Whether the account exists, remembered for the rest of the request."""
    known: dict[str, bool] = session.info.setdefault("tracked_accounts", {})
    if account_id not in known:
        known[account_id] = session.get(Account, account_id) is not None
    return known[account_id]


def _account_of_contact(session: Session, contact_id: str) -> str | None:
    """The contact's account, remembered until a group or identify call in the
    same request changes the contact."""
    known: dict[str, str | None] = session.info.setdefault("tracked_contacts", {})
    if contact_id not in known:
        contact = session.get(Contact, contact_id)
        known[contact_id] = contact.account_id if contact is not None else None
    return known[contact_id]


def _forget_contact(session: Session, contact_id: str) -> None:
    session.info.get("tracked_contacts", {}).pop(contact_id, None)


def _skip(result: TrackingResult, message: Message, reason: str) -> None:
    result.skipped.append(Skipped(message.where, reason))
    log.warning(
        "activity.message_skipped", where=message.where, message_id=message.message_id
    )


def _events_table(events: list[dict[str, Any]], *, received_at: datetime) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in EVENT_SCHEMA.names}
    for event in events:
        for name in columns:
            columns[name].append(
                received_at if name == "received_at" else event.get(name)
            )
    return pa.Table.from_pydict(columns, schema=EVENT_SCHEMA)
