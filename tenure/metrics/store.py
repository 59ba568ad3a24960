"""Reads the operational tables through SQLAlchemy into the shapes metrics use."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import pyarrow as pa
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tenure.accounts.assignment_models import CsmAssignment
from tenure.accounts.models import Account, User
from tenure.core.errors import InvalidInput
from tenure.core.time import local_date, parse_period
from tenure.revenue.fx import RateBook
from tenure.revenue.models import (
    AcquiredAccountCount,
    Cancellation,
    ContractLine,
    Cost,
    Discount,
    ExchangeRate,
    Pause,
    Renewal,
)
from tenure.revenue.policy import MetricOptions
from tenure.revenue.timeline import Segment
from tenure.surveys.models import SurveyResponse

T = TypeVar("T")

SEGMENT_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("line_id", pa.string()),
        ("product", pa.string()),
        ("currency", pa.string()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
        ("arr_cents", pa.int64()),
        ("is_paused", pa.bool_()),
        ("notice_on", pa.date32()),
    ]
)
ACCOUNT_SCHEMA = pa.schema(
    [
        ("account_id", pa.string()),
        ("segment", pa.string()),
        ("csm_id", pa.string()),
        ("plan", pa.string()),
    ]
)
COST_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("period", pa.string()),
        ("category", pa.string()),
        ("amount", pa.int64()),
        ("starts_on", pa.date32()),
        ("ends_on", pa.date32()),
    ]
)
RESPONSE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("account_id", pa.string()),
        ("respondent", pa.string()),
        ("kind", pa.string()),
        ("score", pa.int64()),
        ("responded_at", pa.timestamp("us", tz="UTC")),
        ("responded_on", pa.date32()),
    ]
)


@dataclass(frozen=True)
class StoreContents:
    """Everything the metric suite reads, loaded once per service."""

    lines: list[ContractLine]
    discounts: list[Discount]
    pauses: list[Pause]
    cancellations: list[Cancellation]
    renewals: list[Renewal]
    rates: list[ExchangeRate]
    costs: list[Cost]
    accounts: list[Account]
    users: list[User]
    responses: list[SurveyResponse]
    acquired: list[AcquiredAccountCount]
    assignments: list[CsmAssignment] = field(default_factory=list)


def _all(session: Session, model: type[T]) -> list[T]:
    return list(session.scalars(select(model)))


def load_store(engine: Engine) -> StoreContents:
    """Read every table the metrics need, in one session, detached from it."""
    with Session(engine, expire_on_commit=False) as session:
        contents = StoreContents(
            lines=_all(session, ContractLine),
            discounts=_all(session, Discount),
            pauses=_all(session, Pause),
            cancellations=_all(session, Cancellation),
            renewals=_all(session, Renewal),
            rates=_all(session, ExchangeRate),
            costs=_all(session, Cost),
            accounts=_all(session, Account),
            users=_all(session, User),
            responses=_all(session, SurveyResponse),
            acquired=_all(session, AcquiredAccountCount),
            assignments=_all(session, CsmAssignment),
        )
        session.expunge_all()
    return contents


def segments_table(segments: Sequence[Segment]) -> pa.Table:
    rows = [
        {
            "account_id": s.account_id,
            "line_id": s.line_id,
            "product": s.product,
            "currency": s.currency,
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "arr_cents": s.arr_cents,
            "is_paused": s.is_paused,
            "notice_on": s.notice_on,
        }
        for s in segments
    ]
    return pa.Table.from_pylist(rows, schema=SEGMENT_SCHEMA)


def accounts_table(accounts: Sequence[Account]) -> pa.Table:
    rows = [
        {"account_id": a.id, "segment": a.segment, "csm_id": a.csm_id, "plan": a.plan}
        for a in accounts
    ]
    return pa.Table.from_pylist(rows, schema=ACCOUNT_SCHEMA)


def costs_table(costs: Sequence[Cost], book: RateBook) -> pa.Table:
    """Cost rows in reporting cents (rate at the start of each row's own period)."""
    rows: list[dict[str, Any]] = []
    for cost in costs:
        try:
            own = parse_period(cost.period)
        except InvalidInput as exc:
            raise InvalidInput(
                f"cost {cost.id!r} has period {cost.period!r} that is not understood; "
                "write 2024-01, 2024-Q1 or 2024"
            ) from exc
        rate = book.rate(cost.currency, own.start)
        rows.append(
            {
                "id": cost.id,
                "period": cost.period,
                "category": cost.category,
                "amount": round(cost.amount_cents * rate),
                "starts_on": own.start,
                "ends_on": own.end,
            }
        )
    return pa.Table.from_pylist(rows, schema=COST_SCHEMA)


def whole_score(score: object) -> int | None:
    """The score when it is a whole number, else None (dropped as invalid)."""
    if isinstance(score, bool):
        return None
    if isinstance(score, int):
        return score
    if isinstance(score, float | Decimal) and score == int(score):
        return int(score)
    return None


def responses_table(
    responses: Sequence[SurveyResponse], options: MetricOptions
) -> pa.Table:
    """Survey responses with their calendar date in the reporting time zone."""
    rows = [
        {
            "id": r.id,
            "account_id": r.account_id,
            "respondent": r.contact_id or f"response:{r.id}",
            "kind": r.kind,
            "score": whole_score(r.score),
            "responded_at": r.responded_at,
            "responded_on": local_date(r.responded_at, options.timezone),
        }
        for r in responses
    ]
    return pa.Table.from_pylist(rows, schema=RESPONSE_SCHEMA)
