"""Dry run of an alert rule over history: what it would have fired, and then."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from tenure.activity.store import EventStore
from tenure.alerts.service import parsed_rules
from tenure.alerts.values import account_values
from tenure.health.backtest import as_of_dates
from tenure.health.inputs import load_health_inputs
from tenure.health.outcomes import churned_on
from tenure.health.service import load_scorecard, read_activity


@dataclass(frozen=True)
class Firing:
    as_of: date
    account_id: str
    churned_on: date | None


@dataclass(frozen=True)
class DryRunReport:
    rule_id: str
    condition: str
    runs: int
    firings: list[Firing]
    accounts: int
    churned_accounts: int


def dry_run_rule(
    session: Session,
    rule_id: str,
    *,
    start: date,
    end: date,
    store: EventStore | None = None,
    step_days: int = 7,
    horizon_days: int = 90,
) -> DryRunReport:
    """Run one rule every `step_days` from `start` to `end` without storing
    anything; an account fires again only after the condition cleared (or the
    cooldown passed), and churn counts when ARR reached zero within
    `horizon_days` of the firing."""
    ((rule, condition),) = parsed_rules(session, rule_id)
    scorecard = load_scorecard(session)
    data = load_health_inputs(session)
    firings: list[Firing] = []
    live: set[str] = set()
    quiet_until: dict[str, date] = {}
    days = as_of_dates(start, end, step_days)
    previous = start - timedelta(days=step_days)
    for as_of in days:
        activity = read_activity(
            store, as_of=as_of, event_names=scorecard.activity_events
        )
        values = account_values(
            data, scorecard, as_of=as_of, since=previous, activity=activity
        )
        for account_id, row in values.items():
            if not condition.matches(row):
                if account_id in live and rule.is_auto_closed:
                    live.discard(account_id)
                    quiet_until[account_id] = as_of + timedelta(rule.cooldown_days)
                continue
            if account_id in live or quiet_until.get(account_id, as_of) > as_of:
                continue
            live.add(account_id)
            churn = churned_on(data, account_id, as_of=as_of, horizon_days=horizon_days)
            firings.append(Firing(as_of, account_id, churn))
        previous = as_of
    accounts = {firing.account_id for firing in firings}
    churned = {firing.account_id for firing in firings if firing.churned_on}
    return DryRunReport(
        rule.id, rule.condition, len(days), firings, len(accounts), len(churned)
    )
