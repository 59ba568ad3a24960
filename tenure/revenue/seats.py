"""Licensed seats: the `quantity` of the contract lines an account has on a day.

Seats never change ARR: a line's `amount_cents` is already its whole amount per
interval, seats included.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from tenure.revenue.models import Cancellation, ContractLine
from tenure.revenue.policy import MetricOptions
from tenure.revenue.timeline import effective_end

# One-off charges and instalment plans buy no seats of their own.
_LICENSING_KINDS = ("paid", "free")
_TRIAL_KIND = "trial"


def licensed_seats(
    lines: Sequence[ContractLine],
    *,
    on: date,
    cancellations: Sequence[Cancellation] = (),
) -> dict[str, int]:
    """Seats per account on a day, from the lines in service that state a quantity.

    Paid and free lines count. A trial's seats count only for an account with no
    paid or free line in service that day, so a trial on top of a plan is not
    counted twice. Accounts with no line in service stating a quantity are left
    out (their seats are unknown, not zero).
    """
    options = MetricOptions(churn_date="end_of_service")
    by_account: dict[str, list[ContractLine]] = defaultdict(list)
    for line in lines:
        by_account[line.account_id].append(line)
    stops: dict[str, list[Cancellation]] = defaultdict(list)
    for cancellation in cancellations:
        stops[cancellation.account_id].append(cancellation)
    seats: dict[str, int] = {}
    for account_id, account_lines in by_account.items():
        in_service = [
            line
            for line in account_lines
            if line.starts_on <= on < effective_end(line, stops[account_id], options)
        ]
        licensing = [x for x in in_service if (x.kind or "paid") in _LICENSING_KINDS]
        counted = licensing or [x for x in in_service if x.kind == _TRIAL_KIND]
        quantities = [x.quantity for x in counted if x.quantity is not None]
        if quantities:
            seats[account_id] = sum(quantities)
    return seats
