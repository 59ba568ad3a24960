"""Pure Ibis query builders over the ARR segments and the operational tables.

Every function takes Ibis tables and plain values and returns an expression;
nothing here executes or reads the clock.

Table shapes:
- `segments`: account_id, line_id, product, currency, starts_on, ends_on
  (exclusive), arr_cents (int, native currency), is_paused, notice_on.
- `rates`: currency, rate_start, rate_end and rate_prior (the rate on S − 1
  whatever the FX basis), reporting units per unit.
- `accounts`: account_id, segment, csm_id, plan.
- `assignments`: account_id, csm_id, starts_on, ends_on (exclusive, null open).
"""

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tenure.core.time import Period


def active_on(segments: ir.Table, day: date) -> ir.BooleanValue:
    """Whether a segment is in service on `day`."""
    return (segments.starts_on <= day) & (segments.ends_on > day)


def first_paid_days(segments: ir.Table) -> ir.Table:
    """Each account's first day with ARR above zero: account_id, first_paid_on."""
    return segments.group_by("account_id").aggregate(
        first_paid_on=segments.starts_on.min()
    )


def _converted(
    t: ir.Table, condition: ir.BooleanValue, rate: ir.FloatingValue
) -> ir.IntegerValue:
    # Round each line before summing, so that totals by account and by account ×
    # product are sums of the same whole cents and always agree.
    amount = condition.ifelse((t.arr_cents * rate).round().cast("int64"), 0)
    return amount.sum().cast("int64")


def unit_snapshots(
    segments: ir.Table, rates: ir.Table, period: Period, *, keys: list[str]
) -> ir.Table:
    """Start and end ARR per unit (`keys`), in reporting cents, paused ARR apart.

    Columns: keys, start_total, start_paused, end_total, end_paused (both at the
    start rate) and end_total_fx, end_paused_fx (at the end rate).
    """
    first, last = period.start - timedelta(days=1), period.last_day
    t = segments.join(rates, "currency")
    on_start, on_end = active_on(t, first), active_on(t, last)
    t = t.filter(on_start | on_end)
    on_start, on_end = active_on(t, first), active_on(t, last)
    return t.group_by(keys).aggregate(
        start_total=_converted(t, on_start, t.rate_start),
        start_paused=_converted(t, on_start & t.is_paused, t.rate_start),
        end_total=_converted(t, on_end, t.rate_start),
        end_paused=_converted(t, on_end & t.is_paused, t.rate_start),
        end_total_fx=_converted(t, on_end, t.rate_end),
        end_paused_fx=_converted(t, on_end & t.is_paused, t.rate_end),
    )


def account_movements(
    segments: ir.Table, rates: ir.Table, period: Period, *, exclude_paused: bool
) -> ir.Table:
    """One row per account with ARR at either snapshot and its movements.

    Movements compare the totals (paused ARR included); under `exclude_paused`
    the paused ARR leaves starting and ending ARR through `pause`/`resume`.
    """
    snap = unit_snapshots(segments, rates, period, keys=["account_id"])
    snap = snap.left_join(first_paid_days(segments), "account_id").select(
        snap, "first_paid_on"
    )
    s, e = snap.start_total, snap.end_total
    was_paying = snap.first_paid_on < period.start
    zero = ibis.literal(0, "int64")
    start_off = snap.start_paused if exclude_paused else zero
    end_off = snap.end_paused if exclude_paused else zero
    end_off_fx = snap.end_paused_fx if exclude_paused else zero
    paused_delta = end_off - start_off
    fx_start, fx_end = e - end_off, snap.end_total_fx - end_off_fx
    return snap.mutate(
        starting_arr=s - start_off,
        ending_arr=fx_end,
        new=((s == 0) & (e > 0) & ~was_paying).ifelse(e, zero),
        reactivation=((s == 0) & (e > 0) & was_paying).ifelse(e, zero),
        expansion=((s > 0) & (e > s)).ifelse(e - s, zero),
        contraction=((s > 0) & (e > 0) & (e < s)).ifelse(s - e, zero),
        churn=((s > 0) & (e == 0)).ifelse(s, zero),
        pause=(paused_delta > 0).ifelse(paused_delta, zero),
        resume=(paused_delta < 0).ifelse(-paused_delta, zero),
        fx=fx_end - fx_start,
    )


def month_label(day: ir.DateValue) -> ir.StringValue:
    """`YYYY-MM` of a date, spelled the same way on every backend."""
    return day.year().cast("string") + "-" + day.month().cast("string").lpad(2, "0")


def csm_on(assignments: ir.Table, accounts: ir.Table, day: date) -> ir.Table:
    """Each account's CSM on `day`: account_id, csm_id.

    An account with assignment history has the CSM whose stretch covers the
    day (none before its first stretch); an account without any history keeps
    the CSM named on the account.
    """
    covering = assignments.filter(
        (assignments.starts_on <= day)
        & (assignments.ends_on.isnull() | (assignments.ends_on > day))
    ).select("account_id", csm_on="csm_id")
    tracked = assignments.select("account_id").distinct().mutate(tracked=True)
    t = accounts.left_join(covering, "account_id").select(accounts, "csm_on")
    t = t.left_join(tracked, "account_id").select(t, "tracked")
    return t.select(
        "account_id",
        csm_id=t.tracked.notnull().ifelse(t.csm_on, t.csm_id),
    )


def account_attributes(
    segments: ir.Table, accounts: ir.Table, assignments: ir.Table, day: date
) -> ir.Table:
    """Segment, CSM on `day`, plan and first-paid month (cohort) of every account.

    Covers the accounts of the accounts table and every account with ARR.
    """
    ids = accounts.select("account_id").union(
        segments.select("account_id"), distinct=True
    )
    csm = csm_on(assignments, accounts, day)
    firsts = first_paid_days(segments)
    t = ids.left_join(accounts, "account_id").select(ids, "segment", "plan")
    t = t.left_join(csm, "account_id").select(t, "csm_id")
    t = t.left_join(firsts, "account_id").select(t, "first_paid_on")
    return t.select(
        "account_id",
        "segment",
        "csm_id",
        "plan",
        cohort=month_label(t.first_paid_on),
    )


def on_free_plan(free_lines: ir.Table, day: date) -> ir.Table:
    """Accounts with a free line in service on `day`: account_id, is_on_free_plan."""
    active = (free_lines.starts_on <= day) & (
        free_lines.ends_on.isnull() | (free_lines.ends_on > day)
    )
    return (
        free_lines.filter(active)
        .select("account_id")
        .distinct()
        .mutate(is_on_free_plan=True)
    )


def renewals_due(records: ir.Table, rates: ir.Table, period: Period) -> ir.Table:
    """Renewal records due in the period, amounts in reporting cents at S − 1."""
    due = records.filter(
        (records.due_on >= period.start) & (records.due_on < period.end)
    )
    t = due.join(rates, "currency")
    return t.select(
        "account_id",
        "line_id",
        "due_on",
        "outcome",
        "decided_on",
        "source",
        arr_before=(t.arr_before_cents * t.rate_prior).round().cast("int64"),
        arr_after=(t.arr_after_cents * t.rate_prior).round().cast("int64"),
    )


def gross_loss_by_product(
    segments: ir.Table, rates: ir.Table, period: Period
) -> ir.Table:
    """Per account, Σ over its products of max(0, start − end): account_id, loss."""
    snap = unit_snapshots(segments, rates, period, keys=["account_id", "product"])
    loss = (snap.start_total > snap.end_total).ifelse(
        snap.start_total - snap.end_total, 0
    )
    return snap.group_by("account_id").aggregate(product_loss=loss.sum())


def committed_arr(segments: ir.Table, rates: ir.Table, day: date) -> ir.Table:
    """ARR on `day` per account without lines under notice: account_id, carr."""
    t = segments.join(rates, "currency")
    t = t.filter(active_on(t, day))
    committed = t.notice_on.isnull() | (t.notice_on > day)
    return t.group_by("account_id").aggregate(
        arr=_converted(t, ibis.literal(True), t.rate_end),
        carr=_converted(t, committed, t.rate_end),
    )


def costs_in_period(costs: ir.Table, period: Period, category: str) -> ir.Table:
    """Cost rows of a category whose own period lies inside the query period.

    `costs` carries starts_on and ends_on of each row's own period.
    """
    return costs.filter(
        (costs.category == category)
        & (costs.starts_on >= period.start)
        & (costs.ends_on <= period.end)
    )


def nps_responses(responses: ir.Table, period: Period, *, dedup: str) -> ir.Table:
    """Valid NPS responses answered in the period, one per respondent when asked.

    `responses` carries responded_on (local date), respondent, account_id,
    score, responded_at.
    """
    valid = responses.filter(
        (responses.kind == "nps")
        & responses.score.notnull()
        & responses.score.between(0, 10)
        & (responses.responded_on >= period.start)
        & (responses.responded_on < period.end)
    )
    if dedup == "all":
        return valid
    rank = ibis.row_number().over(
        group_by=valid.respondent,
        order_by=[ibis.desc(valid.responded_at), ibis.desc(valid.id)],
    )
    return valid.mutate(rank=rank).filter(lambda t: t.rank == 0).drop("rank")


def nps_counts(responses: ir.Table) -> ir.Table:
    """Promoters, passives, detractors and responses of a set of NPS responses."""
    score = responses.score
    return responses.aggregate(
        promoters=(score >= 9).sum(),
        passives=((score >= 7) & (score <= 8)).sum(),
        detractors=(score <= 6).sum(),
        responses=score.count(),
    )


def nps_by_account(responses: ir.Table) -> ir.Table:
    """Each account's NPS (−100..100) and response count."""
    score = responses.score
    grouped = responses.group_by("account_id").aggregate(
        promoters=(score >= 9).sum(),
        detractors=(score <= 6).sum(),
        responses=score.count(),
    )
    return grouped.mutate(
        account_nps=100.0 * (grouped.promoters - grouped.detractors) / grouped.responses
    )


def cohort_arr(segments: ir.Table, rates: ir.Table, day: date) -> ir.Table:
    """Per account: first paid day, ARR on that day and ARR on `day`.

    Both amounts use the period-start rate so the ratio is in constant currency.
    """
    firsts = first_paid_days(segments)
    t = segments.join(rates, "currency").join(firsts, "account_id")
    on_first = active_on(t, t.first_paid_on)
    return t.group_by(["account_id", "first_paid_on"]).aggregate(
        first_arr=_converted(t, on_first, t.rate_start),
        ending_arr=_converted(t, active_on(t, day), t.rate_start),
    )
