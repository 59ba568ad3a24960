"""Choosing recipients over a large audience: throttles, samples, account caps."""

from datetime import timedelta

from tenure.accounts.models import Account, Contact
from tenure.core.db import transaction
from tenure.surveys.audience import select_recipients
from tenure.surveys.models import SurveyResponse
from tenure.surveys.service import Audience, Throttle, create_campaign
from tests.surveys.conftest import SENT_AT, seed_book

BIG = 1200  # more contacts than one bound-parameter chunk


def _seed_big_account(workspace) -> None:
    seed_book(workspace)
    with transaction(workspace.engine) as session:
        session.add(Account(id="a-big", name="Big Works", segment="large"))
        session.flush()
        for n in range(BIG):
            session.add(
                Contact(
                    id=f"c-big-{n:04d}",
                    account_id="a-big",
                    email=f"p{n}@a-big.example",
                    role="user",
                )
            )
        session.flush()
        for n in range(0, BIG, 2):  # every other contact answered 89 days ago
            session.add(
                SurveyResponse(
                    id=f"old-{n}",
                    survey="nps-q4",
                    account_id="a-big",
                    contact_id=f"c-big-{n:04d}",
                    kind="nps",
                    score=8,
                    responded_at=SENT_AT - timedelta(days=89),
                )
            )


def _selection(workspace, **kwargs):
    with transaction(workspace.engine) as session:
        campaign = create_campaign(
            session,
            campaign_id="big",
            survey_id="nps-q4",
            starts_at=SENT_AT,
            audience=Audience(segments=("large",)),
            now=SENT_AT,
            **kwargs,
        )
        return select_recipients(session, campaign, now=SENT_AT)


def test_contacts_who_answered_within_90_days_are_left_out(workspace):
    _seed_big_account(workspace)

    selection = _selection(workspace, throttle=Throttle(account_limit=None))

    assert selection.in_audience == BIG
    assert selection.throttled_contacts == BIG // 2
    assert {int(c.id[-4:]) % 2 for c in selection.contacts} == {1}


def test_a_sample_rate_is_rounded_half_up_and_then_the_account_cap_applies(workspace):
    _seed_big_account(workspace)

    selection = _selection(
        workspace, sample_rate=0.125, throttle=Throttle(account_limit=50)
    )

    # 600 eligible × 0.125 = 75 sampled, then at most 50 of the one account.
    assert selection.not_sampled == 600 - 75
    assert selection.throttled_by_account == 25
    assert len(selection.contacts) == 50
