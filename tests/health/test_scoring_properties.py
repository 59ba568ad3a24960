"""Invariants of scoring: 0–100, shares sum to one, missing never lowers alone."""

from hypothesis import given
from hypothesis import strategies as st

from tenure.alerts.expression import InvalidCondition, parse_condition
from tenure.health.scoring import BandCutoffs, MeasureSpec, score_values

NAMES = [f"m{index}" for index in range(5)]
thresholds = st.lists(
    st.tuples(st.floats(-1000, 1000, allow_nan=False), st.integers(0, 100).map(float)),
    min_size=1,
    max_size=5,
)
specs = st.lists(
    st.builds(
        MeasureSpec,
        measure=st.sampled_from(NAMES),
        weight=st.integers(0, 50),
        thresholds=thresholds,
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda spec: spec.measure,
)
values = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(st.none(), st.floats(-2000, 2000, allow_nan=False)),
)


@given(specs, values)
def test_a_score_is_within_0_and_100_and_weight_shares_sum_to_one(specs, values):
    result = score_values(values, specs, BandCutoffs(40, 70))
    if result is None:
        return
    assert 0 <= result.score <= 100
    assert abs(sum(part.weight_share for part in result.parts) - 1) < 1e-9
    assert all(part.contribution == 0 for part in result.parts if part.is_missing)


@given(specs, values)
def test_all_measures_at_full_points_score_100(specs, values):
    full = [MeasureSpec(s.measure, s.weight, [[-1e9, 100.0]]) for s in specs]
    result = score_values(values, full, BandCutoffs(40, 70))
    assert result is None or (result.score, result.band) == (100, "green")


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_the_condition_error(text):
    try:
        condition = parse_condition(text)
    except InvalidCondition:
        return
    assert condition.matches({}) in (True, False)
