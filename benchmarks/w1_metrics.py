"""W1: ARR snapshots and movements for 36 months, then the metric suite by
segment and by CSM for the last year.

Tenure runs its metric service (`MetricService`); the baseline is pandas as an
analyst would write it: for each month-end, filter the active contract lines
and group them by account, then compare consecutive snapshots per account,
vectorised within each month.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.scales import AS_OF, FIRST_MONTH, MONTHS
from tenure.core.time import Period, parse_period
from tenure.core.workspace import open_workspace
from tenure.metrics.service import MetricService, registered_metrics
from tenure.revenue.policy import MetricOptions

MOVEMENTS = ("new", "reactivation", "expansion", "contraction", "churn")
MONTHLY_METRICS = ("arr_snapshot", "arr_movements")
SUITE_PERIOD = "2025"
SLICES = ("segment", "csm")
PERIODS_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}


def months() -> list[Period]:
    start = FIRST_MONTH
    periods = []
    for _ in range(MONTHS):
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        periods.append(Period(start, following, f"{start:%Y-%m}"))
        start = following
    return periods


def run_tenure(folder: Path) -> dict[str, Any]:
    """Every month's movements by account (cents) and the number of results."""
    from benchmarks.generate import settings_for

    workspace = open_workspace(settings_for(folder))
    service = MetricService.from_engine(
        workspace.engine, MetricOptions(as_of=AS_OF.isoformat())
    )
    movements: dict[tuple[str, str], dict[str, int]] = {}
    results = 0
    for period in months():
        computed = service.compute(list(MONTHLY_METRICS), period)
        results += len(computed)
        bridge = next(r for r in computed if r.slug == "arr_movements")
        for row in bridge.rows:
            amounts = {name: round(row[name] * 100) for name in MOVEMENTS}
            if any(amounts.values()):
                movements[(period.label, row["account_id"])] = amounts
    suite = [spec.slug for spec in registered_metrics()]
    for by in SLICES:
        results += len(service.compute(suite, parse_period(SUITE_PERIOD), by=by))
    return {"movements": movements, "results": results}


def line_arr(lines: pd.DataFrame) -> pd.Series:
    """ARR in cents of each line: amount × periods per year ÷ interval count."""
    per_year = lines["interval"].map(PERIODS_PER_YEAR).fillna(0)
    arr = lines["amount_cents"] * per_year // lines["interval_count"]
    return arr.where(lines["kind"] == "paid", 0).astype("int64")


def snapshot(lines: pd.DataFrame, day: date) -> pd.Series:
    """ARR per account of the lines active on `day`."""
    stamp = pd.Timestamp(day)
    active = lines[
        (lines["starts_on"] <= stamp)
        & (lines["ends_on"].isna() | (lines["ends_on"] > stamp))
    ]
    return active.groupby("account_id")["arr"].sum()


def compare(
    start: pd.Series, end: pd.Series, first_paid: pd.Series, period_start: date
) -> pd.DataFrame:
    """Movements per account between two snapshots, vectorised."""
    both = pd.concat({"start": start, "end": end}, axis=1).fillna(0).astype("int64")
    both = both[(both["start"] > 0) | (both["end"] > 0)]
    s, e = both["start"], both["end"]
    paid_before = first_paid.reindex(both.index) < pd.Timestamp(period_start)
    arriving = (s == 0) & (e > 0)
    both["new"] = e.where(arriving & ~paid_before, 0)
    both["reactivation"] = e.where(arriving & paid_before, 0)
    both["expansion"] = (e - s).where((s > 0) & (e > s), 0)
    both["contraction"] = (s - e).where((e > 0) & (e < s), 0)
    both["churn"] = s.where((s > 0) & (e == 0), 0)
    return both


def run_baseline(folder: Path) -> dict[str, Any]:
    lines = pd.read_parquet(folder / "export" / "lines.parquet")
    accounts = pd.read_parquet(folder / "export" / "accounts.parquet")
    for column in ("starts_on", "ends_on"):
        lines[column] = pd.to_datetime(lines[column])
    lines["arr"] = line_arr(lines)
    first_paid = lines[lines["arr"] > 0].groupby("account_id")["starts_on"].min()
    movements: dict[tuple[str, str], dict[str, int]] = {}
    for period in months():
        start = snapshot(lines, period.start - pd.Timedelta(days=1))
        end = snapshot(lines, period.last_day)
        moved = compare(start, end, first_paid, period.start)
        moved = moved[(moved[list(MOVEMENTS)] != 0).any(axis=1)]
        for account_id, row in zip(
            moved.index, moved[list(MOVEMENTS)].to_dict("records"), strict=True
        ):
            movements[(period.label, account_id)] = row
    suite = parse_period(SUITE_PERIOD)
    year = compare(
        snapshot(lines, suite.start - pd.Timedelta(days=1)),
        snapshot(lines, suite.last_day),
        first_paid,
        suite.start,
    ).join(accounts.set_index("id")[["segment", "csm_id"]])
    results = sum(len(suite_by(year, by)) for by in ("segment", "csm_id"))
    return {"movements": movements, "results": results}


def suite_by(year: pd.DataFrame, by: str) -> pd.DataFrame:
    """The movement-based rates of the suite per slice."""
    cohort = year[year["start"] > 0]
    sums = year.groupby(by, dropna=False)[["start", "end", *MOVEMENTS]].sum()
    kept = cohort.groupby(by, dropna=False)["end"].sum()
    loss = (cohort["start"] - cohort["end"]).clip(lower=0)
    gross = loss.groupby(cohort[by], dropna=False).sum()
    out = pd.DataFrame(index=sums.index)
    out["net_revenue_retention"] = kept / sums["start"]
    out["gross_revenue_churn_rate"] = gross / sums["start"]
    out["gross_revenue_retention"] = 1 - out["gross_revenue_churn_rate"]
    out["net_revenue_churn_rate"] = 1 - out["net_revenue_retention"]
    gains = sums["new"] + sums["reactivation"] + sums["expansion"]
    out["quick_ratio"] = gains / (sums["contraction"] + sums["churn"])
    paying = year[year["end"] > 0].groupby(by, dropna=False).size()
    out["arpa"] = sums["end"] / paying
    lost = cohort[cohort["end"] == 0].groupby(by, dropna=False).size()
    out["customer_churn_rate"] = lost / cohort.groupby(by, dropna=False).size()
    return out
