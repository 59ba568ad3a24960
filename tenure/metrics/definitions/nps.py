"""Net Promoter Score, plain and weighted by account and by ARR.

Input rows (`nps`, valid NPS responses in the period after de-duplication):
id, account_id, respondent, score, responded_on, segment, csm_id, plan.
"""

from collections import defaultdict
from collections.abc import Sequence

from tenure.metrics.registry import Frames, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext, round_half_away


def _score(rows: Sequence[Row]) -> float | None:
    if not rows:
        return None
    promoters = sum(1 for r in rows if r["score"] >= 9)
    detractors = sum(1 for r in rows if r["score"] <= 6)
    return 100 * (promoters - detractors) / len(rows)


def weighted_scores(
    rows: Sequence[Row], arr_by_account: dict[str, int]
) -> tuple[float | None, float | None]:
    """Account-weighted NPS (each account one vote) and ARR-weighted NPS."""
    by_account: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_account[row["account_id"]].append(row)
    scores = {a: _score(rs) or 0.0 for a, rs in by_account.items()}
    account_nps = sum(scores.values()) / len(scores) if scores else None
    weights = {a: arr_by_account.get(a, 0) for a in scores}
    total = sum(weights.values())
    arr_nps = sum(scores[a] * w for a, w in weights.items()) / total if total else None
    return account_nps, arr_nps


@register(
    "net_promoter_score",
    label="NPS",
    unit="score",
    direction="higher_is_better",
    inputs=("nps", "movements"),
    aliases=("nps",),
)
def net_promoter_score(frames: Frames, ctx: SummaryContext) -> MetricResult:
    """NPS = 100 × (promoters − detractors) ÷ responses, promoters 9–10, passives
    7–8 (in the denominator), detractors 0–6; the latest response per respondent in
    the window (nps_dedup=all keeps every response; =account reports the
    account-weighted score); rounded once at the end, half away from zero
    (nps_round digits). Unit: score −100..100. Direction: higher is better. Edge
    case: no response → None. Example: 10, 9, 8, 7, 7, 8, 0 → 100 × 1/7 → 14.
    """
    rows = list(frames["nps"])
    arr = {r["account_id"]: int(r["ending_arr"]) for r in frames["movements"]}
    unrounded = _score(rows)
    account_nps, arr_nps = weighted_scores(rows, arr)
    headline = account_nps if ctx.options.nps_dedup == "account" else unrounded
    digits = ctx.options.nps_round
    value = None if headline is None else round_half_away(headline, digits)
    promoters = sum(1 for r in rows if r["score"] >= 9)
    detractors = sum(1 for r in rows if r["score"] <= 6)
    parts = {
        "nps_unrounded": unrounded,
        "promoters": promoters,
        "passives": len(rows) - promoters - detractors,
        "detractors": detractors,
        "responses": len(rows),
        "account_weighted_nps": account_nps,
        "arr_weighted_nps": arr_nps,
    }
    return result_for(
        "net_promoter_score",
        ctx,
        value=value,
        numerator=promoters - detractors,
        denominator=len(rows),
        reason=None if rows else "no valid NPS response in the period",
        parts=parts,
        rows=rows,
    )
