"""The demo company's own side: its Tenure users (CSM roster) and monthly costs."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tenure.demo.people import person_name
from tenure.demo.profile import SEGMENTS, Segment
from tenure.demo.timeline import Window, add_months

STAFF_DOMAIN = "demo-company.example"
CSM_MONTHLY_COST_CENTS = 800_000
LEADER_MONTHLY_COST_CENTS = 1_100_000
CS_TOOLS_MONTHLY_CENTS = 120_000
BRAND_MONTHLY_CENTS = 1_500_000
HOSTING_SHARE = 0.1
CAPACITY_ARR_CENTS = {"smb": 40_000_000, "mid": 150_000_000, "ent": 300_000_000}
FTES = (Decimal("1.0"), Decimal("1.0"), Decimal("1.0"), Decimal("0.8"), Decimal("0.5"))

Row = tuple[object, ...]


@dataclass(frozen=True)
class StaffMember:
    id: str
    email: str
    name: str
    role: str
    fte: Decimal
    joined_on: date
    left_on: date | None = None
    segment: Segment | None = None

    def row(self) -> Row:
        capacity = self.segment.csm_capacity if self.segment else None
        arr = CAPACITY_ARR_CENTS[self.segment.name] if self.segment else None
        return (
            self.id, self.email, self.name, self.role, self.fte, self.joined_on,
            self.left_on, capacity, arr,
        )  # fmt: skip

    def is_on_roster(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass
class Roster:
    staff: list[StaffMember] = field(default_factory=list)
    csms_by_segment: dict[str, list[StaffMember]] = field(default_factory=dict)

    # TODO: an account keeps one CSM for life — the demo has no reassignment history
    # to show in the book-of-business pages.
    def assign(self, rng: random.Random, segment: Segment) -> str:
        """A CSM for a new account: one of the current CSMs serving its segment."""
        return rng.choice(self.csms_by_segment[segment.name]).id


def _email_and_name(
    rng: random.Random, number: int, *, seen: set[str]
) -> tuple[str, str]:
    """An invented staff member; a repeated name gets a number in its address."""
    first, last = person_name(rng)
    local = f"{first}.{last}".lower()
    if local in seen:
        local = f"{local}{number}"
    seen.add(local)
    return f"{local}@{STAFF_DOMAIN}", f"{first} {last}"


def build_roster(rng: random.Random, *, accounts: int, window: Window) -> Roster:
    """An admin, a CS leader, CSMs per segment sized to the book, and one leaver."""
    roster, seen = Roster(), set[str]()
    long_ago = add_months(window.first_on, -30)
    for role, key in (("admin", "u-admin"), ("leader", "u-lead")):
        email, name = _email_and_name(rng, 0, seen=seen)
        roster.staff.append(
            StaffMember(key, email, name, role, Decimal("1.0"), long_ago)
        )
    number = 0
    for segment in SEGMENTS:
        count = max(1, math.ceil(accounts * segment.share * 0.6 / segment.csm_capacity))
        members = []
        for _ in range(count):
            number += 1
            # On the roster before the window, so every note has a CSM in post.
            joined_on = window.first_on - timedelta(days=rng.randrange(30, 900))
            email, name = _email_and_name(rng, number, seen=seen)
            member = StaffMember(
                f"u-csm-{number:04d}", email, name, "csm", rng.choice(FTES), joined_on,
                segment=segment,
            )  # fmt: skip
            members.append(member)
        roster.staff.extend(members)
        roster.csms_by_segment[segment.name] = members
    number += 1
    email, name = _email_and_name(rng, number, seen=seen)
    left_on = add_months(window.first_on, window.months // 3)
    roster.staff.append(
        StaffMember(
            f"u-csm-{number:04d}", email, name, "csm", Decimal("1.0"), long_ago, left_on
        )
    )
    return roster


@dataclass
class CostLedger:
    """Monthly sums gathered while accounts stream past, turned into cost rows."""

    window: Window
    months: list[date] = field(init=False)
    mrr_cents: list[int] = field(init=False)
    acquisition_cents: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.months = self.window.month_starts()
        self.mrr_cents = [0] * len(self.months)
        self.acquisition_cents = [0] * len(self.months)

    def month_index(self, day: date) -> int | None:
        index = (day.year - self.months[0].year) * 12 + day.month - self.months[0].month
        return index if 0 <= index < len(self.months) else None

    def add_acquisition(self, first_paid_on: date, segment: Segment) -> None:
        index = self.month_index(first_paid_on)
        if index is not None:
            self.acquisition_cents[index] += segment.acquisition_cost_cents

    def rows(self, rng: random.Random, roster: Roster) -> list[Row]:
        rows: list[Row] = []
        for index, month in enumerate(self.months):
            period = f"{month:%Y-%m}"
            csm_fte = sum(
                member.fte
                for member in roster.staff
                if member.role == "csm" and member.is_on_roster(month)
            )
            amounts = {
                "cs_opex": int(csm_fte * CSM_MONTHLY_COST_CENTS)
                + LEADER_MONTHLY_COST_CENTS
                + CS_TOOLS_MONTHLY_CENTS,
                "sales_marketing": round(
                    (self.acquisition_cents[index] + BRAND_MONTHLY_CENTS)
                    * rng.uniform(0.9, 1.1)
                ),
                "cost_to_serve": round(
                    self.mrr_cents[index] * HOSTING_SHARE * rng.uniform(0.95, 1.05)
                ),
            }
            for category, amount in amounts.items():
                rows.append(
                    (f"cost-{period}-{category}", period, category, amount, "USD")
                )
        return rows
