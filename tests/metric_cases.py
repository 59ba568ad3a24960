"""Run hand-worked metric cases: `python -m tests.metric_cases FILE.yaml`.

Each case is loaded into a fresh store through the operational models, every
queried metric is computed through `MetricService`, and one line is printed per
case (`PASS C07` or `FAIL C07 logo_churn expected 0.1 got 0.2`), then
`N passed, M failed`. The exit status is 1 when any case fails. A case also
fails when it produces a value listed under `expected.wrong`.

Case fields that never move these metrics (refunds, logins) are not loaded.
"""

import math
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from tenure.accounts.models import Account, Contact, User
from tenure.core.db import transaction
from tenure.core.logging import configure_logging
from tenure.core.money import to_minor_units
from tenure.core.settings import Settings
from tenure.core.time import Period, local_date, parse_period
from tenure.core.workspace import init_workspace
from tenure.metrics.registry import UnknownMetric, resolve_metric
from tenure.metrics.service import MetricService
from tenure.revenue.models import (
    AcquiredAccountCount,
    Cancellation,
    ContractLine,
    Cost,
    Discount,
    ExchangeRate,
    Pause,
    Renewal,
)
from tenure.revenue.policy import MetricOptions
from tenure.surveys.models import SurveyResponse

OPTION_KEYS = (
    "timezone",
    "reporting_currency",
    "grace_days",
    "as_of",
    "pause_policy",
    "grain",
    "annualise",
    "renewed_arr_basis",
    "lifetime_cap_years",
    "days_per_year",
    "late_renewal",
    "nps_dedup",
    "arr_per_csm_numerator",
    "discount_policy",
)
SUPPORTED_CHOICES = {
    "per_customer_basis": "starting_customers",
    "lifetime_from": "annual_logo_churn",
}
RATE_WORDS = ("churn", "nrr", "grr", "retention", "cost_to_renew", "ltv_to_cac")


def _day(value: Any, timezone: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_date(value, timezone)
    if isinstance(value, date):
        return value
    text = str(value)
    if "T" in text:
        return local_date(datetime.fromisoformat(text), timezone)
    return date.fromisoformat(text)


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _cents(value: Any, currency: str = "USD") -> int | None:
    return None if value is None else to_minor_units(value, currency)


class CaseLoader:
    """Turns one case's `input` into rows of the operational models."""

    def __init__(
        self, data: dict[str, Any], timezone: str, currency: str = "USD"
    ) -> None:
        self.data, self.tz, self.currency = data, timezone, currency
        self.accounts: dict[str, Account] = {}
        self.users: dict[str, User] = {}
        self.contacts: dict[str, Contact] = {}

    def rows(self) -> list[Any]:
        for item in self.data.get("csms") or []:
            self._user(item["id"], item)
        for item in self.data.get("accounts") or []:
            self._account(item["id"], item)
        built: list[Any] = []
        counter = iter(range(1, 10**6))
        for item in self.data.get("subscriptions") or []:
            built.append(self._line(item))
        for name, build in (
            ("discounts", self._discount),
            ("pauses", self._pause),
            ("cancellations", self._cancellation),
            ("renewals", self._renewal),
            ("costs", self._cost),
            ("survey_responses", self._response),
            ("new_customers_acquired", self._acquired),
            ("fx_rates", self._rate),
            ("exchange_rates", self._rate),
        ):
            built.extend(
                build(item, f"{name}-{next(counter)}")
                for item in self.data.get(name) or []
            )
        return [
            *self.users.values(),
            *self.accounts.values(),
            *self.contacts.values(),
            *built,
        ]

    def _user(self, user_id: str, item: dict[str, Any] | None = None) -> str:
        item = item or {}
        if user_id not in self.users:
            self.users[user_id] = User(
                id=user_id,
                email=f"{user_id}@example.com",
                name=user_id,
                role=item.get("role", "csm"),
                fte=Decimal(str(item.get("fte", 1))),
                joined_on=_day(item.get("start"), self.tz),
                left_on=_day(item.get("end"), self.tz),
            )
        return user_id

    def _account(self, account_id: str, item: dict[str, Any] | None = None) -> str:
        item = item or {}
        if account_id not in self.accounts:
            csm = item.get("csm")
            self.accounts[account_id] = Account(
                id=account_id,
                name=item.get("name", account_id),
                segment=item.get("segment"),
                plan=item.get("plan"),
                csm_id=self._user(csm) if csm else None,
            )
        return account_id

    def _line(self, item: dict[str, Any]) -> ContractLine:
        currency = item.get("currency", "USD")
        has_arr = item.get("arr") is not None
        return ContractLine(
            id=item["id"],
            account_id=self._account(item["account"]),
            product=item.get("product"),
            kind=item.get("kind", "paid"),
            starts_on=_day(item["start"], self.tz),
            ends_on=_day(item.get("end"), self.tz),
            interval=item.get("interval", "year" if has_arr else "month"),
            interval_count=item.get("interval_count", 1),
            amount_cents=_cents(item.get("amount", item.get("arr", 0)), currency),
            arr_cents=_cents(item.get("arr"), currency),
            currency=currency,
        )

    def _discount(self, item: dict[str, Any], key: str) -> Discount:
        return Discount(
            id=item.get("id", key),
            contract_line_id=item.get("subscription"),
            account_id=item.get("account"),
            duration=item["duration"],
            percent_off=None
            if item.get("percent") is None
            else Decimal(str(item["percent"])),
            amount_off_cents=_cents(item.get("amount_off")),
            starts_on=_day(item["start"], self.tz),
            ends_on=_day(item.get("end"), self.tz),
            reason=item.get("reason"),
        )

    def _pause(self, item: dict[str, Any], key: str) -> Pause:
        return Pause(
            id=item.get("id", key),
            contract_line_id=item.get("subscription"),
            account_id=item.get("account"),
            starts_on=_day(item["start"], self.tz),
            ends_on=_day(item.get("end"), self.tz),
        )

    def _cancellation(self, item: dict[str, Any], key: str) -> Cancellation:
        return Cancellation(
            id=item.get("id", key),
            account_id=self._account(item["account"]),
            contract_line_id=item.get("subscription"),
            requested_on=_day(item.get("requested_at"), self.tz),
            effective_on=_day(item["effective_at"], self.tz),
            reason=item.get("type"),
        )

    def _renewal(self, item: dict[str, Any], key: str) -> Renewal:
        return Renewal(
            id=item.get("id", key),
            account_id=self._account(item["account"]),
            contract_line_id=item.get("contract"),
            due_on=_day(item["due_date"], self.tz),
            outcome=item.get("outcome", "pending"),
            decided_on=_day(item.get("decided_at"), self.tz),
            arr_before_cents=_cents(item.get("prior_arr")),
            arr_after_cents=_cents(item.get("new_arr")),
            currency="USD",
        )

    def _cost(self, item: dict[str, Any], key: str) -> Cost:
        currency = item.get("currency", "USD")
        return Cost(
            id=item.get("id", key),
            period=str(item["period"]),
            category=item.get("kind", item.get("category")),
            amount_cents=_cents(item["amount"], currency),
            currency=currency,
        )

    def _response(self, item: dict[str, Any], key: str) -> SurveyResponse:
        account_id = self._account(item["account"])
        contact = item.get("respondent")
        if contact and contact not in self.contacts:
            self.contacts[contact] = Contact(id=contact, account_id=account_id)
        return SurveyResponse(
            id=item.get("id", key),
            survey=item.get("survey", "nps"),
            account_id=account_id,
            contact_id=contact,
            kind=item.get("kind", "nps"),
            score=item.get("score"),
            responded_at=_instant(item["at"]),
        )

    def _acquired(self, item: dict[str, Any], key: str) -> AcquiredAccountCount:
        return AcquiredAccountCount(
            id=key, period=str(item["period"]), count=item["count"]
        )

    def _rate(self, item: dict[str, Any], key: str) -> ExchangeRate:
        return ExchangeRate(
            currency=item["currency"],
            quote_currency=item.get("quote", item.get("quote_currency", self.currency)),
            rate_on=_day(item.get("date", item.get("rate_on")), self.tz),
            rate=Decimal(str(item["rate"])),
        )


def _period(query: dict[str, Any]) -> list[Period]:
    if "date" in query:
        day = date.fromisoformat(str(query["date"]))
        return [Period(day, day + timedelta(days=1), str(day))]
    raw = query.get("periods") or [query["period"]]
    periods = []
    for item in raw:
        if isinstance(item, dict):
            start, end = (date.fromisoformat(str(item[k])) for k in ("start", "end"))
            periods.append(Period(start, end, f"{start}..{end}"))
        else:
            periods.append(parse_period(str(item)))
    return periods


def _options(query: dict[str, Any]) -> MetricOptions:
    for key, supported in SUPPORTED_CHOICES.items():
        if key in query and query[key] != supported:
            raise ValueError(
                f"query {key}={query[key]!r} is not supported; use {supported}"
            )
    values = {key: query[key] for key in OPTION_KEYS if key in query}
    if "round" in query:
        values["nps_round"] = query["round"]
    return MetricOptions().with_values(values)


def _names(query: dict[str, Any]) -> list[str]:
    metric = query["metric"]
    names = metric if isinstance(metric, list) else [metric]
    return [*names, *(query.get("also") or [])]


def load_case(
    engine: Engine, case_input: dict[str, Any], options: MetricOptions
) -> None:
    """Write one case's input into the store behind `engine`, references first."""
    loader = CaseLoader(case_input, options.timezone, options.reporting_currency)
    with transaction(engine) as session:
        for row in loader.rows():
            session.add(row)
            session.flush()


def _service_for(
    case_input: dict[str, Any], options: MetricOptions, engine: Engine | None
) -> MetricService:
    if engine is not None:
        return MetricService.from_engine(engine, options)
    with tempfile.TemporaryDirectory() as home:
        workspace = init_workspace(Settings(home=Path(home)))
        load_case(workspace.engine, case_input, options)
        service = MetricService.from_engine(workspace.engine, options)
        workspace.engine.dispose()
    return service


def compute_flat(
    case_input: dict[str, Any], query: dict[str, Any], *, engine: Engine | None = None
) -> dict[str, dict[str, Any]]:
    """Per period label, name → value; a fresh store unless `engine` holds the case."""
    options = _options(query)
    service = _service_for(case_input, options, engine)
    names = _names(query)
    slugs = ["arr_movements"]
    for name in names:
        try:
            slugs.append(resolve_metric(name).slug)
        except UnknownMetric:
            continue  # a helper figure, found among the parts
    flat: dict[str, dict[str, Any]] = {}
    for period in _period(query):
        values: dict[str, Any] = {}
        for name, result in zip(slugs, service.compute(slugs, period), strict=True):
            values.update(result.parts)
            values[result.slug] = result.value
            values[name] = result.value
        for name in names:
            try:
                values[name] = values[resolve_metric(name).slug]
            except UnknownMetric:
                continue
        flat[period.label] = values
    return flat


def _tolerance(key: str) -> float:
    return 1e-6 if any(word in key for word in RATE_WORDS) else 0.01


def _same(expected: Any, got: Any, key: str) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, list):
        return isinstance(got, list) and sorted(map(str, got)) == sorted(
            map(str, expected)
        )
    if isinstance(got, list):
        got = len(got)
    if isinstance(expected, int | float) and isinstance(got, int | float):
        if math.isnan(expected) or math.isinf(expected):
            return False
        return abs(float(expected) - float(got)) <= _tolerance(key) + 1e-9
    return bool(expected == got)


def mismatches(
    expected: dict[str, Any], values: dict[str, Any]
) -> Iterator[tuple[str, Any, Any]]:
    """(key, expected, got) for every leaf that differs."""
    for key, want in expected.items():
        got = values.get(key)
        if isinstance(want, dict):
            inner = got if isinstance(got, dict) else values
            yield from (
                (f"{key}.{k}" if inner is got else k, w, g)
                for k, w, g in mismatches(want, inner)
            )
        elif not _same(want, got, key):
            yield key, want, got


def _for_periods(
    expected: dict[str, Any], flat: dict[str, dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    if len(flat) > 1 or set(expected) & set(flat):
        return [(expected.get(label, {}), flat[label]) for label in flat]
    return [(expected, next(iter(flat.values())))]


def check_case(case: dict[str, Any], *, engine: Engine | None = None) -> list[str]:
    """Problems of one case: mismatches and wrong values produced.

    With `engine`, the case is loaded once into that (empty) store and every
    query variant runs on it; otherwise each variant gets a fresh SQLite store.
    """
    queries = case["query"] if isinstance(case["query"], list) else [case["query"]]
    if engine is not None:
        load_case(engine, case["input"], _options(queries[0]))
    expected_all = case["expected"]["values"]
    expected_list = expected_all if isinstance(expected_all, list) else [expected_all]
    problems: list[str] = []
    for query, expected in zip(queries, expected_list, strict=True):
        flat = compute_flat(case["input"], query, engine=engine)
        for want, values in _for_periods(expected, flat):
            problems.extend(
                f"{k} expected {w} got {g}" for k, w, g in mismatches(want, values)
            )
        problems.extend(_wrong_hits(case, query, flat))
    return problems


def _wrong_hits(
    case: dict[str, Any], query: dict[str, Any], flat: dict[str, dict[str, Any]]
) -> list[str]:
    hits = []
    primary = _names(query)[0]
    for wrong in case["expected"].get("wrong") or []:
        value = wrong["value"]
        shaped = value if isinstance(value, dict) else {primary: value}
        pairs = _for_periods(shaped, flat)
        relevant = [(w, v) for w, v in pairs if w]
        if relevant and all(not list(mismatches(w, v)) for w, v in relevant):
            hits.append(f"produced the wrong value {value!r} ({wrong['mistake']})")
    return hits


def run(path: Path) -> int:
    cases = yaml.safe_load(path.read_text())
    failed = 0
    for case in cases:
        try:
            problems = check_case(case)
        except Exception as exc:
            problems = [f"raised {type(exc).__name__}: {exc}"]
        if problems:
            failed += 1
            print(f"FAIL {case['id']} {'; '.join(problems)}")
        else:
            print(f"PASS {case['id']}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    configure_logging(level="WARNING")
    if len(sys.argv) != 2:
        print("usage: python -m tests.metric_cases FILE.yaml", file=sys.stderr)
        sys.exit(2)
    sys.exit(run(Path(sys.argv[1])))
