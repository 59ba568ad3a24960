"""Committed ARR, cohort retention and ARR per CSM with each CSM's book."""

from tenure.metrics.frames import PeriodFrames, ratio
from tenure.metrics.registry import MetricPlan, register, result_for
from tenure.metrics.result import MetricResult, Row, SummaryContext


@register(
    "committed_arr",
    label="CARR",
    unit="money",
    direction="higher_is_better",
    inputs=("committed",),
    aliases=("carr", "committed_arr_at_end"),
)
def committed_arr(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Committed ARR on the last day = ARR minus lines with a cancellation or
    non-renewal notice on file that day. Unit: currency per year. Direction: higher
    is better. Edge case: churn itself is still dated at the end of service.
    Example: 60000 ARR with a 36000 line under notice → 24000.
    """
    c = f.committed
    figures = f.summarise(c, carr=c.carr.sum(), arr=c.arr.sum())
    figures = figures.mutate(under_notice=figures.arr - figures.carr)

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        parts = {
            "committed_arr_at_end": ctx.money(fig["carr"]),
            "arr_at_end": ctx.money(fig["arr"]),
            "arr_under_notice": ctx.money(fig["under_notice"]),
        }
        return result_for(
            "committed_arr", ctx, value=ctx.money(fig["carr"]), parts=parts, rows=rows
        )

    return MetricPlan(figures, finish, c.filter(c.carr != c.arr), ("account_id",))


@register(
    "cohort_retention",
    label="Cohort retention",
    unit="rate",
    direction="higher_is_better",
    inputs=("cohorts",),
)
def cohort_retention(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """Cohort retention = ending ARR of accounts first paid before the period end ÷
    their ARR on their first paid day; rows give each first-paid month's figure.
    Unit: fraction. Direction: higher is better. Edge case: no cohort → None.
    Example: a cohort that started at 1000 and is at 900 now → 0.90.
    """
    c = f.cohorts
    t = f.summarise(c, first=c.first_arr.sum(), end=c.ending_arr.sum())
    figures = t.mutate(value=ratio(t.end, t.first))
    keys = ["slice_key", "cohort"] if f.is_sliced else ["cohort"]
    by_cohort = c.group_by(keys).aggregate(
        accounts=c.count(),
        first_arr=c.first_arr.sum(),
        ending_arr=c.ending_arr.sum(),
    )
    by_cohort = by_cohort.mutate(
        retention_rate=ratio(by_cohort.ending_arr, by_cohort.first_arr)
    )

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        return result_for(
            "cohort_retention",
            ctx,
            value=fig["value"],
            numerator=ctx.money(fig["end"]),
            denominator=ctx.money(fig["first"]),
            reason=None if fig["first"] else "no account has paid yet",
            rows=rows,
        )

    return MetricPlan(figures, finish, by_cohort, ("cohort",))


@register(
    "arr_per_csm",
    label="ARR per CSM",
    unit="money",
    direction="higher_is_better",
    inputs=("movements", "roster"),
    is_sliceable=False,
)
def arr_per_csm(f: PeriodFrames, ctx: SummaryContext) -> MetricPlan:
    """ARR per CSM = total ending ARR (or assigned book ARR, option
    arr_per_csm_numerator=book) ÷ Σ FTE of users with role csm on the roster on the
    last day; each CSM's book ARR and account count are the rows. Unit: currency per
    year per FTE. Direction: higher is better. Edge cases: no CSM FTE → None;
    managers, leavers and unknown CSMs are unassigned. Example: 900k over 2.5 FTE
    → 360k.
    """
    roster = f.roster.select(csm_id="id", fte=f.roster.fte.coalesce(0.0))
    m = f.movements
    paying = m.filter(m.ending_arr > 0)
    books = paying.group_by("csm_id").aggregate(
        book_arr=paying.ending_arr.sum(), accounts=paying.count()
    )
    joined = roster.left_join(books, "csm_id")
    rows = joined.select(
        "csm_id",
        "fte",
        book_arr=joined.book_arr.coalesce(0),
        accounts=joined.accounts.coalesce(0),
    )
    rostered = roster.select("csm_id").mutate(is_rostered=True)
    marked = paying.left_join(rostered, "csm_id")
    marked = marked.select("ending_arr", is_rostered=marked.is_rostered.coalesce(False))
    t = f.beside(
        f.summarise(m, total=m.ending_arr.sum()),
        f.summarise(
            marked,
            unassigned=marked.is_rostered.ifelse(0, marked.ending_arr).sum(),
        ),
        f.summarise(roster, fte=roster.fte.sum(), csms=roster.count()),
    )
    if f.options.arr_per_csm_numerator == "total":
        numerator = t.total
    else:
        numerator = t.total - t.unassigned
    figures = t.mutate(numerator=numerator, value=ratio(numerator, t.fte))

    def finish(fig: Row, rows: list[Row], ctx: SummaryContext) -> MetricResult:
        fte = float(fig["fte"])
        parts = {
            "csm_fte": fte,
            "unassigned_arr": ctx.money(fig["unassigned"]),
            "total_arr": ctx.money(fig["total"]),
        }
        return result_for(
            "arr_per_csm",
            ctx,
            value=ctx.money(fig["value"]),
            numerator=ctx.money(fig["numerator"]),
            denominator=fte,
            reason=None if fte else "no CSM on the roster on the last day",
            parts=parts,
            rows=rows,
        )

    return MetricPlan(figures, finish, rows, ("csm_id",))
