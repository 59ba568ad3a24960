"""Net Promoter Score, plain and weighted by account and by ARR.

Input frame (`nps`, valid NPS responses in the period after de-duplication):
id, account_id, respondent, score, responded_on, segment, csm_id, plan, cohort.
"""

import ibis.expr.types as ir

from tenure.metrics.frames import PeriodFrames, count_if, ratio
from tenure.metrics.registry import MetricPlan, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext, round_half_away


def weighted_figures(f: PeriodFrames) -> ir.Table:
    """Account-weighted NPS (each account one vote) and ARR-weighted NPS."""
    nps = f.nps
    keys = ["slice_key", "account_id"] if f.is_sliced else ["account_id"]
    per_account = nps.group_by(keys).aggregate(
        promoters=count_if(nps.score >= 9),
        detractors=count_if(nps.score <= 6),
        responses=nps.count(),
    )
    arr = f.movements.select("account_id", weight=f.movements.ending_arr)
    joined = per_account.left_join(arr, "account_id")
    scored = joined.select(
        *per_account.columns,
        score=100.0 * ratio(joined.promoters - joined.detractors, joined.responses),
        weight=joined.weight.coalesce(0),
    )
    t = f.summarise(
        scored,
        accounts=scored.count(),
        score_sum=scored.score.sum(),
        weighted_sum=(scored.score * scored.weight).sum(),
        weight_sum=scored.weight.sum(),
    )
    return t.mutate(
        account_weighted_nps=ratio(t.score_sum, t.accounts),
        arr_weighted_nps=ratio(t.weighted_sum, t.weight_sum),
    )


@register(
    "net_promoter_score",
    label="NPS",
    unit="score",
    direction="higher_is_better",
    inputs=("nps", "movements"),
    aliases=("nps",),
)
def net_promoter_score(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """NPS = 100 × (promoters − detractors) ÷ responses, promoters 9–10, passives
    7–8 (in the denominator), detractors 0–6; the latest response per respondent in
    the window (nps_dedup=all keeps every response; =account reports the
    account-weighted score); rounded once at the end, half away from zero
    (nps_round digits). Unit: score −100..100. Direction: higher is better. Edge
    case: no response → None. Example: 10, 9, 8, 7, 7, 8, 0 → 100 × 1/7 → 14.
    """
    nps = f.nps
    counts = f.summarise(
        nps,
        promoters=count_if(nps.score >= 9),
        detractors=count_if(nps.score <= 6),
        responses=nps.count(),
    )
    counts = counts.mutate(
        nps_unrounded=100.0
        * ratio(counts.promoters - counts.detractors, counts.responses)
    )
    t = f.beside(counts, weighted_figures(f))
    headline = (
        t.account_weighted_nps if f.options.nps_dedup == "account" else t.nps_unrounded
    )
    figures = t.mutate(headline=headline)

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        headline = fig["headline"]
        digits = ctx.options.nps_round
        value = None if headline is None else round_half_away(headline, digits)
        promoters, detractors = fig["promoters"], fig["detractors"]
        responses = fig["responses"]
        parts = {
            "nps_unrounded": fig["nps_unrounded"],
            "promoters": promoters,
            "passives": responses - promoters - detractors,
            "detractors": detractors,
            "responses": responses,
            "account_weighted_nps": fig["account_weighted_nps"],
            "arr_weighted_nps": fig["arr_weighted_nps"],
        }
        return result_for(
            "net_promoter_score",
            ctx,
            value=value,
            numerator=promoters - detractors,
            denominator=responses,
            reason=None if responses else "no valid NPS response in the period",
            parts=parts,
            rows=rows,
        )

    return MetricPlan(figures, finish, nps, ("id",))
