"""The sizes of each benchmark scale and the fixed day every workload runs as of."""

from dataclasses import dataclass
from datetime import date

AS_OF = date(2025, 12, 31)
FIRST_MONTH = date(2023, 1, 1)
MONTHS = 36


@dataclass(frozen=True)
class Scale:
    name: str
    accounts: int
    events: int
    event_days: int
    # W4: batches of 100 events each client sends; W5: requests per client.
    batches: int
    page_requests: int
    clients: int = 50


SCALES = {
    "tiny": Scale("tiny", accounts=120, events=6_000, event_days=20, batches=20,
                  page_requests=1, clients=4),
    "small": Scale("small", accounts=2_000, events=300_000, event_days=90,
                   batches=200, page_requests=2, clients=20),
    "medium": Scale("medium", accounts=20_000, events=2_000_000, event_days=180,
                    batches=1_000, page_requests=2),
    "large": Scale("large", accounts=100_000, events=10_000_000, event_days=365,
                   batches=2_000, page_requests=2),
}  # fmt: skip
