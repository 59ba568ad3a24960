"""An account's commercial life: contract lines, renewals, discounts, pauses, churn."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tenure.demo import words
from tenure.demo.profile import ANNUAL_PRICE_FACTOR, TRIAL_DAYS, Profile
from tenure.demo.timeline import Window, add_months

# TODO: every line is priced in USD — the demo never exercises exchange rates or
# the FX line of the ARR bridge.
CORE_PRODUCT = "Tenure Demo Platform"
ADDON_PRODUCT = "Insights add-on"
REACTIVATION_RATE = 0.15
RETENTION_OFFER_RATE = 0.15
PAUSE_RATE = 0.004
TO_ANNUAL_RATE = 0.01
# Share of the monthly upgrade rate at which annual lines add seats mid-term.
TRUE_UP_SHARE = 0.5

Row = tuple[object, ...]


@dataclass
class Line:
    """A contract line being simulated; `ends_on` stays None while it is open."""

    id: str
    product: str
    kind: str
    starts_on: date
    interval: str
    amount_cents: int
    quantity: int
    ends_on: date | None = None
    cancellation_notice_on: date | None = None

    @property
    def monthly_cents(self) -> int:
        if self.kind != "paid":
            return 0
        return self.amount_cents // 12 if self.interval == "year" else self.amount_cents

    def row(self, account_id: str) -> Row:
        return (
            self.id, account_id, self.product, self.kind, self.starts_on,
            self.ends_on, self.interval, 1, self.amount_cents, None, "USD",
            self.quantity, self.kind == "paid", self.cancellation_notice_on,
        )  # fmt: skip

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass
class Contracts:
    """Everything commercial about one account and the dates that shape its usage."""

    lines: list[Line] = field(default_factory=list)
    discounts: list[Row] = field(default_factory=list)
    pauses: list[Row] = field(default_factory=list)
    cancellations: list[Row] = field(default_factory=list)
    renewals: list[Row] = field(default_factory=list)
    # (day, severity): churn is 1.0, a contraction less; activity falls before each.
    setbacks: list[tuple[date, float]] = field(default_factory=list)
    churned_on: list[date] = field(default_factory=list)

    @property
    def first_paid_on(self) -> date | None:
        paid = [line.starts_on for line in self.lines if line.kind == "paid"]
        return min(paid) if paid else None

    def is_customer_on(self, day: date) -> bool:
        return any(line.is_active_on(day) for line in self.lines)


class _Simulation:
    def __init__(self, rng: random.Random, profile: Profile, window: Window) -> None:
        self.rng = rng
        self.profile = profile
        self.window = window
        self.horizon = window.last_on + timedelta(days=31)
        self.out = Contracts()
        self.seats = profile.seats
        self.counters: dict[str, int] = {}

    def next_id(self, letter: str) -> str:
        self.counters[letter] = self.counters.get(letter, 0) + 1
        return f"{self.profile.account_id}-{letter}{self.counters[letter]:02d}"

    def open_line(self, starts_on: date, *, interval: str) -> Line:
        seat_price = self.profile.segment.seat_price_cents
        amount = self.seats * seat_price
        if interval == "year":
            amount = round(amount * 12 * ANNUAL_PRICE_FACTOR)
        line = Line(
            self.next_id("l"), CORE_PRODUCT, "paid", starts_on, interval, amount,
            self.seats,
        )  # fmt: skip
        self.out.lines.append(line)
        return line

    def run(self) -> Contracts:
        start = self.profile.created_on
        if self.profile.has_trial:
            trial_end = start + timedelta(days=TRIAL_DAYS)
            trial = Line(
                self.next_id("l"), CORE_PRODUCT, "trial", start, "month", 0,
                self.seats, trial_end,
            )  # fmt: skip
            self.out.lines.append(trial)
            if not self.profile.converts:
                return self.out
            start = trial_end
        if start > self.window.last_on:
            return self.out
        self.add_entry_discount(start)
        interval = "year" if self.profile.is_annual else "month"
        restart: date | None = start
        while restart is not None:
            restart = self.run_paid(restart, interval=interval)
            interval = "month"
        return self.out

    def add_entry_discount(self, starts_on: date) -> None:
        rng = self.rng
        if rng.random() < 0.06 or self.profile.industry == "Non-profit":
            reason = (
                "non-profit" if self.profile.industry == "Non-profit" else "partner"
            )
            self.out.discounts.append(
                (self.next_id("d"), None, self.profile.account_id, "forever",
                 rng.choice((10, 15, 20)), None, None, starts_on, None, reason)
            )  # fmt: skip

    def run_paid(self, start: date, *, interval: str) -> date | None:
        """Simulate one paid stretch; return the day the account comes back, if ever."""
        core = self.open_line(start, interval=interval)
        if self.rng.random() < 0.1:
            months = self.rng.choice((3, 6))
            self.out.discounts.append(
                (self.next_id("d"), core.id, None, "repeating",
                 self.rng.choice((20, 25)), None, None, start,
                 add_months(start, months), "launch promotion")
            )  # fmt: skip
        addon: Line | None = None
        month, term_month = 1, 0
        while (day := add_months(start, month)) <= self.horizon:
            if core.interval == "year" and month - term_month == 12:
                core, churned = self.renew(core, day)
                term_month = month
            elif core.interval == "year":
                core, churned = self.true_up(core, day), False
            else:
                core, churned = self.step_monthly(core, day)
                term_month = month if core.interval == "year" else term_month
            if churned:
                if addon is not None:
                    addon.ends_on = day
                return self.reactivation_after(day)
            addon = self.step_addon(addon, day)
            month += 1
        if core.interval == "year" and core.ends_on is None:
            self.renew(core, add_months(start, term_month + 12))
        return None

    def step_addon(self, addon: Line | None, day: date) -> Line | None:
        segment = self.profile.segment
        if addon is not None or day > self.window.last_on:
            return addon
        if self.rng.random() >= segment.addon_rate:
            return None
        line = Line(
            self.next_id("l"), ADDON_PRODUCT, "paid", day, "month",
            segment.addon_cents, 1,
        )  # fmt: skip
        self.out.lines.append(line)
        return line

    def churn_hazard(self, base: float) -> bool:
        return self.rng.random() < base * self.profile.risk

    def cancel(self, line: Line, *, effective_on: date, notice_days: range) -> bool:
        """Record a cancellation unless its request would fall after the window."""
        notice = timedelta(days=self.rng.choice(notice_days))
        requested_on = max(line.starts_on, effective_on - notice)
        if requested_on > self.window.last_on:
            return False
        reason, comment = self.rng.choice(words.CANCELLATION_REASONS)
        self.out.cancellations.append(
            (self.next_id("x"), self.profile.account_id, line.id, requested_on,
             effective_on, reason, comment if self.rng.random() < 0.6 else None)
        )  # fmt: skip
        line.cancellation_notice_on = requested_on
        line.ends_on = effective_on
        self.out.churned_on.append(effective_on)
        self.out.setbacks.append((effective_on, 1.0))
        return True

    def step_monthly(self, core: Line, day: date) -> tuple[Line, bool]:
        rng, segment = self.rng, self.profile.segment
        if self.churn_hazard(segment.churn_rate):
            if day <= self.window.last_on and rng.random() < RETENTION_OFFER_RATE:
                self.offer_free_month(core, day)
                return core, False
            return core, self.cancel(core, effective_on=day, notice_days=range(3, 26))
        if day > self.window.last_on:
            return core, False
        roll = rng.random()
        if roll < segment.upgrade_rate:
            return self.resize(core, day, factor=rng.uniform(1.1, 1.6)), False
        roll -= segment.upgrade_rate
        if roll < segment.downgrade_rate:
            self.out.setbacks.append((day, 0.4))
            return self.resize(core, day, factor=rng.uniform(0.6, 0.9)), False
        roll -= segment.downgrade_rate
        if roll < TO_ANNUAL_RATE and segment.name != "smb":
            core.ends_on = day
            return self.open_line(day, interval="year"), False
        if rng.random() < PAUSE_RATE:
            months = rng.choice((1, 1, 2))
            self.out.pauses.append(
                (self.next_id("p"), core.id, None, day, add_months(day, months))
            )
        return core, False

    def true_up(self, core: Line, day: date) -> Line:
        """Seats added mid-term to an annual line: a new line to the same term end."""
        if day > self.window.last_on:
            return core
        if self.rng.random() >= self.profile.segment.upgrade_rate * TRUE_UP_SHARE:
            return core
        return self.resize(core, day, factor=self.rng.uniform(1.1, 1.4))

    def offer_free_month(self, core: Line, day: date) -> None:
        """A one-off credit that keeps a wavering account; it never changes ARR."""
        ends_on = add_months(day, 1)
        if self.rng.random() < 0.5:
            terms: Row = (100, None, None)
        else:
            terms = (None, core.amount_cents, "USD")
        self.out.discounts.append(
            (self.next_id("d"), core.id, None, "once", *terms, day, ends_on,
             "retention offer")
        )  # fmt: skip

    def resize(self, core: Line, day: date, *, factor: float) -> Line:
        seats = max(1, round(self.seats * factor))
        if seats == self.seats:
            seats = self.seats + (1 if factor > 1 else -1 if self.seats > 1 else 0)
        self.seats = seats
        core.ends_on = day
        return self.open_line(day, interval=core.interval)

    def renew(self, core: Line, due_on: date) -> tuple[Line, bool]:
        """Decide the annual renewal due on `due_on`; pending when after the window."""
        rng, segment = self.rng, self.profile.segment
        arr_before = core.amount_cents
        renewal_id = self.next_id("r")
        if due_on > self.window.last_on:
            core.ends_on = due_on
            if self.churn_hazard(segment.renewal_churn_rate):
                self.cancel(core, effective_on=due_on, notice_days=range(30, 91))
            self.out.renewals.append(
                (renewal_id, self.profile.account_id, core.id, due_on, "pending",
                 None, arr_before, None, "USD")
            )  # fmt: skip
            return core, False
        decided_on = due_on - timedelta(days=rng.randrange(0, 45))
        if self.churn_hazard(segment.renewal_churn_rate) and self.cancel(
            core, effective_on=due_on, notice_days=range(30, 91)
        ):
            outcome, after = "churned", 0
            decided_on = core.cancellation_notice_on or decided_on
            new_core = core
        else:
            roll = rng.random()
            if roll < 0.4:
                outcome, factor = "expanded", rng.uniform(1.1, 1.7)
            elif roll < 0.55:
                outcome, factor = "contracted", rng.uniform(0.6, 0.9)
                self.out.setbacks.append((due_on, 0.4))
            else:
                outcome, factor = "renewed", 1.0
            new_core = (
                self.resize(core, due_on, factor=factor)
                if factor != 1.0
                else self.restart_term(core, due_on)
            )
            after = new_core.amount_cents
        self.out.renewals.append(
            (renewal_id, self.profile.account_id, core.id, due_on, outcome,
             decided_on, arr_before, after, "USD")
        )  # fmt: skip
        return new_core, outcome == "churned"

    def restart_term(self, core: Line, day: date) -> Line:
        core.ends_on = day
        return self.open_line(day, interval="year")

    def reactivation_after(self, churned_on: date) -> date | None:
        if self.rng.random() >= REACTIVATION_RATE:
            return None
        back_on = churned_on + timedelta(days=self.rng.randrange(45, 240))
        return back_on if back_on <= self.window.last_on else None


def simulate_contracts(
    rng: random.Random, *, profile: Profile, window: Window
) -> Contracts:
    """Play one account forward from its creation to just past the window's end."""
    return _Simulation(rng, profile, window).run()
