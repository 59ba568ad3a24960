"""Contacts' last login and logins in 30 days against the raw events."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tenure.accounts.models import Contact
from tenure.activity.rollups import rollup_store
from tenure.activity.store import EventStore
from tenure.core.db import transaction
from tenure.core.jobs import run_job
from tenure.web.contact_view import contact_panel
from tests.web.conftest import DEMO_END, _seed_demo

AS_OF = DEMO_END - timedelta(days=10)


def _expected(events, contact_id: str, as_of: date) -> tuple[date | None, int]:
    """Straight from the event rows: the last login on or before as_of, and the
    logins on the 30 days [as_of − 29, as_of]."""
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), UTC)
    start = end - timedelta(days=30)
    logins = [
        row["occurred_at"]
        for row in events
        if row["contact_id"] == contact_id
        and row["name"] == "login"
        and row["occurred_at"] < end
    ]
    last = max(logins).date() if logins else None
    return last, sum(1 for at in logins if at >= start)


def test_each_contacts_last_login_and_logins_match_the_events(workspace, tmp_path):
    _seed_demo(workspace, tmp_path / "demo")
    run_job("rollups", workspace, as_of=DEMO_END)
    events = EventStore(workspace.settings.event_store_path).read().to_pylist()
    with transaction(workspace.engine) as session:
        account_id = session.scalar(
            select(Contact.account_id).group_by(Contact.account_id).limit(1)
        )
        contacts = list(
            session.scalars(select(Contact).where(Contact.account_id == account_id))
        )
        panel = contact_panel(
            rollup_store(workspace.settings),
            contacts,
            account_id=account_id,
            as_of=AS_OF,
        )
    assert panel.has_rollups
    assert len(panel.rows) == len(contacts) > 0
    seen = 0
    for row in panel.rows:
        expected = _expected(events, row.contact.id, AS_OF)
        assert (row.last_login_on, row.logins_30d) == expected
        seen += row.last_login_on is not None
    assert seen > 0
    days = [r.last_login_on for r in panel.rows if r.last_login_on is not None]
    assert days == sorted(days, reverse=True)


def test_without_rollups_the_contacts_are_listed_without_logins(workspace, tmp_path):
    _seed_demo(workspace, tmp_path / "demo")
    with transaction(workspace.engine) as session:
        contacts = list(session.scalars(select(Contact).limit(3)))
    panel = contact_panel(
        rollup_store(workspace.settings),
        contacts,
        account_id=contacts[0].account_id,
        as_of=AS_OF,
    )
    assert not panel.has_rollups
    assert panel.active_30d == 0
    assert [(r.last_login_on, r.logins_30d) for r in panel.rows] == [(None, 0)] * 3
