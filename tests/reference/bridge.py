"""An independent, deliberately plain reference for monthly ARR snapshots and movements.

It shares no code with `tenure.revenue` or `tenure.metrics`: it walks calendar
days instead of change points, so agreement between the two is evidence.

A contract line is a plain dict:
    {"account_id": str, "starts_on": date, "ends_on": date | None (exclusive),
     "amount_cents": int, "interval": "week|month|quarter|year|once",
     "interval_count": int (default 1), "kind": "paid|trial|free|..." (default paid),
     "arr_cents": int | None (overrides amount)}
All amounts are in one currency; results are integer cents.
"""

from datetime import date, timedelta

_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}


def annual_cents(line: dict) -> int:
    """Recurring amount of one line per year, rounded half up to a cent."""
    if line.get("kind", "paid") != "paid" or line.get("interval") == "once":
        return 0
    if line.get("arr_cents") is not None:
        return int(line["arr_cents"])
    numerator = int(line["amount_cents"]) * _PER_YEAR[line.get("interval", "month")]
    denominator = int(line.get("interval_count") or 1)
    whole, rest = divmod(numerator, denominator)
    return whole + (1 if 2 * rest >= denominator else 0)


def raw_arr(lines: list[dict], account: str, day: date) -> int:
    total = 0
    for line in lines:
        if line["account_id"] != account:
            continue
        end = line.get("ends_on")
        if line["starts_on"] <= day and (end is None or day < end):
            total += annual_cents(line)
    return total


def arr_on(lines: list[dict], account: str, day: date, grace_days: int) -> int:
    """ARR of an account on a day; a zero gap of at most grace_days keeps prior ARR."""
    today = raw_arr(lines, account, day)
    if today > 0 or grace_days <= 0:
        return today
    back = next(
        (
            day - timedelta(days=k)
            for k in range(1, grace_days + 1)
            if raw_arr(lines, account, day - timedelta(days=k)) > 0
        ),
        None,
    )
    ahead = next(
        (
            day + timedelta(days=k)
            for k in range(1, grace_days + 1)
            if raw_arr(lines, account, day + timedelta(days=k)) > 0
        ),
        None,
    )
    if back is None or ahead is None or (ahead - back).days - 1 > grace_days:
        return 0
    return raw_arr(lines, account, back)


def first_paid_day(lines: list[dict], account: str) -> date | None:
    days = [
        line["starts_on"]
        for line in lines
        if line["account_id"] == account
        and annual_cents(line) > 0
        and (line.get("ends_on") is None or line["ends_on"] > line["starts_on"])
    ]
    return min(days) if days else None


def month_starts(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month up to and including `last`'s."""
    months, cursor = [], date(first.year, first.month, 1)
    while cursor <= last:
        months.append(cursor)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return months


def monthly_bridge(
    lines: list[dict], months: list[date], *, grace_days: int = 0
) -> dict:
    """{"YYYY-MM": {starting, new, reactivation, expansion, contraction, churn,
    ending}} in cents, classifying each account between month-end snapshots."""
    accounts = sorted({line["account_id"] for line in lines})
    bridge = {}
    for start in months:
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        row = dict.fromkeys(
            (
                "starting",
                "new",
                "reactivation",
                "expansion",
                "contraction",
                "churn",
                "ending",
            ),
            0,
        )
        for account in accounts:
            before = arr_on(lines, account, start - timedelta(days=1), grace_days)
            after = arr_on(lines, account, end - timedelta(days=1), grace_days)
            row["starting"] += before
            row["ending"] += after
            if before == 0 and after > 0:
                first = first_paid_day(lines, account)
                key = "reactivation" if first is not None and first < start else "new"
                row[key] += after
            elif before > 0 and after == 0:
                row["churn"] += before
            elif after > before > 0:
                row["expansion"] += after - before
            elif before > after > 0:
                row["contraction"] += before - after
        bridge[f"{start:%Y-%m}"] = row
    return bridge
