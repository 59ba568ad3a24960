import pytest

from tenure.core.errors import InvalidInput
from tenure.core.money import to_minor_units, validate_currency


def test_amounts_in_major_units_become_minor_units_half_up():
    assert to_minor_units("12.505", "USD") == 1251
    assert to_minor_units("1,000".replace(",", ""), "EUR") == 100000
    assert to_minor_units("500", "JPY") == 500
    assert to_minor_units("1.2345", "KWD") == 1235


@pytest.mark.parametrize("value", ["abc", "", "nan", "inf"])
def test_non_numbers_are_refused(value):
    with pytest.raises(InvalidInput):
        to_minor_units(value, "USD")


def test_currency_codes_are_normalised_and_checked():
    assert validate_currency(" eur ") == "EUR"
    with pytest.raises(InvalidInput, match="ISO 4217"):
        validate_currency("XYZ")
