"""Product events: logins and feature use per contact, falling before churn."""

import random

from tenure.demo import words
from tenure.demo.contract import Contracts
from tenure.demo.people import Contact
from tenure.demo.timeline import DAY_SECONDS, Window, day_number

# Usage starts to fade this many days before a setback and bottoms out at it.
DECLINE_DAYS = 75
DECLINE_DEPTH = 0.85
FEATURE_SHARE = 0.5
WEEKEND_FACTOR = 0.2
LOGIN_PROPERTIES = ('{"method":"sso"}', '{"method":"password"}')
MICROS = 1_000_000


def active_spans(contracts: Contracts) -> list[tuple[int, int]]:
    """Merged day-number ranges `[start, end)` during which any line is in service."""
    ranges = sorted(
        (
            day_number(line.starts_on),
            day_number(line.ends_on) if line.ends_on else 10**7,
        )
        for line in contracts.lines
    )
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def usage_factor(day: int, setbacks: list[tuple[int, float]]) -> float:
    """Share of normal usage on a day: 1, less in the weeks before a setback."""
    factor = 1.0
    for setback_day, severity in setbacks:
        lead = setback_day - day
        if 0 < lead <= DECLINE_DAYS:
            ramp = (DECLINE_DAYS - lead) / DECLINE_DAYS
            factor *= 1.0 - severity * DECLINE_DEPTH * ramp
    if (day + 3) % 7 >= 5:
        factor *= WEEKEND_FACTOR
    return factor


def _contact_days(
    rng: random.Random,
    *,
    rate: float,
    first: int,
    last: int,
    setbacks: list[tuple[int, float]],
) -> list[int]:
    """Days with a login: a Poisson stream at `rate`, thinned by the usage factor."""
    days: list[int] = []
    position = float(first)
    while True:
        position += rng.expovariate(rate)
        day = int(position)
        if day > last:
            return days
        if rng.random() < usage_factor(day, setbacks):
            days.append(day)


def simulate_events(
    rng: random.Random,
    *,
    account_id: str,
    contacts: list[Contact],
    contracts: Contracts,
    window: Window,
) -> dict[str, list[object]]:
    """All of an account's events in the window, in time order, as Parquet columns."""
    spans = active_spans(contracts)
    setbacks = [(day_number(day), severity) for day, severity in contracts.setbacks]
    found: list[tuple[int, str, str, str | None]] = []
    for contact in contacts:
        favourite = rng.sample(words.FEATURES, 3)
        method = rng.choice(LOGIN_PROPERTIES)
        for start, end in spans:
            first = max(start, window.first_day, day_number(contact.created_on))
            last = min(end - 1, window.last_day)
            if first > last:
                continue
            for day in _contact_days(
                rng, rate=contact.login_rate, first=first, last=last, setbacks=setbacks
            ):
                at = day * DAY_SECONDS + rng.randrange(7 * 3600, 20 * 3600)
                found.append((at, contact.id, "login", method))
                if rng.random() < FEATURE_SHARE:
                    feature = rng.choice(
                        favourite if rng.random() < 0.8 else words.FEATURES
                    )
                    found.append(
                        (at + rng.randrange(30, 3000), contact.id, feature, None)
                    )
    found.sort(key=lambda event: event[:3])
    return {
        "message_id": [f"{account_id}-e{n:06d}" for n in range(1, len(found) + 1)],
        "account_id": [account_id] * len(found),
        "contact_id": [contact_id for _, contact_id, _, _ in found],
        "name": [name for _, _, name, _ in found],
        "occurred_at": [at * MICROS for at, _, _, _ in found],
        "properties": [properties for _, _, _, properties in found],
    }
