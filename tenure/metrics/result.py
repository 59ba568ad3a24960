"""What every metric returns: value, numerator, denominator, reason and rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tenure.core.time import Period
from tenure.revenue.policy import MetricOptions

Row = dict[str, Any]


@dataclass
class MetricResult:
    """One figure of one metric for one period and slice, with what is behind it.

    `value` is None exactly when the figure is undefined; `reason` then says why.
    Money is in major units of the reporting currency; rates are fractions.
    """

    slug: str
    label: str
    unit: str
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = None
    slice: str | None = None
    parts: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def to_dict(self, *, with_rows: bool = True) -> dict[str, Any]:
        data = {
            "metric": self.slug,
            "label": self.label,
            "unit": self.unit,
            "period": self.period,
            "slice": self.slice,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reason": self.reason,
            "parts": _jsonable(self.parts),
        }
        if with_rows:
            data["rows"] = _jsonable(self.rows)
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):
        return value.item()
    return value


@dataclass(frozen=True)
class SummaryContext:
    """What a metric's reduction needs besides its rows."""

    period: Period
    options: MetricOptions
    minor_per_major: int = 100
    slice: str | None = None

    @property
    def is_provisional(self) -> bool:
        """Whether the period ends inside the last grace_days before as_of."""
        if self.options.as_of is None:
            return False
        as_of = date.fromisoformat(self.options.as_of)
        return self.period.last_day > as_of - timedelta(days=self.options.grace_days)

    def money(self, cents: float | int | None) -> float | None:
        """Minor units to major units, rounded to the cent."""
        if cents is None:
            return None
        return round(float(cents) / self.minor_per_major, 2)


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator / denominator


def round_half_away(value: float, digits: int) -> float:
    """Round once, half away from zero (14.5 → 15, −14.5 → −15)."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded)


def annualise(
    rate: float | None, period: Period, options: MetricOptions
) -> float | None:
    """A period rate made annual: compound by default, linear when asked.

    Whole months m use 12/m; other windows use days_per_year/days. A one-year
    period is returned as it is.
    """
    if rate is None:
        return None
    months = period.whole_months
    if months == 12:
        return rate
    factor = 12 / months if months else options.days_per_year / period.days
    if options.annualise == "linear":
        return rate * factor
    if rate > 1:
        return None
    return 1 - float((1 - rate) ** factor)
