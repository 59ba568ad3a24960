"""Renewal metrics: renewal logo churn and cost to renew.

Input rows (`renewals`, one per renewal due in the period): account_id,
line_id, due_on, outcome (renewed, churned or pending), decided_on,
arr_before and arr_after (reporting cents), segment, csm_id, plan.
"""

from collections.abc import Sequence

from tenure.metrics.definitions.revenue import sum_of
from tenure.metrics.registry import Frames, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext, ratio


def logo_outcomes(renewals: Sequence[Row]) -> tuple[list[str], list[str], list[str]]:
    """Accounts up for renewal, lost (renewed none), and still pending."""
    outcomes: dict[str, set[str]] = {}
    for row in renewals:
        outcomes.setdefault(row["account_id"], set()).add(row["outcome"])
    up = sorted(outcomes)
    lost = [
        a for a in up if "renewed" not in outcomes[a] and "pending" not in outcomes[a]
    ]
    pending = [
        a for a in up if "renewed" not in outcomes[a] and "pending" in outcomes[a]
    ]
    return up, lost, pending


@register(
    "renewal_logo_churn_rate",
    label="Logo churn",
    unit="rate",
    direction="lower_is_better",
    inputs=("renewals",),
    aliases=("logo_churn", "renewal_logo_churn"),
)
def renewal_logo_churn_rate(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Renewal logo churn = accounts that renewed none of their renewals due in the
    period (within due date + grace_days, default 30) ÷ distinct accounts with a
    renewal due in the period. Unit: fraction. Direction: lower is better. Edge
    cases: no renewal due → None; early renewals count in the period they were due;
    renewing one line and dropping another is not logo churn; renewals still inside
    their grace window at as_of are pending (not lost). Example: 10 due, 1 lost → 0.10.
    """
    up, lost, pending = logo_outcomes(frames["renewals"])
    parts = {
        "up_for_renewal": up,
        "lost": lost,
        "not_renewed": len(lost),
        "is_provisional": ctx.is_provisional,
        "pending": pending,
    }
    return result_for(
        "renewal_logo_churn_rate",
        ctx,
        value=ratio(len(lost), len(up)),
        numerator=len(lost),
        denominator=len(up),
        reason=None if up else "no renewal was due in the period",
        parts=parts,
        rows=list(frames["renewals"]),
    )


def renewed_arr(renewals: Sequence[Row], basis: str) -> int:
    """ARR renewed: each renewed line at min(before, after), or after (new_term)."""
    total = 0
    for row in renewals:
        if row["outcome"] != "renewed":
            continue
        before, after = int(row["arr_before"]), int(row["arr_after"])
        total += after if basis == "new_term" else min(before, after)
    return total


@register(
    "cost_to_renew",
    label="Cost to renew",
    unit="rate",
    direction="lower_is_better",
    inputs=("renewals", "costs"),
    is_sliceable=False,
)
def cost_to_renew(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """Cost to renew = cs_opex cost rows whose own period lies in the query period ÷
    renewed ARR (renewals due in the period and renewed, each at min(prior, new) ARR;
    renewed_arr_basis=new_term counts the new ARR). Unit: fraction. Direction: lower
    is better. Edge cases: nothing renewed → None; no cs_opex cost rows in the
    period → None (unknown, not free). Example: 50000 opex over 320000
    renewed → 0.15625.
    """
    spending = [c for c in frames["costs"] if c["category"] == "cs_opex"]
    opex = sum_of(spending, "amount")
    renewed = renewed_arr(frames["renewals"], ctx.options.renewed_arr_basis)
    available = sum_of(frames["renewals"], "arr_before")
    parts = {
        "cs_opex": ctx.money(opex),
        "renewed_arr": ctx.money(renewed),
        "available_to_renew": ctx.money(available),
    }
    return result_for(
        "cost_to_renew",
        ctx,
        value=ratio(opex, renewed) if spending else None,
        numerator=ctx.money(opex),
        denominator=ctx.money(renewed),
        reason=_cost_to_renew_reason(has_costs=bool(spending), renewed=renewed),
        parts=parts,
        rows=list(frames["renewals"]),
    )


def _cost_to_renew_reason(*, has_costs: bool, renewed: int) -> str | None:
    if not has_costs:
        return "no cs_opex cost rows lie in the period; import costs"
    return None if renewed else "no ARR was renewed in the period"
