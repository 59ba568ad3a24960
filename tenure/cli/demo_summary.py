"""The executive summary that `tenure demo` prints."""

from rich.console import Console
from rich.table import Table

from tenure.cli.formatting import NOT_AVAILABLE, format_figure
from tenure.demo.pipeline import SUMMARY_METRICS, DemoRun
from tenure.metrics.result import MetricResult

BANDS = ("red", "yellow", "green")


def summary_table(run: DemoRun) -> Table:
    """Metrics down, quarters across; an undefined figure shows n/a."""
    by_key = {(r.slug, r.period): r for r in run.results}
    table = Table(title="Customer-success metrics, last four quarters")
    table.add_column("metric")
    for quarter in run.quarters:
        table.add_column(quarter.label, justify="right")
    for slug in SUMMARY_METRICS:
        cells = [by_key.get((slug, q.label)) for q in run.quarters]
        label = next((c.label for c in cells if c is not None), slug)
        table.add_row(label, *(_cell(c) for c in cells))
    return table


def _cell(result: MetricResult | None) -> str:
    if result is None:
        return NOT_AVAILABLE
    return format_figure(result.value, result.unit)


def print_summary(run: DemoRun, console: Console) -> None:
    settings = run.workspace.settings
    loaded = sum(item.new for item in run.report.entities)
    rejected = sum(item.rejected for item in run.report.entities)
    console.print(
        f"Loaded {loaded:,} rows ({rejected} rejected) of a generated company "
        f"into {settings.home}; money in {settings.reporting_currency}."
    )
    console.print(summary_table(run))
    undefined = [r for r in run.results if r.value is None and r.reason]
    for result in undefined:
        console.print(f"  n/a {result.label} {result.period}: {result.reason}")
    console.print(health_and_alerts_table(run))


def health_and_alerts_table(run: DemoRun) -> Table:
    """Accounts per health band and open alerts per CSM, on the last day."""
    table = Table(title="Health bands and open alerts")
    table.add_column("health band")
    table.add_column("accounts", justify="right")
    table.add_column("CSM")
    table.add_column("open alerts", justify="right")
    bands = [(band, run.health_bands.get(band, 0)) for band in BANDS]
    alerts = sorted(run.open_alerts_by_csm.items(), key=lambda item: -item[1])
    for index in range(max(len(bands), len(alerts))):
        band = bands[index] if index < len(bands) else ("", "")
        csm = alerts[index] if index < len(alerts) else ("", "")
        table.add_row(band[0], f"{band[1]}", csm[0], f"{csm[1]}")
    return table
