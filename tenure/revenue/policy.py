"""The revenue and metric policies: every convention with a documented default."""

import math
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tenure.core.errors import InvalidInput
from tenure.core.money import validate_currency

PausePolicy = Literal["keep_in_arr", "exclude"]
DiscountPolicy = Literal["run_rate", "all"]
ChurnDate = Literal["end_of_service", "cancellation"]
Annualise = Literal["compound", "linear"]
GrossChurnGrain = Literal["account", "account_product"]
LateRenewal = Literal["grace", "strict", "eventual"]
NpsDedup = Literal["latest", "all", "account"]
RenewedArrBasis = Literal["retained", "new_term"]
ArrPerCsmNumerator = Literal["total", "book"]
PaidToFree = Literal["churn", "active"]
FxBasis = Literal["period_start", "period_end"]
RenewalSource = Literal["auto", "imported", "derived"]

_MAX_GRACE_DAYS = 3650
_MAX_NPS_ROUND = 6


@dataclass(frozen=True)
class MetricOptions:
    """Named options of the metric suite; each default follows the conventions."""

    timezone: str = "UTC"
    reporting_currency: str = "USD"
    pause_policy: PausePolicy = "keep_in_arr"
    discount_policy: DiscountPolicy = "run_rate"
    churn_date: ChurnDate = "end_of_service"
    grace_days: int = 30
    annualise: Annualise = "compound"
    days_per_year: float = 365.0
    grain: GrossChurnGrain = "account"
    late_renewal: LateRenewal = "grace"
    renewal_source: RenewalSource = "auto"
    nps_dedup: NpsDedup = "latest"
    renewed_arr_basis: RenewedArrBasis = "retained"
    arr_per_csm_numerator: ArrPerCsmNumerator = "total"
    paid_to_free: PaidToFree = "churn"
    fx_basis: FxBasis = "period_start"
    lifetime_cap_years: float | None = None
    nps_round: int = 0
    as_of: str | None = None

    def with_values(self, values: dict[str, Any]) -> "MetricOptions":
        """A copy with options given as text or values (`grace_days=14`)."""
        known = {field.name: field for field in fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                raise InvalidInput(
                    f"unknown metric option {name!r}; known options are "
                    f"{', '.join(sorted(known))}"
                )
            changes[name] = _coerce(name, raw, known[name].type)
        updated = replace(self, **changes)
        updated.check()
        return updated

    def check(self) -> None:
        """Refuse a time zone, currency, date or number Tenure cannot use."""
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(
                f"option timezone={self.timezone!r} is not an IANA time zone; "
                "use for example UTC or Europe/Berlin"
            ) from exc
        validate_currency(self.reporting_currency)
        if self.as_of is not None:
            try:
                date.fromisoformat(self.as_of)
            except ValueError as exc:
                raise InvalidInput(
                    f"option as_of={self.as_of!r} is not a date; write YYYY-MM-DD"
                ) from exc
        self._check_numbers()

    def _check_numbers(self) -> None:
        if not _is_positive(self.days_per_year):
            raise InvalidInput(
                f"option days_per_year={self.days_per_year!r} must be a finite number "
                "above 0; use 365 or 365.25"
            )
        cap = self.lifetime_cap_years
        if cap is not None and not _is_positive(cap):
            raise InvalidInput(
                f"option lifetime_cap_years={cap!r} must be a finite number above 0; "
                "leave it empty for no cap"
            )
        if not 0 <= self.grace_days <= _MAX_GRACE_DAYS:
            raise InvalidInput(
                f"option grace_days={self.grace_days!r} must be between 0 and "
                f"{_MAX_GRACE_DAYS}"
            )
        if not 0 <= self.nps_round <= _MAX_NPS_ROUND:
            raise InvalidInput(
                f"option nps_round={self.nps_round!r} must be between 0 and "
                f"{_MAX_NPS_ROUND} decimals"
            )


def _is_positive(number: float) -> bool:
    return math.isfinite(number) and number > 0


def _coerce(name: str, raw: Any, annotation: Any) -> Any:
    choices = get_args(annotation)
    if choices and all(isinstance(choice, str) for choice in choices):
        if raw not in choices:
            raise InvalidInput(
                f"option {name}={raw!r} is not allowed; use one of {', '.join(choices)}"
            )
        return raw
    if raw is None or (isinstance(raw, str) and raw.lower() in ("", "none", "null")):
        return None
    kinds = choices or (annotation,)
    try:
        if int in kinds:
            return int(raw)
        if float in kinds:
            return float(raw)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"option {name}={raw!r} must be a number") from exc
    return str(raw)
