"""W3: health scores and alert rules for every account on one day.

Tenure runs its `health` and `alerts` jobs on a scratch copy of the workspace
(so every run starts from the same store); the baseline computes the default
scorecard's measures, the score, the band and which built-in alert rules match,
in one DuckDB query over the exported tables and the event store.

The baseline leaves out what the generated data does not have (notes, renewal
records, discounts and pauses), so it is the floor of the same work.
"""

import importlib
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.generate import settings_for
from benchmarks.scales import AS_OF
from tenure.alerts.service import run_alerts_job
from tenure.core.workspace import open_workspace
from tenure.health.models import HealthScore
from tenure.health.service import run_health_job

_DEFAULTS = importlib.import_module(
    "tenure.core.migrations.versions.0005_health_alerts"
)
COMPARED = ("days_since_last_login", "open_tickets", "escalated_tickets")


def scratch_home(folder: Path) -> Path:
    """A copy of the workspace's database beside a link to its event store."""
    home = folder / "scratch" / "w3"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    source = folder / "home"
    for name in ("tenure.db", ".secret_key"):
        if (source / name).exists():
            shutil.copy2(source / name, home / name)
    (home / "events").symlink_to((source / "events").resolve())
    return home


def run_tenure(folder: Path) -> dict[str, Any]:
    home = scratch_home(folder)
    workspace = open_workspace(settings_for(folder).model_copy(update={"home": home}))
    started = time.perf_counter()
    health = run_health_job(workspace, as_of=AS_OF)
    alerts = run_alerts_job(workspace, as_of=AS_OF)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, **health, **alerts}


def tenure_measures(folder: Path) -> dict[str, dict[str, Any]]:
    """Each scored account's values and score, as the last Tenure run kept them."""
    home = folder / "scratch" / "w3"
    workspace = open_workspace(settings_for(folder).model_copy(update={"home": home}))
    with Session(workspace.engine) as session:
        scores = session.scalars(select(HealthScore).where(HealthScore.as_of == AS_OF))
        return {
            score.account_id: {
                "score": score.score,
                **{
                    part["measure"]: part["value"]
                    for part in score.parts["measures"]
                    if part["measure"] in COMPARED
                },
            }
            for score in scores
        }


def _points(measure: str, thresholds: list[list[float]]) -> str:
    ordered = sorted(thresholds, key=lambda pair: pair[0], reverse=True)
    cases = " ".join(f"WHEN {measure} >= {bound} THEN {p}" for bound, p in ordered)
    return f"CASE WHEN {measure} IS NULL THEN NULL {cases} ELSE {ordered[-1][1]} END"


def baseline_sql(export: Path, events_glob: str) -> str:
    measures = [m for m in _DEFAULTS.DEFAULT_MEASURES if m[0] != "negative_note_tags"]
    weighted = " + ".join(f"coalesce({_points(m, t)} * {w}, 0)" for m, w, t in measures)
    present = " + ".join(f"({m} IS NOT NULL)::INT * {w}" for m, w, _ in measures)
    return f"""
    WITH days AS (
        SELECT $as_of::DATE AS as_of, $as_of::TIMESTAMPTZ AS cutoff
    ),
    accounts AS (
        SELECT a.id, a.created_on, a.csm_id FROM '{export}/accounts.parquet' a
        WHERE a.created_on <= $as_of AND (
            NOT EXISTS (SELECT 1 FROM '{export}/lines.parquet' l
                        WHERE l.account_id = a.id)
            OR EXISTS (SELECT 1 FROM '{export}/lines.parquet' l
                       WHERE l.account_id = a.id
                         AND (l.ends_on IS NULL OR l.ends_on > $as_of)))
    ),
    logins AS (
        SELECT account_id,
               max(occurred_at)::DATE AS last_login_on,
               count(*) FILTER (WHERE occurred_at >= $recent) AS recent,
               count(*) FILTER (WHERE occurred_at < $recent
                                  AND occurred_at >= $earlier) AS earlier,
               count(DISTINCT contact_id) FILTER (WHERE occurred_at >= $recent)
                   AS contacts
        FROM read_parquet('{events_glob}')
        WHERE occurred_at < $cutoff AND name = 'login' AND account_id IS NOT NULL
        GROUP BY account_id
    ),
    lines AS (
        SELECT account_id,
               sum(quantity) FILTER (WHERE starts_on <= $as_of
                   AND (ends_on IS NULL OR ends_on > $as_of)) AS seats,
               sum(amount_cents * CASE interval WHEN 'year' THEN 1
                   WHEN 'quarter' THEN 4 WHEN 'month' THEN 12 ELSE 52 END)
                   FILTER (WHERE starts_on <= $eve
                       AND (ends_on IS NULL OR ends_on > $eve)) AS arr_now,
               sum(amount_cents * CASE interval WHEN 'year' THEN 1
                   WHEN 'quarter' THEN 4 WHEN 'month' THEN 12 ELSE 52 END)
                   FILTER (WHERE starts_on <= $trend
                       AND (ends_on IS NULL OR ends_on > $trend)) AS arr_then,
               min(ends_on) FILTER (WHERE interval IN ('quarter', 'year')
                   AND starts_on < $as_of AND ends_on >= $as_of) AS next_due
        FROM '{export}/lines.parquet' WHERE kind = 'paid'
        GROUP BY account_id
    ),
    tickets AS (
        SELECT account_id,
               count(*) FILTER (WHERE opened_at < $cutoff
                   AND (closed_at IS NULL OR closed_at >= $cutoff)) AS open,
               count(*) FILTER (WHERE is_escalated AND opened_at >= $tickets_since
                   AND opened_at < $cutoff) AS escalated,
               avg(satisfaction) FILTER (WHERE closed_at >= $satisfaction_since
                   AND closed_at < $cutoff) AS satisfaction
        FROM '{export}/tickets.parquet' GROUP BY account_id
    ),
    nps AS (
        SELECT account_id, avg(score) AS nps FROM (
            SELECT account_id, arg_max(score, responded_at) AS score
            FROM '{export}/responses.parquet'
            WHERE kind = 'nps' AND score IS NOT NULL
              AND responded_at >= $nps_since AND responded_at < $cutoff
            GROUP BY account_id, contact_id)
        GROUP BY account_id
    ),
    measured AS (
        SELECT a.id AS account_id, a.csm_id,
               ($as_of - coalesce(g.last_login_on, a.created_on))::DOUBLE
                   AS days_since_last_login,
               CASE WHEN coalesce(l.seats, 0) <= 0 THEN NULL
                    ELSE coalesce(g.contacts, 0) / l.seats END
                   AS seat_utilisation_rate,
               CASE WHEN g.earlier IS NULL OR g.earlier = 0
                    THEN CASE WHEN g.recent > 0 THEN 1.0 END
                    ELSE (g.recent - g.earlier) / g.earlier END AS usage_trend_rate,
               n.nps AS nps_average,
               coalesce(t.open, 0)::DOUBLE AS open_tickets,
               coalesce(t.escalated, 0)::DOUBLE AS escalated_tickets,
               t.satisfaction AS ticket_satisfaction,
               CASE WHEN coalesce(l.arr_then, 0) > 0
                    THEN (coalesce(l.arr_now, 0) - l.arr_then) / l.arr_then END
                   AS arr_trend_rate,
               (l.next_due - $as_of)::DOUBLE AS days_to_renewal
        FROM accounts a
        LEFT JOIN logins g ON g.account_id = a.id
        LEFT JOIN lines l ON l.account_id = a.id
        LEFT JOIN tickets t ON t.account_id = a.id
        LEFT JOIN nps n ON n.account_id = a.id
    ),
    scored AS (
        SELECT *, round(({weighted}) / nullif({present}, 0))::INT AS score
        FROM measured
    )
    SELECT *,
           CASE WHEN score < 40 THEN 'red' WHEN score >= 70 THEN 'green'
                ELSE 'yellow' END AS band,
           days_since_last_login >= 30 AS no_login,
           score < 40 AS health_red,
           days_to_renewal <= 90 AND score < 40 AS renewal_at_risk,
           seat_utilisation_rate < 0.5 AS seats_unused,
           csm_id IS NULL AS no_csm
    FROM scored
    """


def baseline_parameters() -> dict[str, Any]:
    from datetime import UTC, datetime, time, timedelta

    cutoff = datetime.combine(AS_OF, time(), tzinfo=UTC)
    recent = cutoff - timedelta(days=30)
    eve = AS_OF - timedelta(days=1)
    return {
        "as_of": AS_OF,
        "cutoff": cutoff,
        "recent": recent,
        "earlier": recent - timedelta(days=30),
        "eve": eve,
        "trend": eve - timedelta(days=90),
        "tickets_since": cutoff - timedelta(days=90),
        "satisfaction_since": cutoff - timedelta(days=180),
        "nps_since": cutoff - timedelta(days=365),
    }


def baseline_rows(folder: Path) -> list[dict[str, Any]]:
    sql = baseline_sql(folder / "export", str(folder / "home" / "events" / "*" / "*"))
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        cursor = connection.execute(sql, baseline_parameters())
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def run_baseline(folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    rows = baseline_rows(folder)
    seconds = time.perf_counter() - started
    rules = ("no_login", "health_red", "renewal_at_risk", "seats_unused", "no_csm")
    return {
        "seconds": seconds,
        "accounts_scored": sum(1 for r in rows if r["score"] is not None),
        **{f"matches_{rule}": sum(1 for r in rows if r[rule]) for rule in rules},
    }
