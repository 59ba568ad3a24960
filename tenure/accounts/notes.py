"""Notes and conversations on an account, tagged with stated reasons."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tenure.accounts.errors import AccountNotFound, InvalidNote, NoteNotFound
from tenure.accounts.models import NOTE_KINDS, Account, Note, NoteTag, NoteTagLink
from tenure.accounts.roster import get_user_or_raise

log = structlog.get_logger()

# Ids per IN (...) query, well under every database's parameter limit.
_CHUNK = 500


@dataclass(frozen=True)
class NoteView:
    """A note with its tags, detached from the session."""

    id: str
    account_id: str
    author_id: str | None
    kind: str
    occurred_at: datetime
    text: str
    tags: tuple[str, ...]


def add_note(
    session: Session,
    *,
    account_id: str,
    author_id: str | None,
    kind: str,
    occurred_at: datetime,
    text: str,
    tags: Sequence[str] = (),
    note_id: str | None = None,
) -> NoteView:
    """Log a call, meeting, e-mail or note; a naive `occurred_at` is UTC."""
    if session.get(Account, account_id) is None:
        raise AccountNotFound(
            f"no account with id {account_id!r}; check the id in `tenure accounts list`"
        )
    if author_id is not None:
        get_user_or_raise(session, author_id)
    if kind not in NOTE_KINDS:
        raise InvalidNote(
            f"note kind {kind!r} is unknown; use one of {', '.join(NOTE_KINDS)}"
        )
    if not text.strip():
        raise InvalidNote("the note has no text; say what happened in a sentence")
    wanted = _check_tags(session, tags)

    note = Note(
        id=note_id or uuid.uuid4().hex,
        account_id=account_id,
        author_id=author_id,
        kind=kind,
        occurred_at=_as_utc(occurred_at),
        text=text.strip(),
    )
    session.add(note)
    session.flush()
    session.add_all(NoteTagLink(note_id=note.id, tag=tag) for tag in wanted)
    session.flush()
    log.info("accounts.note_added", note_id=note.id, account_id=account_id, kind=kind)
    return _view(note, wanted)


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _check_tags(session: Session, tags: Sequence[str]) -> tuple[str, ...]:
    wanted = tuple(sorted({tag.strip().casefold() for tag in tags if tag.strip()}))
    active = {tag.name for tag in list_note_tags(session)}
    unknown = [tag for tag in wanted if tag not in active]
    if unknown:
        raise InvalidNote(
            f"note tag {unknown[0]!r} is not on the reason list; use one of "
            f"{', '.join(sorted(active))} or add it with `tenure notes tags add`"
        )
    return wanted


def _view(note: Note, tags: Sequence[str]) -> NoteView:
    return NoteView(
        id=note.id,
        account_id=note.account_id,
        author_id=note.author_id,
        kind=note.kind,
        occurred_at=_as_utc(note.occurred_at),
        text=note.text,
        tags=tuple(tags),
    )


def list_notes(
    session: Session,
    *,
    account_id: str | None = None,
    author_id: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
) -> list[NoteView]:
    """Notes newest first, optionally of one account, author or tag."""
    query = select(Note).order_by(Note.occurred_at.desc(), Note.id)
    if account_id is not None:
        query = query.where(Note.account_id == account_id)
    if author_id is not None:
        query = query.where(Note.author_id == author_id)
    if tag is not None:
        tagged = select(NoteTagLink.note_id).where(NoteTagLink.tag == tag.casefold())
        query = query.where(Note.id.in_(tagged))
    if limit is not None:
        query = query.limit(limit)
    notes = list(session.scalars(query))

    tags = _tags_of(session, [note.id for note in notes])
    return [_view(note, tags.get(note.id, ())) for note in notes]


def _tags_of(session: Session, note_ids: Sequence[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for start in range(0, len(note_ids), _CHUNK):
        links = select(NoteTagLink).where(
            NoteTagLink.note_id.in_(note_ids[start : start + _CHUNK])
        )
        for link in session.scalars(links.order_by(NoteTagLink.tag)):
            tags.setdefault(link.note_id, []).append(link.tag)
    return tags


def list_note_tags(session: Session, *, include_retired: bool = False) -> list[NoteTag]:
    """The reason list, by name; retired tags stay on old notes."""
    query = select(NoteTag).order_by(NoteTag.name)
    if not include_retired:
        query = query.where(NoteTag.is_active.is_(True))
    return list(session.scalars(query))


def add_note_tag(session: Session, name: str, *, label: str | None = None) -> NoteTag:
    """Add a reason to the list, or bring a retired one back."""
    key = name.strip().casefold()
    if not key or not key.replace("_", "").isalnum():
        raise InvalidNote(
            f"note tag {name!r} is not a plain name; use letters, digits and "
            "underscores, such as 'onboarding_gap'"
        )
    tag = session.get(NoteTag, key)
    if tag is None:
        tag = NoteTag(name=key, label=label or key.replace("_", " ").capitalize())
        session.add(tag)
    tag.is_active = True
    if label:
        tag.label = label
    session.flush()
    log.info("accounts.note_tag_added", tag=key)
    return tag


def retire_note_tag(session: Session, name: str) -> None:
    """Take a reason off the list for new notes; tagged notes keep it."""
    tag = session.get(NoteTag, name.strip().casefold())
    if tag is None:
        raise InvalidNote(
            f"note tag {name!r} is not on the reason list; see `tenure notes tags list`"
        )
    tag.is_active = False
    session.flush()
    log.info("accounts.note_tag_retired", tag=tag.name)


def get_note_or_raise(session: Session, note_id: str) -> NoteView:
    note = session.get(Note, note_id)
    if note is None:
        raise NoteNotFound(
            f"no note with id {note_id!r}; list an account's notes to find its id"
        )
    return _view(note, _tags_of(session, [note.id]).get(note.id, ()))


def set_note_tags(session: Session, note_id: str, tags: Sequence[str]) -> NoteView:
    """Replace the stated reasons on a note; each must be on the active list."""
    note = get_note_or_raise(session, note_id)
    wanted = _check_tags(session, tags)
    session.execute(delete(NoteTagLink).where(NoteTagLink.note_id == note_id))
    session.add_all(NoteTagLink(note_id=note_id, tag=tag) for tag in wanted)
    session.flush()
    log.info("accounts.note_tagged", note_id=note_id, tags=len(wanted))
    return NoteView(**{**note.__dict__, "tags": wanted})
