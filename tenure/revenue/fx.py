"""Exchange rates into the reporting currency, as of a day."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from tenure.core.errors import InvalidInput
from tenure.revenue.models import ExchangeRate


class MissingExchangeRate(InvalidInput):
    """No rate on or before a day converts a currency to the reporting currency."""


class RateBook:
    """The latest known rate on or before a day, direct or inverted."""

    def __init__(self, rates: Sequence[ExchangeRate], reporting_currency: str) -> None:
        self.reporting_currency = reporting_currency
        table: dict[str, list[tuple[date, Fraction]]] = defaultdict(list)
        for rate in rates:
            if rate.quote_currency == reporting_currency:
                table[rate.currency].append((rate.rate_on, Fraction(rate.rate)))
            elif rate.currency == reporting_currency and rate.rate:
                table[rate.quote_currency].append(
                    (rate.rate_on, 1 / Fraction(rate.rate))
                )
        self._table = {key: sorted(values) for key, values in table.items()}

    def rate(self, currency: str, on: date) -> Fraction:
        """Units of the reporting currency one unit of `currency` was worth on `on`."""
        if currency == self.reporting_currency:
            return Fraction(1)
        history = self._table.get(currency, [])
        index = bisect_right(history, (on, Fraction(10**30)))
        if index == 0:
            raise MissingExchangeRate(
                f"no exchange rate from {currency} to {self.reporting_currency} "
                f"on or before {on}; import an exchange_rates row for that pair"
            )
        return history[index - 1][1]
