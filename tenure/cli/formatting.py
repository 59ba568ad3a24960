"""How figures look in the terminal: percent and money formatting live here only."""

from typing import Any

NOT_AVAILABLE = "n/a"


def format_figure(value: Any, unit: str) -> str:
    """A metric value for people: rates as percent, money and scores with commas."""
    if value is None:
        return NOT_AVAILABLE
    if unit == "rate" and isinstance(value, float):
        return f"{value * 100:.2f} %"
    if unit == "score" and isinstance(value, float | int):
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
