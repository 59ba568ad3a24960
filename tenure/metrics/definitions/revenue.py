"""Revenue metrics: snapshots, the ARR bridge, retention and revenue churn.

Input frame (`movements`, one row per account with ARR at either snapshot, in
reporting cents): starting_arr, ending_arr, new, reactivation, expansion,
contraction, churn, pause, resume, fx, start_total and end_total (paused ARR
included, period-start rates), is_on_free_plan, plus segment, csm_id, plan,
cohort.
"""

import ibis.expr.types as ir

from tenure.metrics.frames import PeriodFrames, annualised, count_if, ratio
from tenure.metrics.registry import MetricPlan, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext

MOVEMENTS = ("new", "reactivation", "expansion", "contraction", "churn")
BRIDGE_KEYS = ("starting_arr", *MOVEMENTS, "pause", "resume", "fx", "ending_arr")
_ACCOUNT_ORDER = ("account_id",)


def bridge_figures(f: PeriodFrames) -> ir.Table:
    """Starting ARR, each movement and ending ARR summed, and account counts."""
    m = f.movements
    return f.summarise(
        m,
        **{key: m[key].sum() for key in BRIDGE_KEYS},
        customers_at_start=count_if(m.starting_arr > 0),
        customers_at_end=count_if(m.ending_arr > 0),
    )


def _bridge_parts(
    fig: Row, ctx: SummaryContext, *, monthly: bool
) -> dict[str, float | int | None]:
    scale = 12 if monthly else 1
    suffix = "mrr" if monthly else "arr"
    parts: dict[str, float | int | None] = {}
    for key in BRIDGE_KEYS:
        name = key.replace("_arr", f"_{suffix}")
        parts[name] = ctx.money(fig[key] / scale)
    parts["arr_at_end"] = ctx.money(fig["ending_arr"])
    parts["fx_impact"] = parts["fx"]
    parts["is_provisional"] = ctx.is_provisional
    for key in ("customers_at_start", "customers_at_end"):
        parts[key] = fig[key]
        parts[f"paying_{key}"] = fig[key]
    return parts


def movement_rows(f: PeriodFrames) -> ir.Table:
    """Accounts with any movement in the period."""
    m = f.movements
    moved = [m[key] != 0 for key in (*MOVEMENTS, "pause", "resume", "fx")]
    condition = moved[0]
    for other in moved[1:]:
        condition = condition | other
    return m.filter(condition)


def paying_at_end(f: PeriodFrames) -> ir.Table:
    """Accounts with ARR above zero on the last day."""
    return f.movements.filter(f.movements.ending_arr > 0)


@register(
    "arr_movements",
    label="ARR bridge",
    unit="money",
    direction="neutral",
    inputs=("movements",),
)
def arr_movements(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """ARR bridge: starting ARR + new + reactivation + expansion − contraction − churn
    − pause + resume + fx = ending ARR, per account between the snapshots on S−1 and
    E−1. Unit: reporting currency per year. Direction: neutral. Edge cases: accounts
    at 0 in both snapshots are ignored; trials and free lines are 0; the value is the
    ending ARR. Example: start 430 (3 accounts), one +80, one −60, one churns 70,
    one new 90, one returns 120 → end 590.
    """

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = _bridge_parts(fig, ctx, monthly=False)
        return result_for(
            "arr_movements", ctx, value=parts["ending_arr"], parts=parts, rows=rows
        )

    return MetricPlan(bridge_figures(f), finish, movement_rows(f), _ACCOUNT_ORDER)


@register(
    "mrr_movements",
    label="MRR bridge",
    unit="money",
    direction="neutral",
    inputs=("movements",),
)
def mrr_movements(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """The ARR bridge divided by 12 (MRR = ARR / 12). Unit: reporting currency per
    month. Direction: neutral. Example: a weekly 100 plan is 5200 ARR = 433.33 MRR.
    """

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = _bridge_parts(fig, ctx, monthly=True)
        return result_for(
            "mrr_movements", ctx, value=parts["ending_mrr"], parts=parts, rows=rows
        )

    return MetricPlan(bridge_figures(f), finish, movement_rows(f), _ACCOUNT_ORDER)


@register(
    "arr_snapshot",
    label="ARR",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("arr",),
)
def arr_snapshot(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """ARR on the last day of the period: Σ line ARR, line ARR = amount × periods
    per year / interval count, floored at 0 after recurring discounts. Unit:
    currency per year. Direction: higher is better. Edge cases: trials, free,
    one-off and instalment lines are 0. Example: 3000 per quarter → 12000.
    """
    rows = paying_at_end(f)
    figures = f.summarise(rows, total=rows.ending_arr.sum(), paying=rows.count())

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = {
            "arr_by_account": {
                r["account_id"]: ctx.money(r["ending_arr"]) for r in rows
            },
            "paying_customers": fig["paying"],
        }
        return result_for(
            "arr_snapshot", ctx, value=ctx.money(fig["total"]), parts=parts, rows=rows
        )

    return MetricPlan(figures, finish, rows, _ACCOUNT_ORDER)


@register(
    "mrr_snapshot",
    label="MRR",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("mrr",),
)
def mrr_snapshot(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """MRR on the last day of the period = ARR / 12. Unit: currency per month.
    Direction: higher is better. Example: ARR 11200 → MRR 933.33.
    """
    rows = paying_at_end(f)
    figures = f.summarise(rows, total=rows.ending_arr.sum(), paying=rows.count())
    figures = figures.mutate(mrr=figures.total / 12)

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for(
            "mrr_snapshot",
            ctx,
            value=ctx.money(fig["mrr"]),
            parts={"paying_customers": fig["paying"]},
            rows=rows,
        )

    return MetricPlan(figures, finish, rows, _ACCOUNT_ORDER)


@register(
    "paying_accounts",
    label="Paying accounts",
    unit="count",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("paying_customers",),
)
def paying_accounts(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Accounts with ARR above zero on the last day of the period. Unit: accounts.
    Direction: higher is better. Edge case: a line discounted to 0 does not count.
    Example: 4 accounts, one at 0 after a 50-off on a 49 plan → 3.
    """
    rows = paying_at_end(f)

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for("paying_accounts", ctx, value=fig["paying"], rows=rows)

    return MetricPlan(
        f.summarise(rows, paying=rows.count()), finish, rows, _ACCOUNT_ORDER
    )


def retention_cohort(f: PeriodFrames) -> ir.Table:
    """Accounts with ARR in the starting snapshot, paused ARR included."""
    return f.movements.filter(f.movements.start_total > 0)


def retention_figures(f: PeriodFrames) -> ir.Table:
    """Starting ARR, ending ARR and gross loss of the cohort, at period-start rates.

    Retention counts paused ARR under either pause policy: a pause is never a
    loss, so NRR, GRR and gross churn agree with each other and with the
    product-grain losses, which are measured on the same totals.
    """
    cohort = retention_cohort(f)
    if f.options.grain == "account_product":
        losses = f.product_loss.select("account_id", "product_loss")
        joined = cohort.left_join(losses, "account_id")
        cohort = joined.select(*cohort.columns, loss=joined.product_loss.coalesce(0))
    else:
        drop = cohort.start_total - cohort.end_total
        cohort = cohort.mutate(loss=(drop > 0).ifelse(drop, 0))
    return f.summarise(
        cohort,
        start=cohort.start_total.sum(),
        end=cohort.end_total.sum(),
        loss=cohort.loss.sum(),
    )


_NO_START = "no account had ARR in the starting snapshot"


def _retention_plan(
    slug: str,
    f: PeriodFrames,
    figures: ir.Table,
    *,
    parts: tuple[str, ...] = (),
    money_parts: tuple[tuple[str, str], ...] = (),
) -> MetricPlan:
    """A plan whose figures carry value, numerator and the starting ARR."""

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        shown: dict[str, object] = {key: fig[key] for key in parts}
        shown.update({name: ctx.money(fig[key]) for name, key in money_parts})
        return result_for(
            slug,
            ctx,
            value=fig["value"],
            numerator=ctx.money(fig["numerator"]),
            denominator=ctx.money(fig["start"]),
            reason=None if fig["start"] else _NO_START,
            parts=shown,
            rows=rows,
        )

    return MetricPlan(figures, finish, retention_cohort(f), _ACCOUNT_ORDER)


@register(
    "net_revenue_retention",
    label="NRR",
    unit="rate",
    direction="higher_is_better",
    inputs=("movements", "product_loss"),
    aliases=("nrr",),
)
def net_revenue_retention(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """NRR = ending ARR of the starting cohort ÷ its starting ARR (cohort = accounts
    with ARR > 0 on S−1; new and reactivated accounts excluded; cross-sell counts).
    Unit: fraction. Direction: higher is better. Edge cases: no starting ARR → None;
    FX is taken out (period-start rates). Example: 200k → 190k gives 0.95.
    """
    t = retention_figures(f)
    figures = t.mutate(value=ratio(t.end, t.start), numerator=t.end)
    return _retention_plan("net_revenue_retention", f, figures)


@register(
    "gross_revenue_churn_rate",
    label="Gross churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements", "product_loss"),
    aliases=("gross_churn", "gross_revenue_churn"),
)
def gross_revenue_churn_rate(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Gross revenue churn = Σ over cohort units of max(0, start − end) ÷ starting
    ARR; the unit is the account (grain=account) or account × product. Value is the
    period rate; parts carry the annualised rate (compound by default). Unit:
    fraction. Direction: lower is better. Edge case: no starting ARR → None.
    Example: 400k start, −20k and −100k → 0.30 per quarter, 0.7599 a year.
    """
    t = retention_figures(f)
    rate = ratio(t.loss, t.start)
    figures = t.mutate(
        value=rate,
        numerator=t.loss,
        gross_churn_period=rate,
        gross_churn_annualised=annualised(rate, f.period, f.options),
    )
    return _retention_plan(
        "gross_revenue_churn_rate",
        f,
        figures,
        parts=("gross_churn_period", "gross_churn_annualised"),
        money_parts=(("gross_churn_arr", "loss"),),
    )


@register(
    "gross_revenue_retention",
    label="GRR",
    unit="rate",
    direction="higher_is_better",
    inputs=("movements", "product_loss"),
    aliases=("grr",),
)
def gross_revenue_retention(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """GRR = 1 − gross revenue churn rate (expansion never offsets losses). Unit:
    fraction. Direction: higher is better. Edge case: no starting ARR → None.
    Example: 200k start, losses 40k → 0.80.
    """
    t = retention_figures(f)
    kept = t.start - t.loss
    figures = t.mutate(value=ratio(kept, t.start), numerator=kept)
    return _retention_plan("gross_revenue_retention", f, figures)


@register(
    "net_revenue_churn_rate",
    label="Net churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements", "product_loss"),
    aliases=("simple_churn", "net_revenue_churn"),
)
def net_revenue_churn_rate(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Net revenue churn ("simple churn") = 1 − NRR; negative when expansion wins.
    Value is the period rate; parts carry the annualised rate. Unit: fraction.
    Direction: lower is better. Edge case: no starting ARR → None. Example:
    400k → 320k is 0.20 a quarter, 1 − 0.8⁴ = 0.5904 a year.
    """
    t = retention_figures(f)
    lost = t.start - t.end
    rate = ratio(lost, t.start)
    figures = t.mutate(
        value=rate,
        numerator=lost,
        simple_churn_period=rate,
        simple_churn_annualised=annualised(rate, f.period, f.options),
    )
    return _retention_plan(
        "net_revenue_churn_rate",
        f,
        figures,
        parts=("simple_churn_period", "simple_churn_annualised"),
    )


@register(
    "customer_churn_rate",
    aliases=("customer_churn",),
    label="Customer churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("movements",),
)
def customer_churn_rate(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Customer churn = starting accounts with ending ARR 0 ÷ starting accounts (the
    all-customers denominator, unlike renewal logo churn). Unit: fraction. Direction:
    lower is better. Edge cases: no starting accounts → None; with
    paid_to_free=active an account that moved to a free plan is not counted lost.
    Example: 10 at start, 1 at 0 at the end → 0.10.
    """
    m = f.movements
    cohort = m.filter(m.starting_arr > 0)
    is_lost = cohort.ending_arr - cohort.fx <= 0
    if f.options.paid_to_free == "active":
        is_lost = is_lost & ~cohort.is_on_free_plan
    t = f.summarise(cohort, lost=count_if(is_lost), cohort=cohort.count())
    figures = t.mutate(value=ratio(t.lost, t.cohort))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for(
            "customer_churn_rate",
            ctx,
            value=fig["value"],
            numerator=fig["lost"],
            denominator=fig["cohort"],
            reason=None if fig["cohort"] else _NO_START,
            rows=rows,
        )

    return MetricPlan(figures, finish, cohort.filter(is_lost), _ACCOUNT_ORDER)


@register(
    "average_revenue_per_account",
    label="ARPA",
    unit="money",
    direction="higher_is_better",
    inputs=("movements",),
    aliases=("arpa",),
)
def average_revenue_per_account(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """ARPA = ending ARR ÷ paying accounts at the end. Unit: currency per year.
    Direction: higher is better. Edge case: no paying account → None. Example:
    90000 over 5 accounts → 18000.
    """
    rows = paying_at_end(f)
    t = f.summarise(rows, total=rows.ending_arr.sum(), paying=rows.count())
    figures = t.mutate(value=ratio(t.total, t.paying))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for(
            "average_revenue_per_account",
            ctx,
            value=ctx.money(fig["value"]),
            numerator=ctx.money(fig["total"]),
            denominator=fig["paying"],
            reason=None if fig["paying"] else "no paying account at the end",
            rows=rows,
        )

    return MetricPlan(figures, finish, rows, _ACCOUNT_ORDER)


@register(
    "quick_ratio",
    label="Quick ratio",
    unit="ratio",
    direction="higher_is_better",
    inputs=("movements",),
)
def quick_ratio(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Quick ratio = (new + reactivation + expansion) ÷ (contraction + churn). Unit:
    ratio. Direction: higher is better. Edge case: no losses → None. Example: 290
    gained, 130 lost → 2.23.
    """
    m = f.movements
    t = f.summarise(
        m,
        gained=(m.new + m.reactivation + m.expansion).sum(),
        lost=(m.contraction + m.churn).sum(),
    )
    figures = t.mutate(value=ratio(t.gained, t.lost))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for(
            "quick_ratio",
            ctx,
            value=fig["value"],
            numerator=ctx.money(fig["gained"]),
            denominator=ctx.money(fig["lost"]),
            reason=None if fig["lost"] else "no contraction or churn in the period",
            rows=rows,
        )

    return MetricPlan(figures, finish, movement_rows(f), _ACCOUNT_ORDER)
