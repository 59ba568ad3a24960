"""Renewal metrics: renewal logo churn and cost to renew.

Input frame (`renewals`, one row per renewal due in the period): account_id,
line_id, due_on, outcome (renewed, churned or pending), decided_on, source,
arr_before and arr_after (reporting cents), segment, csm_id, plan, cohort.
"""

import ibis
import ibis.expr.types as ir

from tenure.metrics.frames import PeriodFrames, count_if, ratio
from tenure.metrics.registry import MetricPlan, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext

RENEWAL_ORDER = ("due_on", "account_id", "line_id")


def renewal_accounts(f: PeriodFrames) -> ir.Table:
    """Accounts up for renewal: lost when they renewed none and none is pending."""
    r = f.renewals
    keys = ["slice_key", "account_id"] if f.is_sliced else ["account_id"]
    t = r.group_by(keys).aggregate(
        renewed=count_if(r.outcome == "renewed"),
        pending=count_if(r.outcome == "pending"),
    )
    return t.mutate(
        is_lost=(t.renewed == 0) & (t.pending == 0),
        is_pending=(t.renewed == 0) & (t.pending > 0),
    )


@register(
    "renewal_logo_churn_rate",
    label="Logo churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("renewals",),
    aliases=("logo_churn", "renewal_logo_churn"),
)
def renewal_logo_churn_rate(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Renewal logo churn = accounts that renewed none of their renewals due in the
    period (within due date + grace_days, default 30) ÷ distinct accounts with a
    renewal due in the period. Unit: fraction. Direction: lower is better. Edge
    cases: no renewal due → None; early renewals count in the period they were due;
    renewing one line and dropping another is not logo churn; renewals still inside
    their grace window at as_of are pending (not lost). Example: 10 due, 1 lost → 0.10.
    """
    a = renewal_accounts(f)
    t = f.summarise(
        a,
        up=a.count(),
        lost=count_if(a.is_lost),
        up_ids=a.account_id.collect(),
        lost_ids=a.account_id.collect(where=a.is_lost),
        pending_ids=a.account_id.collect(where=a.is_pending),
    )
    figures = t.mutate(value=ratio(t.lost, t.up))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = {
            "up_for_renewal": sorted(fig["up_ids"] or []),
            "lost": sorted(fig["lost_ids"] or []),
            "not_renewed": fig["lost"],
            "is_provisional": ctx.is_provisional,
            "pending": sorted(fig["pending_ids"] or []),
        }
        return result_for(
            "renewal_logo_churn_rate",
            ctx,
            value=fig["value"],
            numerator=fig["lost"],
            denominator=fig["up"],
            reason=None if fig["up"] else "no renewal was due in the period",
            parts=parts,
            rows=rows,
        )

    return MetricPlan(figures, finish, f.renewals, RENEWAL_ORDER)


def renewed_arr(renewals: ir.Table, basis: str) -> ir.IntegerValue:
    """ARR renewed: each renewed line at min(before, after), or after (new_term)."""
    kept = (
        renewals.arr_after
        if basis == "new_term"
        else ibis.least(renewals.arr_before, renewals.arr_after)
    )
    return (renewals.outcome == "renewed").ifelse(kept, 0).sum()


@register(
    "cost_to_renew",
    label="Cost to renew",
    unit="rate",
    direction="lower_is_better",
    inputs=("renewals", "costs"),
    is_sliceable=False,
)
def cost_to_renew(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Cost to renew = cs_opex cost rows whose own period lies in the query period ÷
    renewed ARR (renewals due in the period and renewed, each at min(prior, new) ARR;
    renewed_arr_basis=new_term counts the new ARR). Unit: fraction. Direction: lower
    is better. Edge cases: nothing renewed → None; no cs_opex cost rows in the
    period → None (unknown, not free). Example: 50000 opex over 320000
    renewed → 0.15625.
    """
    r = f.renewals
    costs = f.costs.filter(f.costs.category == "cs_opex")
    t = f.beside(
        f.summarise(costs, opex=costs.amount.sum(), opex_rows=costs.count()),
        f.summarise(
            r,
            renewed=renewed_arr(r, f.options.renewed_arr_basis),
            available=r.arr_before.sum(),
        ),
    )
    figures = t.mutate(
        value=(t.opex_rows > 0).ifelse(ratio(t.opex, t.renewed), ibis.null("float64"))
    )

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = {
            "cs_opex": ctx.money(fig["opex"]),
            "renewed_arr": ctx.money(fig["renewed"]),
            "available_to_renew": ctx.money(fig["available"]),
        }
        return result_for(
            "cost_to_renew",
            ctx,
            value=fig["value"],
            numerator=ctx.money(fig["opex"]),
            denominator=ctx.money(fig["renewed"]),
            reason=_cost_to_renew_reason(
                has_costs=bool(fig["opex_rows"]), renewed=fig["renewed"]
            ),
            parts=parts,
            rows=rows,
        )

    return MetricPlan(figures, finish, r, RENEWAL_ORDER)


def _cost_to_renew_reason(*, has_costs: bool, renewed: int) -> str | None:
    if not has_costs:
        return "no cs_opex cost rows lie in the period; import costs"
    return None if renewed else "no ARR was renewed in the period"
