"""Typing one cell against its canonical field: the checks every value passes."""

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from tenure.core.errors import InvalidInput
from tenure.core.money import validate_currency
from tenure.core.time import InvalidPeriod, parse_period
from tenure.ingest.schema import FieldSpec

MAX_TEXT_CHARS = 10_000
# Larger than any 64-bit column; checked before building a Python int.
_MAX_INTEGER_DIGITS = 20
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CALENDAR_PERIOD = re.compile(r"^\d{4}(-\d{2}|-[Qq][1-4])?$")
_FORMULA_STARTS = ("=", "+", "-", "@")


class CellInvalid(ValueError):
    """A value that does not fit its field; the message is the one-line reason."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def coerce(spec: FieldSpec, value: Any) -> Any:
    """The typed value for a non-blank cell, or `CellInvalid` with the reason."""
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        raise CellInvalid(
            f"the value has {len(value):,} characters, more than the "
            f"{MAX_TEXT_CHARS:,} allowed; shorten it"
        )
    typed = _COERCERS[spec.type](value)
    if spec.choices and typed not in spec.choices:
        raise CellInvalid(f"{spec.name} must be one of {', '.join(spec.choices)}")
    if spec.pattern and not re.match(spec.pattern, typed):
        raise CellInvalid(f"{spec.name} does not have the expected form")
    if spec.minimum is not None and typed < spec.minimum:
        raise CellInvalid(f"{spec.name} must be {spec.minimum} or more")
    if spec.maximum is not None and typed > spec.maximum:
        raise CellInvalid(f"{spec.name} must be {spec.maximum} or less")
    if spec.is_positive and typed <= 0:
        raise CellInvalid(f"{spec.name} must be above 0")
    return typed


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        raise CellInvalid(f"expected text, found {type(value).__name__}")
    text = str(value).strip()
    if text.startswith(_FORMULA_STARTS) and not _is_number(text[1:]) and text[1:]:
        raise CellInvalid(
            "text starting with =, +, - or @ looks like a spreadsheet formula and "
            "would run when exported; remove the leading character"
        )
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text.strip())
    except InvalidOperation:
        return False
    return True


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CellInvalid("expected a whole number, found a boolean")
    if isinstance(value, int):
        return value
    number = _number(value, kind="a whole number")
    if number.adjusted() > _MAX_INTEGER_DIGITS:
        raise CellInvalid("the number is too large")
    if number != number.to_integral_value():
        raise CellInvalid("expected a whole number; remove the decimals")
    return int(number)


def _number(value: Any, *, kind: str = "a number") -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise CellInvalid(f"expected {kind}, found {type(value).__name__}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise CellInvalid(f"expected {kind}; write digits only, such as 1200") from exc
    if not number.is_finite():
        raise CellInvalid(f"expected {kind}, found a non-finite value")
    return number


def _decimal(value: Any) -> Decimal:
    return _number(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise CellInvalid(
        "expected true or false; map other words with `boolean:` in a mapping file"
    )


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise CellInvalid("expected a date, found a time of day")
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise CellInvalid(
            "expected a date as YYYY-MM-DD; set date_format in a mapping file "
            "for other layouts"
        )
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CellInvalid(f"not a calendar date ({exc})") from exc


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0))
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise CellInvalid(
                "expected an ISO 8601 instant such as 2024-05-01T09:30:00Z"
            ) from exc
    else:
        raise CellInvalid(f"expected an instant, found {type(value).__name__}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:
        raise CellInvalid("the instant is out of range") from exc


def _period(value: Any) -> str:
    text = _text(value)
    try:
        if not _CALENDAR_PERIOD.match(text):
            raise InvalidPeriod(text)
        return parse_period(text).label
    except InvalidPeriod as exc:
        raise CellInvalid(
            "expected a month, quarter or year such as 2024-01, 2024-Q1 or 2024"
        ) from exc


def _currency(value: Any) -> str:
    try:
        return validate_currency(str(value))
    except InvalidInput as exc:
        raise CellInvalid(str(exc)) from exc


def _json(value: Any) -> str:
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise CellInvalid(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(parsed, dict):
        raise CellInvalid('expected a JSON object such as {"plan": "pro"}')
    return json.dumps(parsed, sort_keys=True, default=str)


_COERCERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
    "instant": _instant,
    "currency": _currency,
    "json": _json,
    "period": _period,
}
