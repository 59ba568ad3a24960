"""The same registered definitions on DuckDB (from the store) and on Spark (from a
Parquet export) give identical results: the worked cases and a generated company."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from tenure.core.settings import Settings
from tenure.core.time import parse_period
from tenure.core.workspace import init_workspace
from tenure.demo.generator import generate_company
from tenure.exports.parquet import export_parquet
from tenure.ingest.service import import_path
from tenure.metrics.registry import METRICS, resolve_metric
from tenure.metrics.service import SLICES, MetricService
from tenure.metrics.spark import SparkMetricRunner
from tenure.revenue.policy import MetricOptions
from tests.conftest import SHARED_CASES
from tests.metric_cases import _names, _options, _period, load_case
from tests.spark.parity import differences

CASE_FILE = SHARED_CASES / "metric_cases.yaml"
CASES = yaml.safe_load(CASE_FILE.read_text()) if CASE_FILE.exists() else []


def _both(service: MetricService, spark, folder: Path, options: MetricOptions):
    export_parquet(service.contents, service.inputs, options, folder)
    return SparkMetricRunner(spark, str(folder), options)


def _slugs(query: dict) -> list[str]:
    slugs = ["arr_movements"]
    for name in _names(query):
        if any(
            name in (s.slug, *s.aliases) or name == s.label for s in METRICS.values()
        ):
            slugs.append(resolve_metric(name).slug)
    return slugs


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_worked_case_gives_identical_results_on_both_engines(case, spark, tmp_path):
    queries = case["query"] if isinstance(case["query"], list) else [case["query"]]
    workspace = init_workspace(Settings(home=tmp_path / "home"))
    load_case(workspace.engine, case["input"], _options(queries[0]))
    problems = []
    for number, query in enumerate(queries):
        options = _options(query)
        service = MetricService.from_engine(workspace.engine, options)
        on_spark = _both(service, spark, tmp_path / f"export-{number}", options)
        slugs = _slugs(query)
        for period in _period(query):
            duck = service.compute(slugs, period)
            problems += differences(duck, on_spark.compute(slugs, period))
    workspace.engine.dispose()
    assert problems == []


@pytest.fixture(scope="module")
def company_engines(spark, tmp_path_factory):
    """A generated company of 120 accounts over 24 months, on both engines."""
    root = tmp_path_factory.mktemp("company")
    end_on = date(2026, 6, 30)
    company = generate_company(
        root / "data", accounts=120, months=24, seed=5, end_on=end_on
    )
    workspace = init_workspace(Settings(home=root / "home"))
    import_path(workspace, company.out_dir, now=datetime(2026, 7, 1, tzinfo=UTC))
    options = MetricOptions(as_of=end_on.isoformat())
    service = MetricService.from_engine(workspace.engine, options)
    workspace.engine.dispose()
    return service, _both(service, spark, root / "export", options)


@pytest.mark.parametrize("by", [None, *SLICES])
def test_generated_company_gives_identical_results_on_both_engines(company_engines, by):
    service, on_spark = company_engines
    period = parse_period("2026-Q1")
    names = sorted(METRICS)
    duck = service.compute(names, period, by=by)
    assert len(duck) >= len(names)
    assert any(r.value for r in duck if r.slug == "net_revenue_retention")
    assert differences(duck, on_spark.compute(names, period, by=by)) == []


def test_a_year_of_the_generated_company_matches_with_drill_down(company_engines):
    service, on_spark = company_engines
    period = parse_period("2025")
    names = ["arr_movements", "renewal_logo_churn_rate", "net_promoter_score"]
    duck = service.compute(names, period)
    assert all(r.rows for r in duck)
    assert differences(duck, on_spark.compute(names, period)) == []
