"""Revenue metrics: snapshots, the ARR bridge, retention and revenue churn.

Input rows (`movements`, one per account with ARR at either snapshot, in
reporting cents): starting_arr, ending_arr, new, reactivation, expansion,
contraction, churn, pause, resume, fx, plus segment, csm_id, plan, cohort.
"""

from collections.abc import Sequence

from tenure.metrics.registry import Frames, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext, annualise, ratio

MOVEMENTS = ("new", "reactivation", "expansion", "contraction", "churn")
BRIDGE_KEYS = ("starting_arr", *MOVEMENTS, "pause", "resume", "fx", "ending_arr")


def sum_of(rows: Sequence[Row], key: str) -> int:
    return sum(int(row.get(key) or 0) for row in rows)


def cohort_of(rows: Sequence[Row]) -> list[Row]:
    """Accounts with ARR above zero in the starting snapshot."""
    return [row for row in rows if row["starting_arr"] > 0]


def bridge_totals(rows: Sequence[Row]) -> dict[str, int]:
    """Starting ARR, each movement and ending ARR, summed over the rows."""
    totals = {key: sum_of(rows, key) for key in BRIDGE_KEYS}
    totals["customers_at_start"] = sum(1 for r in rows if r["starting_arr"] > 0)
    totals["customers_at_end"] = sum(1 for r in rows if r["ending_arr"] > 0)
    return totals


def _bridge_parts(
    rows: Sequence[Row], ctx: SummaryContext, *, monthly: bool
) -> dict[str, float | int | None]:
    totals = bridge_totals(rows)
    scale = 12 if monthly else 1
    suffix = "mrr" if monthly else "arr"
    parts: dict[str, float | int | None] = {}
    for key in BRIDGE_KEYS:
        name = key.replace("_arr", f"_{suffix}")
        parts[name] = ctx.money(totals[key] / scale)
    parts["arr_at_end"] = ctx.money(totals["ending_arr"])
    parts["fx_impact"] = parts["fx"]
    parts["is_provisional"] = ctx.is_provisional
    for key in ("customers_at_start", "customers_at_end"):
        parts[key] = totals[key]
        parts[f"paying_{key}"] = totals[key]
    return parts


def _movement_rows(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if any(r[k] for k in (*MOVEMENTS, "pause", "resume", "fx"))]


@register(
    "arr_movements",
    label="ARR bridge",
    unit="money",
    direction="neutral",
    inputs=("movements",),
)
def arr_movements(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """ARR bridge: starting ARR + new + reactivation + expansion − contraction − churn
    − pause + resume + fx = ending ARR, per account between the snapshots on S−1 and
    E−1. Unit: reporting currency per year. Direction: neutral. Edge cases: accounts
    at 0 in both snapshots are ignored; trials and free lines are 0; the value is the
    ending ARR. Example: start 430 (3 accounts), one +80, one −60, one churns 70,
    one new 90, one returns 120 → end 590.
    """
    rows = frames["movements"]
    parts = _bridge_parts(rows, ctx, monthly=False)
    return result_for(
        "arr_movements",
        ctx,
        value=parts["ending_arr"],
        parts=parts,
        rows=_movement_rows(rows),
    )


@register(
    "mrr_movements",
    label="MRR bridge",
    unit="money",
    direction="neutral",
    inputs=("movements",),
)
def mrr_movements(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """The ARR bridge divided by 12 (MRR = ARR / 12). Unit: reporting currency per
    month. Direction: neutral. Example: a weekly 100 plan is 5200 ARR = 433.33 MRR.
    """
    rows = frames["movements"]
    parts = _bridge_parts(rows, ctx, monthly=True)
    return result_for(
        "mrr_movements",
        ctx,
        value=parts["ending_mrr"],
        parts=parts,
        rows=_movement_rows(rows),
    )


@register(
    "arr_snapshot",
    label="ARR",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("arr",),
)
def arr_snapshot(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """ARR on the last day of the period: Σ line ARR, line ARR = amount × periods
    per year / interval count, floored at 0 after recurring discounts. Unit:
    currency per year. Direction: higher is better. Edge cases: trials, free,
    one-off and instalment lines are 0. Example: 3000 per quarter → 12000.
    """
    rows = [r for r in frames["movements"] if r["ending_arr"] > 0]
    total = sum_of(rows, "ending_arr")
    parts = {
        "arr_by_account": {r["account_id"]: ctx.money(r["ending_arr"]) for r in rows},
        "paying_customers": len(rows),
    }
    return result_for(
        "arr_snapshot", ctx, value=ctx.money(total), parts=parts, rows=rows
    )


@register(
    "mrr_snapshot",
    label="MRR",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("mrr",),
)
def mrr_snapshot(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """MRR on the last day of the period = ARR / 12. Unit: currency per month.
    Direction: higher is better. Example: ARR 11200 → MRR 933.33.
    """
    rows = [r for r in frames["movements"] if r["ending_arr"] > 0]
    total = sum_of(rows, "ending_arr")
    return result_for(
        "mrr_snapshot",
        ctx,
        value=ctx.money(total / 12),
        parts={"paying_customers": len(rows)},
        rows=rows,
    )


@register(
    "paying_accounts",
    label="Paying accounts",
    unit="count",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("paying_customers",),
)
def paying_accounts(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Accounts with ARR above zero on the last day of the period. Unit: accounts.
    Direction: higher is better. Edge case: a line discounted to 0 does not count.
    Example: 4 accounts, one at 0 after a 50-off on a 49 plan → 3.
    """
    rows = [r for r in frames["movements"] if r["ending_arr"] > 0]
    return result_for("paying_accounts", ctx, value=len(rows), rows=rows)


def _retention_sums(
    frames: Frames, ctx: SummaryContext
) -> tuple[int, int, int, list[Row]]:
    """Starting ARR, ending ARR, gross loss and the cohort, at period-start rates.

    Retention counts paused ARR under either pause policy: a pause is never a
    loss, so NRR, GRR and gross churn agree with each other and with the
    product-grain losses, which are measured on the same totals.
    """
    cohort = [row for row in frames["movements"] if row["start_total"] > 0]
    start = sum_of(cohort, "start_total")
    end = sum_of(cohort, "end_total")
    if ctx.options.grain == "account_product":
        losses = {
            r["account_id"]: int(r["product_loss"]) for r in frames["product_loss"]
        }
        loss = sum(losses.get(r["account_id"], 0) for r in cohort)
    else:
        loss = sum(max(0, r["start_total"] - r["end_total"]) for r in cohort)
    return start, end, loss, cohort


_NO_START = "no account had ARR in the starting snapshot"


@register(
    "net_revenue_retention",
    label="NRR",
    unit="rate",
    direction="higher_is_better",
    inputs=("movements", "product_loss"),
    aliases=("nrr",),
)
def net_revenue_retention(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """NRR = ending ARR of the starting cohort ÷ its starting ARR (cohort = accounts
    with ARR > 0 on S−1; new and reactivated accounts excluded; cross-sell counts).
    Unit: fraction. Direction: higher is better. Edge cases: no starting ARR → None;
    FX is taken out (period-start rates). Example: 200k → 190k gives 0.95.
    """
    start, end, _, cohort = _retention_sums(frames, ctx)
    return result_for(
        "net_revenue_retention",
        ctx,
        value=ratio(end, start),
        numerator=ctx.money(end),
        denominator=ctx.money(start),
        reason=None if start else _NO_START,
        rows=cohort,
    )


@register(
    "gross_revenue_churn_rate",
    label="Gross churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements", "product_loss"),
    aliases=("gross_churn", "gross_revenue_churn"),
)
def gross_revenue_churn_rate(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Gross revenue churn = Σ over cohort units of max(0, start − end) ÷ starting
    ARR; the unit is the account (grain=account) or account × product. Value is the
    period rate; parts carry the annualised rate (compound by default). Unit:
    fraction. Direction: lower is better. Edge case: no starting ARR → None.
    Example: 400k start, −20k and −100k → 0.30 per quarter, 0.7599 a year.
    """
    start, _, loss, cohort = _retention_sums(frames, ctx)
    rate = ratio(loss, start)
    parts = {
        "gross_churn_period": rate,
        "gross_churn_annualised": annualise(rate, ctx.period, ctx.options),
        "gross_churn_arr": ctx.money(loss),
    }
    return result_for(
        "gross_revenue_churn_rate",
        ctx,
        value=rate,
        numerator=ctx.money(loss),
        denominator=ctx.money(start),
        reason=None if start else _NO_START,
        parts=parts,
        rows=cohort,
    )


@register(
    "gross_revenue_retention",
    label="GRR",
    unit="rate",
    direction="higher_is_better",
    inputs=("movements", "product_loss"),
    aliases=("grr",),
)
def gross_revenue_retention(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """GRR = 1 − gross revenue churn rate (expansion never offsets losses). Unit:
    fraction. Direction: higher is better. Edge case: no starting ARR → None.
    Example: 200k start, losses 40k → 0.80.
    """
    start, _, loss, cohort = _retention_sums(frames, ctx)
    rate = ratio(start - loss, start)
    return result_for(
        "gross_revenue_retention",
        ctx,
        value=rate,
        numerator=ctx.money(start - loss),
        denominator=ctx.money(start),
        reason=None if start else _NO_START,
        rows=cohort,
    )


@register(
    "net_revenue_churn_rate",
    label="Net churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements", "product_loss"),
    aliases=("simple_churn", "net_revenue_churn"),
)
def net_revenue_churn_rate(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Net revenue churn ("simple churn") = 1 − NRR; negative when expansion wins.
    Value is the period rate; parts carry the annualised rate. Unit: fraction.
    Direction: lower is better. Edge case: no starting ARR → None. Example:
    400k → 320k is 0.20 a quarter, 1 − 0.8⁴ = 0.5904 a year.
    """
    start, end, _, cohort = _retention_sums(frames, ctx)
    rate = ratio(start - end, start)
    parts = {
        "simple_churn_period": rate,
        "simple_churn_annualised": annualise(rate, ctx.period, ctx.options),
    }
    return result_for(
        "net_revenue_churn_rate",
        ctx,
        value=rate,
        numerator=ctx.money(start - end),
        denominator=ctx.money(start),
        reason=None if start else _NO_START,
        parts=parts,
        rows=cohort,
    )


@register(
    "customer_churn_rate",
    aliases=("customer_churn",),
    label="Customer churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements",),
)
def customer_churn_rate(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Customer churn = starting accounts with ending ARR 0 ÷ starting accounts (the
    all-customers denominator, unlike renewal logo churn). Unit: fraction. Direction:
    lower is better. Edge cases: no starting accounts → None; with
    paid_to_free=active an account that moved to a free plan is not counted lost.
    Example: 10 at start, 1 at 0 at the end → 0.10.
    """
    cohort = cohort_of(frames["movements"])
    keep_free = ctx.options.paid_to_free == "active"
    lost = [
        r
        for r in cohort
        if r["ending_arr"] - r["fx"] <= 0 and not (keep_free and r["is_on_free_plan"])
    ]
    return result_for(
        "customer_churn_rate",
        ctx,
        value=ratio(len(lost), len(cohort)),
        numerator=len(lost),
        denominator=len(cohort),
        reason=None if cohort else _NO_START,
        rows=lost,
    )


@register(
    "average_revenue_per_account",
    label="ARPA",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("arpa",),
)
def average_revenue_per_account(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """ARPA = ending ARR ÷ paying accounts at the end. Unit: currency per year.
    Direction: higher is better. Edge case: no paying account → None. Example:
    90000 over 5 accounts → 18000.
    """
    rows = [r for r in frames["movements"] if r["ending_arr"] > 0]
    total = sum_of(rows, "ending_arr")
    value = ratio(total, len(rows))
    return result_for(
        "average_revenue_per_account",
        ctx,
        value=ctx.money(value),
        numerator=ctx.money(total),
        denominator=len(rows),
        reason=None if rows else "no paying account at the end",
        rows=rows,
    )


@register(
    "quick_ratio",
    label="Quick ratio",
    unit="ratio",
    direction="higher_is_better",
    inputs=("movements",),
)
def quick_ratio(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Quick ratio = (new + reactivation + expansion) ÷ (contraction + churn). Unit:
    ratio. Direction: higher is better. Edge case: no losses → None. Example: 290
    gained, 130 lost → 2.23.
    """
    rows = frames["movements"]
    gained = sum(sum_of(rows, k) for k in ("new", "reactivation", "expansion"))
    lost = sum_of(rows, "contraction") + sum_of(rows, "churn")
    return result_for(
        "quick_ratio",
        ctx,
        value=ratio(gained, lost),
        numerator=ctx.money(gained),
        denominator=ctx.money(lost),
        reason=None if lost else "no contraction or churn in the period",
        rows=_movement_rows(rows),
    )
