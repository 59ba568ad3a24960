"""Contacts at an account: invented names on a reserved `.example` domain."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tenure.demo import words
from tenure.demo.profile import Profile
from tenure.demo.timeline import Window

# Logins per working day for a typical contact in each role.
ROLE_LOGIN_RATES = {
    "executive sponsor": 0.03,
    "admin": 0.3,
    "champion": 0.4,
    "end user": 0.18,
    "billing": 0.02,
    "analyst": 0.25,
    "team lead": 0.2,
}


@dataclass(frozen=True)
class Contact:
    id: str
    email: str
    name: str
    role: str
    created_on: date
    login_rate: float

    def row(self, account_id: str) -> tuple[object, ...]:
        return (self.id, account_id, self.email, self.name, self.role, self.created_on)


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)


def draw_contacts(
    rng: random.Random, *, profile: Profile, window: Window
) -> list[Contact]:
    """The people at an account; the first arrives the day the account is created."""
    low, high = profile.segment.contacts
    count = rng.randint(low, high)
    latest = max(window.last_on, profile.created_on)
    contacts: list[Contact] = []
    seen: set[str] = set()
    for number in range(1, count + 1):
        first, last = person_name(rng)
        local = f"{first}.{last}".lower()
        if local in seen:
            local = f"{local}{number}"
        seen.add(local)
        role = "champion" if number == 1 else rng.choice(words.CONTACT_ROLES)
        delay = 0 if number == 1 else int(rng.expovariate(1 / 120))
        contacts.append(
            Contact(
                id=f"{profile.account_id}-c{number:02d}",
                email=f"{local}@{profile.slug}.example",
                name=f"{first} {last}",
                role=role,
                created_on=min(latest, profile.created_on + timedelta(days=delay)),
                login_rate=ROLE_LOGIN_RATES[role] * rng.lognormvariate(0.0, 0.5),
            )
        )
    return contacts
