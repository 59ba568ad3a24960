"""What actually happened to an account's ARR after a day (churn, contraction)."""

from dataclasses import dataclass
from datetime import date, timedelta

from tenure.health.inputs import HealthInputs


@dataclass(frozen=True)
class Loss:
    """The first day within the horizon the account's ARR fell below its level."""

    on: date
    kind: str  # "churn" (ARR reached zero) or "contraction"


def arr_before(data: HealthInputs, account_id: str, as_of: date) -> int:
    """ARR on the eve of `as_of`: the level later losses are measured against."""
    return data.arr_on(account_id, as_of - timedelta(days=1))


def first_loss(
    data: HealthInputs, account_id: str, *, as_of: date, horizon_days: int
) -> Loss | None:
    """The first fall of ARR below its level on the eve of `as_of`, within
    `horizon_days` from `as_of`; None when ARR held or the account had none."""
    base = arr_before(data, account_id, as_of)
    if base <= 0:
        return None
    end = as_of + timedelta(days=horizon_days)
    days = sorted(
        {
            day
            for s in data.segments.get(account_id, [])
            for day in (s.starts_on, s.ends_on)
            if as_of <= day < end
        }
    )
    for day in days:
        arr = data.arr_on(account_id, day)
        if arr < base:
            return Loss(day, "churn" if arr == 0 else "contraction")
    return None


def churned_on(
    data: HealthInputs, account_id: str, *, as_of: date, horizon_days: int
) -> date | None:
    """The first day within the horizon the account's ARR reached zero, if any."""
    if arr_before(data, account_id, as_of) <= 0:
        return None
    end = as_of + timedelta(days=horizon_days)
    ends = sorted(
        s.ends_on for s in data.segments.get(account_id, []) if as_of <= s.ends_on < end
    )
    return next((day for day in ends if data.arr_on(account_id, day) == 0), None)
