"""W1–W3 at the tiny scale: Tenure and each baseline compute the same things."""

import json
from pathlib import Path

from benchmarks import w1_metrics, w2_rollups, w3_health
from benchmarks.scales import AS_OF, SCALES
from tenure.activity.rollups import RollupStore


def test_w1_tenure_and_pandas_find_the_same_movement_per_account_and_month(tiny):
    tenure = w1_metrics.run_tenure(tiny)["movements"]
    pandas = w1_metrics.run_baseline(tiny)["movements"]

    assert tenure == pandas
    kinds = {kind for amounts in tenure.values() for kind, v in amounts.items() if v}
    assert kinds == set(w1_metrics.MOVEMENTS)


def test_w1_baseline_keeps_a_month_end_line_in_that_months_snapshot():
    import pandas as pd

    lines = pd.DataFrame(
        {
            "account_id": ["a", "a"],
            "starts_on": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "ends_on": pd.to_datetime(["2024-02-01", None]),
            "arr": [1200, 2400],
        }
    )

    january = w1_metrics.snapshot(lines, pd.Timestamp("2024-01-31").date())
    february = w1_metrics.snapshot(lines, pd.Timestamp("2024-02-29").date())

    assert (january["a"], february["a"]) == (1200, 2400)


def test_w2_rollups_count_what_the_floor_query_counts(tiny):
    run = w2_rollups.run_tenure(tiny, SCALES["tiny"])
    rolled = w2_rollups.rollup_counts(RollupStore(tiny / "scratch" / "w2" / "rollups"))
    floor = w2_rollups.run_floor(tiny)
    counted = w2_rollups.floor_counts(tiny / "scratch" / "w2" / "floor.parquet")

    assert run["events"] == SCALES["tiny"].events
    assert {k: v for k, v in rolled.items() if k[0] != AS_OF.isoformat()} == counted
    assert floor["rows"] == len(counted)


def test_w2_a_new_day_rolls_only_that_day(tiny):
    run = w2_rollups.run_tenure(tiny, SCALES["tiny"])

    assert run["days_rolled"] == SCALES["tiny"].event_days
    assert (run["new_day_days_rolled"], run["new_day_days_unchanged"]) == (
        1,
        SCALES["tiny"].event_days,
    )


def test_w3_tenure_and_the_duckdb_query_score_the_same_accounts(tiny):
    tenure_run = w3_health.run_tenure(tiny)
    baseline_run = w3_health.run_baseline(tiny)
    tenure = w3_health.tenure_measures(tiny)
    baseline = {row["account_id"]: row for row in w3_health.baseline_rows(tiny)}

    assert tenure_run["accounts_scored"] == baseline_run["accounts_scored"] > 0
    for account_id, values in tenure.items():
        for measure in w3_health.COMPARED:
            assert values[measure] == baseline[account_id][measure], (
                account_id,
                measure,
            )
        # Tenure rounds half to even, DuckDB half away from zero.
        assert abs(values["score"] - baseline[account_id]["score"]) <= 1


def test_w3_alerts_fired_match_the_rules_the_query_matches(tiny):
    tenure = w3_health.run_tenure(tiny)
    baseline = w3_health.run_baseline(tiny)
    matched = sum(v for k, v in baseline.items() if k.startswith("matches_"))

    # Every built-in rule but the detractor one (new answers since the last
    # run) is in the query; the generated answers are all older than a day.
    assert tenure["alerts_fired"] == matched


def test_generated_scale_is_what_its_summary_says(tiny: Path):
    summary = json.loads((tiny / "generated.json").read_text())

    assert summary["accounts"] == SCALES["tiny"].accounts
    assert summary["events"] == SCALES["tiny"].events
    assert summary["contract_lines"] >= 3 * summary["accounts"]
