"""Survey scores against the metric suite on generated answers (hypothesis)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenure.accounts.models import Account
from tenure.core.time import parse_period
from tenure.metrics.service import MetricService
from tenure.revenue.policy import MetricOptions
from tenure.surveys.models import SurveyResponse
from tenure.surveys.results import latest_per_contact, score_of
from tests.factories import make_contents

START = datetime(2026, 10, 25, tzinfo=UTC)
ACCOUNTS = [Account(id=f"a{n}", name=f"A{n}") for n in range(3)]

answers = st.lists(
    st.tuples(
        st.sampled_from(["nps", "csat"]),
        st.integers(min_value=0, max_value=10),
        st.one_of(st.none(), st.sampled_from(["c1", "c2", "c3", "c4"])),
        st.integers(min_value=0, max_value=40 * 24 * 60),  # minutes after START
    ),
    max_size=30,
)


def _responses(drawn) -> list[SurveyResponse]:
    return [
        SurveyResponse(
            id=f"r{n:02d}",
            survey="s",
            account_id=f"a{n % 3}",
            contact_id=contact,
            kind=kind,
            score=score if kind == "nps" else score % 5 + 1,
            responded_at=START + timedelta(minutes=minutes),
        )
        for n, (kind, score, contact, minutes) in enumerate(drawn)
    ]


@settings(max_examples=60, deadline=None)
@given(answers, st.sampled_from(["UTC", "Pacific/Auckland", "America/Denver"]))
def test_survey_nps_equals_the_metric_suites_nps(drawn, timezone):
    responses = _responses(drawn)
    period = parse_period("2026-11")
    service = MetricService(
        make_contents(responses=responses, accounts=ACCOUNTS),
        MetricOptions(timezone=timezone),
    )

    [suite] = service.compute(["nps"], period)
    kept = latest_per_contact(responses, kind="nps", period=period, timezone=timezone)
    ours = score_of("nps", [r.score for r in kept])

    unrounded = suite.parts.get("nps_unrounded")
    assert ours == (unrounded if unrounded is None else pytest.approx(unrounded))
    assert ours is None or -100 <= ours <= 100


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1))
def test_csat_is_the_share_of_4_and_5_within_0_and_100(scores):
    csat = score_of("csat", scores)

    assert csat == 100 * sum(s >= 4 for s in scores) / len(scores)
    assert 0 <= csat <= 100
