"""The backtest runs on RavenStack and its figures are consistent with each other."""

from datetime import date

import pytest

from tenure.activity.store import EventStore
from tenure.core.db import transaction
from tenure.health.backtest import as_of_dates, run_backtest
from tenure.health.errors import InvalidBacktest
from tests.alerts.ravenstack import import_ravenstack


def test_backtest_on_ravenstack_reports_auc_band_rates_lift_and_lead_time(
    workspace, shared_data
):
    import_ravenstack(workspace, shared_data)
    store = EventStore(workspace.settings.event_store_path)

    with transaction(workspace.engine) as session:
        report = run_backtest(
            session,
            start=date(2023, 3, 1),
            end=date(2024, 9, 27),
            horizon_days=90,
            step_days=30,
            store=store,
            activity_events=["feature_used"],
        )

    # Printed so the run shows the figures: pytest -s.
    print(report)
    assert report.as_of_dates == 20
    assert report.observations == sum(band.observations for band in report.bands)
    assert report.events == sum(band.events for band in report.bands)
    assert report.events == report.churn_events + report.contraction_events
    assert 0 < report.events < report.observations
    assert report.auc is not None and 0 <= report.auc <= 1
    assert report.churn_auc is not None and 0 <= report.churn_auc <= 1
    red, _, green = report.bands
    assert red.event_rate is not None and green.event_rate is not None
    assert report.red_over_green_lift == pytest.approx(
        red.event_rate / green.event_rate
    )
    assert report.median_lead_time_days is not None
    assert 0 < report.median_lead_time_days <= 90


def test_as_of_dates_step_from_the_start_and_refuse_a_reversed_range():
    assert as_of_dates(date(2024, 1, 1), date(2024, 1, 15), 7) == [
        date(2024, 1, 1),
        date(2024, 1, 8),
        date(2024, 1, 15),
    ]
    with pytest.raises(InvalidBacktest, match="before --from"):
        as_of_dates(date(2024, 2, 1), date(2024, 1, 1), 7)
