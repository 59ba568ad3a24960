"""Unit economics: customer lifetime, LTV, CAC and LTV/CAC."""

from tenure.metrics.definitions.renewals import logo_outcomes
from tenure.metrics.definitions.revenue import cohort_of, sum_of
from tenure.metrics.registry import Frames, register, result_for
from tenure.metrics.result import MetricResult, SummaryContext, annualise, ratio


def lifetime_years(
    frames: Frames, ctx: SummaryContext
) -> tuple[float | None, dict[str, object]]:
    """1 ÷ annual renewal logo churn, capped by lifetime_cap_years when set."""
    up, lost, _ = logo_outcomes(frames["renewals"])
    churn = annualise(ratio(len(lost), len(up)), ctx.period, ctx.options)
    cap = ctx.options.lifetime_cap_years
    years: float | None
    if churn is None or churn == 0:
        years = cap
    else:
        years = 1 / churn if cap is None else min(1 / churn, cap)
    reason = None
    if years is None:
        reason = (
            "no renewal was due in the period"
            if churn is None
            else "no account churned; set lifetime_cap_years to bound it"
        )
    return years, {
        "annual_logo_churn": churn,
        "lifetime_years": years,
        "reason": reason,
    }


@register(
    "customer_lifetime",
    label="Lifetime",
    unit="years",
    direction="higher_is_better",
    inputs=("renewals",),
    aliases=("lifetime_years",),
)
def customer_lifetime(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Customer lifetime in years = 1 ÷ annual renewal logo churn (compound
    annualisation of the period rate). Unit: years. Direction: higher is better.
    Edge case: churn 0 → None unless lifetime_cap_years is set (then the cap).
    Example: 2 of 10 lost in a year → 5 years.
    """
    years, parts = lifetime_years(frames, ctx)
    reason = parts.pop("reason")
    return result_for(
        "customer_lifetime",
        ctx,
        value=years,
        reason=reason,
        parts=parts,
        rows=list(frames["renewals"]),
    )


@register(
    "lifetime_value",
    label="LTV",
    unit="money",
    direction="higher_is_better",
    inputs=("movements", "renewals", "costs"),
    aliases=("ltv",),
    is_sliceable=False,
)
def lifetime_value(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """LTV = (ARR per starting account − cost_to_serve per starting account) ×
    lifetime years. Unit: currency. Direction: higher is better. Edge cases: no
    starting account → None; no churn → None unless lifetime_cap_years is set.
    Example: 12000 ARR − 3000 cost = 9000 a year × 5 years = 45000.
    """
    cohort = cohort_of(frames["movements"])
    serve = sum_of(
        [c for c in frames["costs"] if c["category"] == "cost_to_serve"], "amount"
    )
    arr_each = ratio(sum_of(cohort, "starting_arr"), len(cohort))
    cost_each = ratio(serve, len(cohort))
    years, parts = lifetime_years(frames, ctx)
    reason = parts.pop("reason")
    profit = None if arr_each is None or cost_each is None else arr_each - cost_each
    if profit is None:
        reason = "no account had ARR in the starting snapshot"
    value = None if profit is None or years is None else profit * years
    parts.update(
        arr_per_customer=ctx.money(arr_each),
        operating_cost_per_customer=ctx.money(cost_each),
        yearly_profit_per_customer=ctx.money(profit),
        starting_customers=len(cohort),
    )
    return result_for(
        "lifetime_value",
        ctx,
        value=ctx.money(value),
        numerator=ctx.money(profit),
        denominator=None,
        reason=reason,
        parts=parts,
        rows=cohort,
    )


def new_accounts(frames: Frames, ctx: SummaryContext) -> tuple[int, str]:
    """New accounts acquired in the period and where the count came from."""
    counts = frames["new_customers"]
    if counts:
        return sum(int(r["count"]) for r in counts), "new_customers_acquired"
    period = ctx.period
    firsts = [
        r for r in frames["cohorts"] if period.start <= r["first_paid_on"] < period.end
    ]
    return len(firsts), "first_paid_day"


@register(
    "customer_acquisition_cost",
    label="CAC",
    unit="money",
    direction="lower_is_better",
    inputs=("costs", "cohorts", "new_customers"),
    aliases=("cac",),
    is_sliceable=False,
)
def customer_acquisition_cost(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """CAC = sales_marketing cost in the period ÷ new accounts acquired (the
    new_customers_acquired rows when imported, else accounts whose first paid day
    falls in the period; reactivations, trials and free sign-ups excluded). Unit:
    currency per account. Direction: lower is better. Edge cases: no new account →
    None; no sales_marketing cost rows in the period → None (unknown, not free).
    Example: 90000 for 3 new accounts → 30000.
    """
    spending = [c for c in frames["costs"] if c["category"] == "sales_marketing"]
    spend = sum_of(spending, "amount")
    count, source = new_accounts(frames, ctx)
    reason = None if count else "no new account in the period"
    if not spending:
        reason = "no sales_marketing cost rows lie in the period; import costs"
    return result_for(
        "customer_acquisition_cost",
        ctx,
        value=ctx.money(ratio(spend, count)) if spending else None,
        numerator=ctx.money(spend),
        denominator=count,
        reason=reason,
        parts={"new_customers": count, "new_customers_source": source},
        rows=list(frames["costs"]),
    )


@register(
    "ltv_to_cac",
    label="LTV/CAC",
    unit="ratio",
    direction="higher_is_better",
    inputs=("movements", "renewals", "costs", "cohorts", "new_customers"),
    is_sliceable=False,
)
def ltv_to_cac(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """LTV/CAC = LTV ÷ CAC. Unit: ratio. Direction: higher is better. Edge case:
    either undefined or CAC 0 → None. Example: 45000 ÷ 30000 = 1.5.
    """
    ltv = lifetime_value(frames, ctx)
    cac = customer_acquisition_cost(frames, ctx)
    value = None
    if ltv.value is not None and cac.value:
        value = ltv.value / cac.value
    reason = ltv.reason or cac.reason or (None if value is not None else "CAC is 0")
    return result_for(
        "ltv_to_cac",
        ctx,
        value=value,
        numerator=ltv.value,
        denominator=cac.value,
        reason=reason,
        parts={**ltv.parts, **cac.parts, "ltv": ltv.value, "cac": cac.value},
    )
