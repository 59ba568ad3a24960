"""Unit economics: customer lifetime, LTV, CAC and LTV/CAC."""

import ibis
import ibis.expr.types as ir

from tenure.metrics.definitions.renewals import renewal_accounts
from tenure.metrics.frames import PeriodFrames, annualised, count_if, ratio
from tenure.metrics.registry import MetricPlan, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext


def lifetime_figures(f: PeriodFrames) -> ir.Table:
    """1 ÷ annual renewal logo churn, capped by lifetime_cap_years when set.

    Columns: up, lost, annual_logo_churn, lifetime_years.
    """
    accounts = renewal_accounts(f)
    t = f.summarise(accounts, up=accounts.count(), lost=count_if(accounts.is_lost))
    churn = annualised(ratio(t.lost, t.up), f.period, f.options)
    inverse = 1.0 / churn.nullif(0.0)
    cap = f.options.lifetime_cap_years
    if cap is None:
        years = inverse
    else:
        limit = ibis.literal(float(cap), "float64")
        years = inverse.isnull().ifelse(limit, ibis.least(inverse, limit))
    return t.mutate(annual_logo_churn=churn, lifetime_years=years)


def lifetime_parts(fig: Row) -> tuple[float | None, str | None, dict[str, object]]:
    """Lifetime years, why they are undefined, and the parts to show."""
    churn, years = fig["annual_logo_churn"], fig["lifetime_years"]
    reason = None
    if years is None:
        reason = (
            "no renewal was due in the period"
            if churn is None
            else "no account churned; set lifetime_cap_years to bound it"
        )
    return years, reason, {"annual_logo_churn": churn, "lifetime_years": years}


@register(
    "customer_lifetime",
    label="Lifetime",
    unit="years",
    direction="higher_is_better",
    inputs=("renewals",),
    aliases=("lifetime_years",),
)
def customer_lifetime(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Customer lifetime in years = 1 ÷ annual renewal logo churn (compound
    annualisation of the period rate). Unit: years. Direction: higher is better.
    Edge case: churn 0 → None unless lifetime_cap_years is set (then the cap).
    Example: 2 of 10 lost in a year → 5 years.
    """

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        years, reason, parts = lifetime_parts(fig)
        return result_for(
            "customer_lifetime",
            ctx,
            value=years,
            reason=reason,
            parts=parts,
            rows=rows,
        )

    return MetricPlan(
        lifetime_figures(f), finish, f.renewals, ("due_on", "account_id", "line_id")
    )


def starting_cohort(f: PeriodFrames) -> ir.Table:
    """Accounts with ARR above zero in the starting snapshot."""
    return f.movements.filter(f.movements.starting_arr > 0)


def _costs_of(f: PeriodFrames, category: str, prefix: str) -> ir.Table:
    costs = f.costs.filter(f.costs.category == category)
    return f.summarise(
        costs, **{f"{prefix}_cost": costs.amount.sum(), f"{prefix}_rows": costs.count()}
    )


def ltv_figures(f: PeriodFrames) -> ir.Table:
    """Per-customer ARR and cost, yearly profit, lifetime and LTV (`ltv`)."""
    cohort = starting_cohort(f)
    t = f.beside(
        f.summarise(
            cohort, starting_customers=cohort.count(), arr=cohort.starting_arr.sum()
        ),
        _costs_of(f, "cost_to_serve", "serve"),
        lifetime_figures(f),
    )
    arr_each = ratio(t.arr, t.starting_customers)
    cost_each = ratio(t.serve_cost, t.starting_customers)
    t = t.mutate(arr_each=arr_each, cost_each=cost_each, profit=arr_each - cost_each)
    return t.mutate(ltv=t.profit * t.lifetime_years)


def ltv_result(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
    _, reason, parts = lifetime_parts(fig)
    if fig["profit"] is None:
        reason = "no account had ARR in the starting snapshot"
    parts.update(
        arr_per_customer=ctx.money(fig["arr_each"]),
        operating_cost_per_customer=ctx.money(fig["cost_each"]),
        yearly_profit_per_customer=ctx.money(fig["profit"]),
        starting_customers=fig["starting_customers"],
    )
    return result_for(
        "lifetime_value",
        ctx,
        value=ctx.money(fig["ltv"]),
        numerator=ctx.money(fig["profit"]),
        denominator=None,
        reason=reason,
        parts=parts,
        rows=rows,
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
def lifetime_value(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """LTV = (ARR per starting account − cost_to_serve per starting account) ×
    lifetime years. Unit: currency. Direction: higher is better. Edge cases: no
    starting account → None; no churn → None unless lifetime_cap_years is set.
    Example: 12000 ARR − 3000 cost = 9000 a year × 5 years = 45000.
    """
    return MetricPlan(ltv_figures(f), ltv_result, starting_cohort(f), ("account_id",))


def cac_figures(f: PeriodFrames) -> ir.Table:
    """Sales and marketing spend, new accounts (and their source) and CAC (`cac`).

    New accounts are the imported counts when any lies in the period, else the
    accounts whose first paid day falls in it.
    """
    imported = f.new_customers
    cohorts = f.cohorts
    firsts = cohorts.filter(cohorts.first_paid_on >= f.period.start)
    t = f.beside(
        _costs_of(f, "sales_marketing", "spend"),
        f.summarise(
            imported, imported_rows=imported.count(), imported=imported["count"].sum()
        ),
        f.summarise(firsts, first_paid=firsts.count()),
    )
    t = t.mutate(new_customers=(t.imported_rows > 0).ifelse(t.imported, t.first_paid))
    return t.mutate(
        cac=(t.spend_rows > 0).ifelse(
            ratio(t.spend_cost, t.new_customers), ibis.null("float64")
        )
    )


def cac_result(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
    count = fig["new_customers"]
    reason = None if count else "no new account in the period"
    if not fig["spend_rows"]:
        reason = "no sales_marketing cost rows lie in the period; import costs"
    source = "new_customers_acquired" if fig["imported_rows"] else "first_paid_day"
    return result_for(
        "customer_acquisition_cost",
        ctx,
        value=ctx.money(fig["cac"]),
        numerator=ctx.money(fig["spend_cost"]),
        denominator=count,
        reason=reason,
        parts={"new_customers": count, "new_customers_source": source},
        rows=rows,
    )


@register(
    "customer_acquisition_cost",
    label="CAC",
    unit="money",
    direction="lower_is_better",
    inputs=("costs", "cohorts", "new_customers"),
    aliases=("cac",),
    is_sliceable=False,
)
def customer_acquisition_cost(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """CAC = sales_marketing cost in the period ÷ new accounts acquired (the
    new_customers_acquired rows when imported, else accounts whose first paid day
    falls in the period; reactivations, trials and free sign-ups excluded). Unit:
    currency per account. Direction: lower is better. Edge cases: no new account →
    None; no sales_marketing cost rows in the period → None (unknown, not free).
    Example: 90000 for 3 new accounts → 30000.
    """
    return MetricPlan(cac_figures(f), cac_result, f.costs, ("id",))


@register(
    "ltv_to_cac",
    label="LTV/CAC",
    unit="ratio",
    direction="higher_is_better",
    inputs=("movements", "renewals", "costs", "cohorts", "new_customers"),
    is_sliceable=False,
)
def ltv_to_cac(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """LTV/CAC = LTV ÷ CAC. Unit: ratio. Direction: higher is better. Edge case:
    either undefined or CAC 0 → None. Example: 45000 ÷ 30000 = 1.5.
    """
    t = f.beside(ltv_figures(f), cac_figures(f))
    figures = t.mutate(value=ratio(t.ltv, t.cac))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        ltv = ltv_result(fig, [], ctx)
        cac = cac_result(fig, [], ctx)
        value = fig["value"]
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

    return MetricPlan(figures, finish)
