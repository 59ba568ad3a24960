"""Committed ARR, cohort retention and ARR per CSM with each CSM's book."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from tenure.metrics.definitions.revenue import sum_of
from tenure.metrics.registry import Frames, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext, ratio


@register(
    "committed_arr",
    label="CARR",
    unit="money",
    direction="higher_is_better",
    inputs=("committed",),
    aliases=("carr", "committed_arr_at_end"),
)
def committed_arr(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Committed ARR on the last day = ARR minus lines with a cancellation or
    non-renewal notice on file that day. Unit: currency per year. Direction: higher
    is better. Edge case: churn itself is still dated at the end of service.
    Example: 60000 ARR with a 36000 line under notice → 24000.
    """
    rows = frames["committed"]
    carr, arr = sum_of(rows, "carr"), sum_of(rows, "arr")
    parts = {
        "committed_arr_at_end": ctx.money(carr),
        "arr_at_end": ctx.money(arr),
        "arr_under_notice": ctx.money(arr - carr),
    }
    under_notice = [r for r in rows if r["carr"] != r["arr"]]
    return result_for(
        "committed_arr", ctx, value=ctx.money(carr), parts=parts, rows=under_notice
    )


@register(
    "cohort_retention",
    label="Cohort retention",
    unit="rate",
    direction="higher_is_better",
    inputs=("cohorts",),
)
def cohort_retention(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Cohort retention = ending ARR of accounts first paid before the period end ÷
    their ARR on their first paid day; rows give each first-paid month's figure.
    Unit: fraction. Direction: higher is better. Edge case: no cohort → None.
    Example: a cohort that started at 1000 and is at 900 now → 0.90.
    """
    by_cohort: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in frames["cohorts"]:
        entry = by_cohort[row["cohort"]]
        entry[0] += int(row["first_arr"])
        entry[1] += int(row["ending_arr"])
        entry[2] += 1
    rows = [
        {
            "cohort": key,
            "accounts": n,
            "first_arr": first,
            "ending_arr": end,
            "retention_rate": ratio(end, first),
        }
        for key, (first, end, n) in sorted(by_cohort.items())
    ]
    first, end = (
        sum_of(frames["cohorts"], "first_arr"),
        sum_of(frames["cohorts"], "ending_arr"),
    )
    return result_for(
        "cohort_retention",
        ctx,
        value=ratio(end, first),
        numerator=ctx.money(end),
        denominator=ctx.money(first),
        reason=None if first else "no account has paid yet",
        rows=rows,
    )


def on_roster(user: Row, day: date) -> bool:
    """A CSM counts on a day when they joined by then and had not left."""
    joined, left = user.get("joined_on"), user.get("left_on")
    return (
        user.get("role") == "csm"
        and (joined is None or joined <= day)
        and (left is None or left > day)
    )


def csm_books(frames: Frames, ctx: SummaryContext) -> tuple[list[Row], int, Decimal]:
    """Each rostered CSM's book (ARR, accounts), unassigned ARR and total FTE."""
    day = ctx.period.last_day
    roster = {u["id"]: u for u in frames["roster"] if on_roster(u, day)}
    books: dict[str, list[int]] = {csm: [0, 0] for csm in roster}
    unassigned = 0
    for row in frames["movements"]:
        if row["ending_arr"] <= 0:
            continue
        if row.get("csm_id") in books:
            books[row["csm_id"]][0] += int(row["ending_arr"])
            books[row["csm_id"]][1] += 1
        else:
            unassigned += int(row["ending_arr"])
    fte = sum((Decimal(str(u.get("fte") or 0)) for u in roster.values()), Decimal(0))
    rows = [
        {
            "csm_id": csm,
            "fte": float(roster[csm].get("fte") or 0),
            "book_arr": ctx.money(arr),
            "accounts": count,
        }
        for csm, (arr, count) in sorted(books.items())
    ]
    return rows, unassigned, fte


@register(
    "arr_per_csm",
    label="ARR per CSM",
    unit="money",
    direction="higher_is_better",
    inputs=("movements", "roster"),
    is_sliceable=False,
)
def arr_per_csm(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """ARR per CSM = total ending ARR (or assigned book ARR, option
    arr_per_csm_numerator=book) ÷ Σ FTE of users with role csm on the roster on the
    last day; each CSM's book ARR and account count are the rows. Unit: currency per
    year per FTE. Direction: higher is better. Edge cases: no CSM FTE → None;
    managers, leavers and unknown CSMs are unassigned. Example: 900k over 2.5 FTE
    → 360k.
    """
    rows, unassigned, fte = csm_books(frames, ctx)
    total = sum_of(frames["movements"], "ending_arr")
    numerator = (
        total if ctx.options.arr_per_csm_numerator == "total" else total - unassigned
    )
    value = ratio(numerator, float(fte))
    parts = {
        "csm_fte": float(fte),
        "unassigned_arr": ctx.money(unassigned),
        "total_arr": ctx.money(total),
    }
    return result_for(
        "arr_per_csm",
        ctx,
        value=ctx.money(value),
        numerator=ctx.money(numerator),
        denominator=float(fte),
        reason=None if fte else "no CSM on the roster on the last day",
        parts=parts,
        rows=rows,
    )
