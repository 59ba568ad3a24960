"""Daily scores are kept as history and explain themselves against a week ago."""

from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from sqlalchemy import select

from tenure.accounts.models import Account, Note, NoteTagLink, Ticket
from tenure.activity.store import EventStore
from tenure.core.db import transaction
from tenure.health.activity_inputs import account_activity_inputs
from tenure.health.models import HealthScore, Scorecard, ScorecardMeasure
from tenure.health.service import compute_health_scores, latest_scores
from tenure.revenue.models import ContractLine
from tenure.surveys.models import SurveyResponse


def _at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=UTC)


def _seed(engine):
    with transaction(engine) as session:
        session.add(Account(id="a1", name="Acme Test Co", created_on=date(2024, 1, 1)))
        session.flush()
        session.add_all(
            [
                ContractLine(
                    id="l1",
                    account_id="a1",
                    kind="paid",
                    starts_on=date(2023, 11, 1),
                    interval="month",
                    amount_cents=100_000,
                    currency="USD",
                    quantity=4,
                ),
                Ticket(id="t1", account_id="a1", opened_at=_at(2024, 2, 20)),
                SurveyResponse(
                    id="r1",
                    account_id="a1",
                    contact_id=None,
                    kind="nps",
                    score=9,
                    responded_at=_at(2024, 2, 1),
                ),
                Note(id="n1", account_id="a1", occurred_at=_at(2024, 2, 26), text="x"),
            ]
        )
        session.flush()
        session.add(NoteTagLink(note_id="n1", tag="pricing"))


def _store(tmp_path):
    store = EventStore(tmp_path / "events")
    logins = [
        ("m1", "c1", _at(2024, 2, 25)),
        ("m2", "c2", _at(2024, 2, 10)),
        ("m3", "c1", _at(2024, 1, 15)),
        ("m4", "c1", _at(2024, 1, 20)),
        ("m5", "c3", _at(2024, 3, 1, 8)),  # on the as-of day: not counted
    ]
    store.append(
        pa.table(
            {
                "message_id": [m for m, _, _ in logins],
                "account_id": ["a1"] * len(logins),
                "contact_id": [c for _, c, _ in logins],
                "name": ["login"] * len(logins),
                "occurred_at": [at for _, _, at in logins],
                "received_at": [at for _, _, at in logins],
            }
        )
    )
    return store


def test_activity_inputs_count_only_events_before_the_day(tmp_path):
    inputs = account_activity_inputs(_store(tmp_path), as_of=date(2024, 3, 1))["a1"]
    # Window of the last 30 days: 2024-01-31 .. 2024-02-29 → m1, m2 (contacts c1, c2);
    # the 30 before: 2024-01-01 .. 2024-01-30 → m3, m4.
    assert inputs.last_login_on == date(2024, 2, 25)
    assert (inputs.logins_last_30_days, inputs.logins_previous_30_days) == (2, 2)
    assert inputs.active_contacts_30_days == 2


def test_scores_are_kept_per_day_and_explain_each_measure(engine, tmp_path):
    _seed(engine)
    store = _store(tmp_path)
    with transaction(engine) as session:
        compute_health_scores(session, as_of=date(2024, 2, 23), store=store)
        compute_health_scores(session, as_of=date(2024, 3, 1), store=store)
        compute_health_scores(session, as_of=date(2024, 3, 1), store=store)
    with transaction(engine) as session:
        days = session.scalars(select(HealthScore.as_of).order_by(HealthScore.as_of))
        assert list(days) == [date(2024, 2, 23), date(2024, 3, 1)]
        (score,) = latest_scores(session, as_of=date(2024, 3, 1), account_id="a1")
        parts = {p["measure"]: p for p in score.parts["measures"]}
        week_ago = score.parts["week_ago"]
        changes = {c["measure"] for c in score.parts["changes"]}

    assert parts["days_since_last_login"]["value"] == 5
    assert parts["days_since_last_login"]["points"] == 100
    assert parts["seat_utilisation_rate"]["value"] == 0.5
    assert parts["usage_trend_rate"]["value"] == 0
    assert parts["nps_average"]["value"] == 9
    assert parts["open_tickets"]["value"] == 1
    assert parts["negative_note_tags"]["value"] == 1
    assert parts["arr_trend_rate"]["value"] == 0
    assert parts["ticket_satisfaction"]["is_missing"] is True
    assert parts["days_to_renewal"]["is_missing"] is True
    assert sum(p["weight_share"] for p in parts.values()) == pytest.approx(1)
    assert score.score == round(sum(p["contribution"] for p in parts.values()))
    assert week_ago["as_of"] == "2024-02-23"
    assert week_ago["score_change"] == score.score - week_ago["score"]
    assert "negative_note_tags" in changes


def test_the_default_scorecard_exists_after_init_with_weights_summing_to_100(engine):
    with transaction(engine) as session:
        scorecard = session.scalars(
            select(Scorecard).where(Scorecard.is_default.is_(True))
        ).one()
        weights = session.scalars(
            select(ScorecardMeasure.weight).where(
                ScorecardMeasure.scorecard_id == scorecard.id
            )
        ).all()
    assert (scorecard.red_below, scorecard.green_from) == (40, 70)
    assert sum(weights) == 100
    assert len(weights) == 10
