"""Segments and the per-account traits the simulation draws from."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tenure.demo import words
from tenure.demo.timeline import Window, add_months


@dataclass(frozen=True)
class Segment:
    """How accounts of one segment buy, grow and leave (rates are per month)."""

    name: str
    share: float
    plan: str
    seat_price_cents: int
    seats: tuple[int, int]
    annual_share: float
    churn_rate: float
    renewal_churn_rate: float
    upgrade_rate: float
    downgrade_rate: float
    addon_rate: float
    addon_cents: int
    contacts: tuple[int, int]
    csm_capacity: int
    acquisition_cost_cents: int
    ticket_rate: float


# TODO: contacts are drawn apart from seats, so most mid and enterprise accounts
# use well under half their seats — in the demo the "seats unused" alert rule
# fires for most accounts and hides the other rules' alerts.
SEGMENTS = (
    Segment(
        "smb", 0.6, "Starter", 3_000, (3, 25), 0.15, 0.03, 0.18, 0.05, 0.015,
        0.0, 0, (2, 5), 90, 900_000, 0.25,
    ),
    Segment(
        "mid", 0.3, "Growth", 4_500, (15, 120), 0.35, 0.02, 0.14, 0.05, 0.015,
        0.008, 40_000, (3, 8), 45, 4_000_000, 0.6,
    ),
    Segment(
        "ent", 0.1, "Enterprise", 5_000, (60, 300), 0.8, 0.009, 0.13, 0.04, 0.01,
        0.012, 150_000, (6, 14), 15, 15_000_000, 1.5,
    ),
)  # fmt: skip
SEGMENT_BY_NAME = {segment.name: segment for segment in SEGMENTS}
ANNUAL_PRICE_FACTOR = 0.85
TRIAL_DAYS = 14


@dataclass(frozen=True)
class Profile:
    """One account's fixed traits; `risk` scales its churn hazard and its mood."""

    account_id: str
    index: int
    name: str
    slug: str
    segment: Segment
    industry: str
    country: str
    created_on: date
    risk: float
    is_annual: bool
    seats: int
    has_trial: bool
    converts: bool


def draw_segment(rng: random.Random) -> Segment:
    roll = rng.random()
    for segment in SEGMENTS:
        if roll < segment.share:
            return segment
        roll -= segment.share
    return SEGMENTS[-1]


def draw_profile(rng: random.Random, *, index: int, window: Window) -> Profile:
    """A new account: half were customers before the window, half join during it."""
    segment = draw_segment(rng)
    stem, tail = rng.choice(words.NAME_STEMS), rng.choice(words.NAME_TAILS)
    countries, weights = zip(*words.COUNTRIES, strict=True)
    if rng.random() < 0.5:
        earliest = add_months(window.first_on, -36)
        created_on = earliest + timedelta(
            days=rng.randrange((window.first_on - earliest).days)
        )
    else:
        span = (window.last_on - window.first_on).days + 1
        created_on = window.first_on + timedelta(days=rng.randrange(span))
    low, high = segment.seats
    return Profile(
        account_id=f"acc-{index:07d}",
        index=index,
        name=f"{stem} {tail}{rng.choice(words.LEGAL_FORMS)}",
        slug=f"{stem}{tail}{index}".lower(),
        segment=segment,
        industry=rng.choice(words.INDUSTRIES),
        country=rng.choices(countries, weights)[0],
        created_on=created_on,
        risk=min(3.0, max(0.3, rng.lognormvariate(0.0, 0.6))),
        is_annual=rng.random() < segment.annual_share,
        seats=int(low * (high / low) ** rng.random()),
        has_trial=rng.random() < 0.3,
        converts=rng.random() < 0.6,
    )
