"""Pick a CSM for each account by the rules, without writing anything."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_rules import RuleView, last_round_robin, list_rules
from tenure.accounts.errors import CapacityExhausted
from tenure.accounts.models import Account, User
from tenure.accounts.roster import Coverage, active_csms, coverage_of


@dataclass(frozen=True)
class Move:
    """An account going from one CSM (or none) to another."""

    account_id: str
    from_csm_id: str | None
    to_csm_id: str
    rule: str


@dataclass(frozen=True)
class Unplaced:
    """An account no rule could give a CSM, and why."""

    account_id: str
    reason: str


@dataclass
class _Load:
    accounts: int = 0
    arr_cents: int = 0


@dataclass
class Plan:
    moves: list[Move] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    last_csm_by_rule: dict[int, str] = field(default_factory=dict)


class Planner:
    """Places accounts one by one, keeping each CSM's book load up to date."""

    def __init__(
        self,
        session: Session,
        *,
        as_of: date,
        arr_by_account: Mapping[str, int],
        excluded_csm_ids: Collection[str] = (),
    ) -> None:
        self._arr = arr_by_account
        self._rules = list_rules(session)
        self._csms = {
            user.id: user
            for user in active_csms(session, on=as_of)
            if user.id not in excluded_csm_ids
        }
        self._coverage: dict[str, Coverage] = coverage_of(session, self._csms)
        self._last = last_round_robin(session)
        self._load = {csm_id: _Load() for csm_id in self._csms}
        booked = session.execute(
            select(Account.id, Account.csm_id).where(Account.csm_id.is_not(None))
        )
        for account_id, csm_id in booked:
            if csm_id in self._load:
                self._add_load(csm_id, account_id)
        self.plan = Plan()

    def _add_load(self, csm_id: str, account_id: str) -> None:
        load = self._load[csm_id]
        load.accounts += 1
        load.arr_cents += self._arr.get(account_id, 0)

    def place(self, account: Account) -> None:
        rule = next((rule for rule in self._rules if rule.matches(account)), None)
        if rule is None:
            self.plan.unplaced.append(
                Unplaced(
                    account.id,
                    f"no assignment rule matches segment={account.segment}, "
                    f"country={account.country}, plan={account.plan}; "
                    "add a matching rule or a default rule",
                )
            )
            return
        candidates = self._candidates(rule, account)
        if not candidates:
            self.plan.unplaced.append(
                Unplaced(
                    account.id,
                    f"rule {rule.name!r} has no active CSM covering it; add a CSM "
                    "to the roster or to the rule",
                )
            )
            return
        arr_cents = self._arr.get(account.id, 0)
        fitting = [user for user in candidates if self._fits(user, arr_cents)]
        if not fitting:
            raise CapacityExhausted(self._exhausted_message(rule, account, candidates))

        chosen = self._choose(rule, fitting)
        self._add_load(chosen.id, account.id)
        if rule.strategy == "round_robin":
            self._last[rule.id] = chosen.id
            self.plan.last_csm_by_rule[rule.id] = chosen.id
        self.plan.moves.append(Move(account.id, account.csm_id, chosen.id, rule.name))

    def _candidates(self, rule: RuleView, account: Account) -> list[User]:
        if rule.csm_ids:
            return [self._csms[i] for i in rule.csm_ids if i in self._csms]
        return [
            user
            for user in self._csms.values()
            if self._coverage[user.id].covers(
                segment=account.segment, country=account.country
            )
        ]

    def _fits(self, user: User, arr_cents: int) -> bool:
        load = self._load[user.id]
        return (
            user.capacity_accounts is None or load.accounts < user.capacity_accounts
        ) and (
            user.capacity_arr_cents is None
            or load.arr_cents + arr_cents <= user.capacity_arr_cents
        )

    def _choose(self, rule: RuleView, fitting: list[User]) -> User:
        if rule.strategy == "round_robin":
            ordered = sorted(fitting, key=lambda user: user.id)
            last = self._last.get(rule.id)
            later = [user for user in ordered if last is None or user.id > last]
            return (later or ordered)[0]
        if rule.strategy == "balance_arr":
            return min(
                fitting,
                key=lambda u: (
                    self._load[u.id].arr_cents,
                    self._load[u.id].accounts,
                    u.id,
                ),
            )
        return min(
            fitting,
            key=lambda u: (self._load[u.id].accounts, self._load[u.id].arr_cents, u.id),
        )

    def _exhausted_message(
        self, rule: RuleView, account: Account, candidates: list[User]
    ) -> str:
        loads = "; ".join(
            f"{user.id} has {self._load[user.id].accounts}"
            f"/{_limit(user.capacity_accounts)} accounts and "
            f"{self._load[user.id].arr_cents}/{_limit(user.capacity_arr_cents)} "
            "ARR cents"
            for user in sorted(candidates, key=lambda user: user.id)
        )
        return (
            f"rule {rule.name!r} cannot place account {account.id!r} "
            f"(ARR {self._arr.get(account.id, 0)} cents): every CSM it can pick is "
            f"at capacity ({loads}); nothing was assigned, so raise a capacity or "
            "add a CSM and run again"
        )


def _limit(value: int | None) -> str:
    return "unlimited" if value is None else str(value)
