"""Points by threshold, missing measures spread their weight, bands by cut-off."""

import pytest

from tenure.health.backtest import area_under_curve
from tenure.health.scoring import (
    BandCutoffs,
    InvalidScorecard,
    MeasureSpec,
    changes_since,
    check_measure,
    points_for,
    score_values,
)

LOGIN = MeasureSpec("days_since_last_login", 20, [[0, 100], [8, 75], [15, 40], [31, 0]])
NPS = MeasureSpec("nps_average", 10, [[0, 0], [7, 60], [9, 100]])
TICKETS = MeasureSpec("open_tickets", 10, [[0, 100], [3, 60], [6, 20]])
CUTOFFS = BandCutoffs(red_below=40, green_from=70)


@pytest.mark.parametrize(
    ("value", "points"),
    [(0, 100), (7.9, 100), (8, 75), (14, 75), (15, 40), (31, 0), (400, 0), (-3, 100)],
)
def test_a_value_earns_the_points_of_the_highest_bound_at_or_below_it(value, points):
    assert points_for(value, LOGIN.thresholds) == points


def test_a_missing_measure_spreads_its_weight_instead_of_scoring_zero():
    """Login 10 days → 75 points, tickets 4 → 60 points, NPS missing.
    Weights 20 and 10 of the present 30: 75 × 2/3 + 60 × 1/3 = 70 → green."""
    result = score_values(
        {"days_since_last_login": 10, "open_tickets": 4, "nps_average": None},
        [LOGIN, NPS, TICKETS],
        CUTOFFS,
    )

    assert result is not None
    assert (result.score, result.band) == (70, "green")
    nps = next(p for p in result.parts if p.measure == "nps_average")
    assert (nps.is_missing, nps.points, nps.weight_share, nps.contribution) == (
        True,
        None,
        0.0,
        0.0,
    )
    login = next(p for p in result.parts if p.measure == "days_since_last_login")
    assert login.weight_share == pytest.approx(2 / 3)
    assert login.contribution == pytest.approx(50)


def test_with_every_measure_the_weights_are_the_scorecards():
    """75 × 0.5 + 60 × 0.25 + 60 × 0.25 = 67.5, rounded to 68: yellow."""
    result = score_values(
        {"days_since_last_login": 10, "open_tickets": 4, "nps_average": 8},
        [LOGIN, NPS, TICKETS],
        CUTOFFS,
    )
    assert result is not None
    assert (result.score, result.band) == (68, "yellow")


def test_no_data_for_any_measure_gives_no_score():
    assert score_values({}, [LOGIN, NPS], CUTOFFS) is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "red"),
        (39, "red"),
        (40, "yellow"),
        (69, "yellow"),
        (70, "green"),
        (100, "green"),
    ],
)
def test_bands_follow_the_documented_cutoffs(score, band):
    assert CUTOFFS.band_of(score) == band


def test_bad_thresholds_are_refused_with_an_example():
    with pytest.raises(InvalidScorecard, match=r"\[lower_bound, points\] pairs"):
        check_measure(MeasureSpec("open_tickets", 5, [[0]]))
    with pytest.raises(InvalidScorecard, match="weight -1"):
        check_measure(MeasureSpec("open_tickets", -1, [[0, 1]]))


def test_changes_since_last_week_lead_with_the_largest_move():
    before = [
        {"measure": "a", "value": 1.0, "contribution": 10.0},
        {"measure": "b", "value": 2.0, "contribution": 30.0},
    ]
    now = [
        {"measure": "a", "value": 3.0, "contribution": 5.0},
        {"measure": "b", "value": 9.0, "contribution": 10.0},
    ]
    assert [c["measure"] for c in changes_since(now, before)] == ["b", "a"]
    assert changes_since(now, before)[0]["contribution_change"] == -20.0


def test_auc_matches_a_hand_count_of_pairs():
    """Risks 0.1 0.4 0.35 0.8 with labels F F T T: positive/negative pairs
    (0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes) → 3 of 4 = 0.75."""
    assert area_under_curve([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert area_under_curve([1, 1], [True, False]) == 0.5
    assert area_under_curve([1, 2], [True, True]) is None
