"""Survey responses, support tickets and CSM notes that follow an account's health."""

import random
from dataclasses import dataclass, field
from datetime import date

from tenure.demo import words
from tenure.demo.activity import active_spans
from tenure.demo.contract import Contracts
from tenure.demo.people import Contact
from tenure.demo.profile import Profile
from tenure.demo.timeline import (
    DAY_SECONDS,
    Window,
    add_months,
    day_number,
    instant_text,
)

# Mood and support load react to a setback up to this many days ahead of it.
WARNING_DAYS = 180
NPS_EVERY_MONTHS = 6
NPS_RESPONSE_RATE = 0.3
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (30, 45, 20, 5)
RESOLUTION_HOURS = {"low": 96, "normal": 48, "high": 20, "urgent": 6}
ESCALATION_RATES = {"low": 0.01, "normal": 0.02, "high": 0.08, "urgent": 0.3}
NOTE_EVERY_DAYS = {"smb": 120, "mid": 60, "ent": 30}

Row = tuple[object, ...]


@dataclass
class Engagement:
    survey_responses: list[Row] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)


class _Simulation:
    def __init__(
        self,
        rng: random.Random,
        *,
        profile: Profile,
        contacts: list[Contact],
        contracts: Contracts,
        window: Window,
        author_id: str,
    ) -> None:
        self.rng = rng
        self.author_id = author_id
        self.profile = profile
        self.contacts = contacts
        self.contracts = contracts
        self.window = window
        self.spans = [
            (max(start, window.first_day), min(end - 1, window.last_day))
            for start, end in active_spans(contracts)
        ]
        self.setbacks = [(day_number(d), sev) for d, sev in contracts.setbacks]
        self.out = Engagement()

    def account_id(self) -> str:
        return self.profile.account_id

    def closeness(self, day: int) -> float:
        """0 when healthy, rising towards 1 as a churn (or contraction) nears."""
        worst = 0.0
        for setback_day, severity in self.setbacks:
            lead = setback_day - day
            if 0 <= lead <= WARNING_DAYS:
                worst = max(worst, severity * (1 - lead / WARNING_DAYS))
        return worst

    def is_customer(self, day: int) -> bool:
        return any(first <= day <= last for first, last in self.spans)

    def contacts_on(self, day: int) -> list[Contact]:
        return [c for c in self.contacts if day_number(c.created_on) <= day]

    def clock(self, day: int, *, earliest: int = 8, latest: int = 18) -> int:
        return day * DAY_SECONDS + self.rng.randrange(earliest * 3600, latest * 3600)

    def run(self) -> Engagement:
        self.survey_nps()
        self.open_tickets()
        self.write_notes()
        return self.out

    def survey_nps(self) -> None:
        rng = self.rng
        campaign_on = add_months(self.window.first_on, 1)
        while campaign_on <= self.window.last_on:
            survey = f"nps-{campaign_on:%Y-%m}"
            day = day_number(campaign_on)
            if self.is_customer(day):
                for contact in self.contacts_on(day):
                    if rng.random() < NPS_RESPONSE_RATE:
                        answered = min(day + rng.randrange(21), self.window.last_day)
                        self.add_nps(survey, contact, answered)
            campaign_on = add_months(campaign_on, NPS_EVERY_MONTHS)

    def add_nps(self, survey: str, contact: Contact, day: int) -> None:
        rng = self.rng
        mood = 8.5 - 1.0 * (self.profile.risk - 1.0) - 4.0 * self.closeness(day)
        score = min(10, max(0, round(rng.gauss(mood, 1.6))))
        comment = None
        if rng.random() < 0.35:
            pool = (
                words.PROMOTER_COMMENTS
                if score >= 9
                else words.PASSIVE_COMMENTS
                if score >= 7
                else words.DETRACTOR_COMMENTS
            )
            comment = rng.choice(pool)
        self.add_response(survey, "nps", contact, score, comment, self.clock(day))

    def add_response(
        self,
        survey: str,
        kind: str,
        contact: Contact,
        score: int,
        comment: str | None,
        at: int,
    ) -> None:
        number = len(self.out.survey_responses) + 1
        self.out.survey_responses.append(
            (f"{self.account_id()}-s{number:03d}", survey, self.account_id(),
             contact.id, kind, score, comment, instant_text(at))
        )  # fmt: skip

    def open_tickets(self) -> None:
        rate = self.profile.segment.ticket_rate / 30 * 2.5
        for first, last in self.spans:
            position = float(first)
            while (position := position + self.rng.expovariate(rate)) <= last + 1:
                day = int(position)
                if self.rng.random() < (1 + 1.5 * self.closeness(day)) / 2.5:
                    self.add_ticket(day)

    def add_ticket(self, day: int) -> None:
        rng = self.rng
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        opened = self.clock(day, earliest=0, latest=24)
        hours = rng.expovariate(1 / RESOLUTION_HOURS[priority]) + 0.25
        closed: int | None = opened + int(hours * 3600)
        satisfaction = None
        if closed is not None and closed >= (self.window.last_day + 1) * DAY_SECONDS:
            closed = None
        if closed is not None and rng.random() < 0.55:
            mood = 4.3 - 0.4 * (self.profile.risk - 1.0) - 1.8 * self.closeness(day)
            satisfaction = min(5, max(1, round(rng.gauss(mood, 0.9))))
        number = len(self.out.tickets) + 1
        self.out.tickets.append(
            (f"{self.account_id()}-t{number:03d}", self.account_id(),
             instant_text(opened), None if closed is None else instant_text(closed),
             priority, satisfaction, rng.random() < ESCALATION_RATES[priority])
        )  # fmt: skip
        if satisfaction is not None and closed is not None and rng.random() < 0.6:
            self.add_csat(day, satisfaction, closed)

    def add_csat(self, day: int, score: int, closed: int) -> None:
        contacts = self.contacts_on(day)
        answered = closed + self.rng.randrange(600, DAY_SECONDS)
        if not contacts or answered >= (self.window.last_day + 1) * DAY_SECONDS:
            return
        comment = (
            self.rng.choice(words.CSAT_COMMENTS) if self.rng.random() < 0.3 else None
        )
        contact = self.rng.choice(contacts)
        self.add_response("support-csat", "csat", contact, score, comment, answered)

    def write_notes(self) -> None:
        created = day_number(self.profile.created_on)
        if self.window.first_day <= created <= self.window.last_day:
            self.add_note(created, "meeting", words.KICKOFF_NOTE)
        every = NOTE_EVERY_DAYS[self.profile.segment.name]
        for first, last in self.spans:
            position = float(first)
            while (position := position + self.rng.expovariate(1 / every)) <= last + 1:
                kind = self.rng.choice(("call", "call", "meeting", "email"))
                self.add_note(
                    int(position), kind, self.rng.choice(words.NOTE_TEXTS[kind])
                )
        for cancellation in self.contracts.cancellations:
            requested = cancellation[3]
            assert isinstance(requested, date)
            day = day_number(requested)
            risk_day = day - self.rng.randrange(7, 30)
            if self.window.first_day <= risk_day:
                self.add_note(risk_day, "call", words.RISK_NOTE)
            if self.window.first_day <= day:
                self.add_note(day, "email", words.CHURN_NOTE)

    def add_note(self, day: int, kind: str, text: str) -> None:
        number = len(self.out.notes) + 1
        self.out.notes.append(
            (f"{self.account_id()}-n{number:03d}", self.account_id(),
             self.author_id, kind, instant_text(self.clock(day)), text)
        )  # fmt: skip


def simulate_engagement(
    rng: random.Random,
    *,
    profile: Profile,
    contacts: list[Contact],
    contracts: Contracts,
    window: Window,
    author_id: str,
) -> Engagement:
    """Surveys, tickets and notes for one account; its CSM writes the notes."""
    return _Simulation(
        rng,
        profile=profile,
        contacts=contacts,
        contracts=contracts,
        window=window,
        author_id=author_id,
    ).run()
