"""Jinja filters: money, rates and dates as people read them."""

from datetime import date, datetime

from jinja2 import Environment

from tenure.core.money import minor_digits
from tenure.metrics.result import MetricResult
from tenure.web.metric_view import format_value


def install_filters(env: Environment, currency: str) -> None:
    """Register the filters; autoescape stays on for every template."""
    scale = 10 ** minor_digits(currency)

    def money(cents: int | None) -> str:
        if cents is None:
            return "–"
        return f"{cents / scale:,.0f} {currency}"

    def minor(amount: int | None, code: str) -> str:
        if amount is None:
            return "–"
        digits = minor_digits(code)
        return f"{amount / 10**digits:,.{digits}f} {code}"

    def figure(result: MetricResult) -> str:
        return format_value(result, currency)

    def day(value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M}"
        return value.isoformat()

    env.autoescape = True
    env.filters["money"] = money
    env.filters["figure"] = figure
    env.filters["minor"] = minor
    env.filters["day"] = day
    env.globals["currency"] = currency
