from datetime import UTC, datetime, timedelta, timezone

import pytest

from tenure.accounts.errors import AccountNotFound, InvalidNote
from tenure.accounts.notes import (
    add_note,
    add_note_tag,
    list_note_tags,
    list_notes,
    retire_note_tag,
)
from tenure.core.db import transaction

from .builders import make_account, make_csm

CALL_AT = datetime(2024, 5, 2, 14, 30, tzinfo=UTC)


def test_default_reason_list(engine):
    with transaction(engine) as session:
        names = [tag.name for tag in list_note_tags(session)]
    assert names == [
        "budget",
        "champion_left",
        "competitor",
        "missing_feature",
        "pricing",
        "support",
    ]


def test_notes_list_newest_first_with_tags(engine):
    with transaction(engine) as session:
        make_csm(session, "ada")
        make_account(session, "a1")
        add_note(
            session,
            account_id="a1",
            author_id="ada",
            kind="call",
            occurred_at=CALL_AT,
            text="Renewal call; price too high.",
            tags=["Pricing", "competitor"],
            note_id="n1",
        )
        add_note(
            session,
            account_id="a1",
            author_id="ada",
            kind="email",
            occurred_at=datetime(2024, 5, 3, 9, 0),
            text="Sent the offer.",
            note_id="n2",
        )
    with transaction(engine) as session:
        notes = list_notes(session, account_id="a1")
        priced = list_notes(session, tag="pricing")
    assert [(n.id, n.kind, n.tags) for n in notes] == [
        ("n2", "email", ()),
        ("n1", "call", ("competitor", "pricing")),
    ]
    assert notes[0].occurred_at == datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    assert [n.id for n in priced] == ["n1"]


def test_an_instant_with_an_offset_is_stored_as_utc(engine):
    berlin = timezone(timedelta(hours=2))
    with transaction(engine) as session:
        make_account(session, "a1")
        add_note(
            session,
            account_id="a1",
            author_id=None,
            kind="meeting",
            occurred_at=datetime(2024, 5, 2, 16, 30, tzinfo=berlin),
            text="Quarterly review.",
        )
        (note,) = list_notes(session)
    assert note.occurred_at == CALL_AT


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"kind": "chat"}, InvalidNote, "note kind 'chat' is unknown"),
        ({"text": "  "}, InvalidNote, "has no text"),
        ({"tags": ["weather"]}, InvalidNote, "'weather' is not on the reason list"),
        ({"account_id": "zz"}, AccountNotFound, "no account with id 'zz'"),
    ],
)
def test_bad_notes_say_what_to_fix(engine, overrides, error, message):
    values = {
        "account_id": "a1",
        "author_id": None,
        "kind": "note",
        "occurred_at": CALL_AT,
        "text": "Hello.",
    }
    values.update(overrides)
    with transaction(engine) as session:
        make_account(session, "a1")
        with pytest.raises(error, match=message):
            add_note(session, **values)


def test_reason_list_is_editable_and_retired_tags_stay_on_old_notes(engine):
    with transaction(engine) as session:
        make_account(session, "a1")
        add_note_tag(session, "onboarding_gap", label="Onboarding gap")
        add_note(
            session,
            account_id="a1",
            author_id=None,
            kind="note",
            occurred_at=CALL_AT,
            text="Never finished set-up.",
            tags=["onboarding_gap"],
        )
        retire_note_tag(session, "onboarding_gap")
        assert "onboarding_gap" not in [t.name for t in list_note_tags(session)]
        assert list_notes(session)[0].tags == ("onboarding_gap",)
        with pytest.raises(InvalidNote, match="not on the reason list"):
            add_note(
                session,
                account_id="a1",
                author_id=None,
                kind="note",
                occurred_at=CALL_AT,
                text="Again.",
                tags=["onboarding_gap"],
            )
