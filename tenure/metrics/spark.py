"""The metric suite on Apache Spark: the same definitions through Ibis on PySpark.

The input tables come from a Parquet export (`tenure export --format parquet`)
on any path Spark reads: a local directory, hdfs://, s3a://, ... . PySpark is
an optional dependency (`pip install 'tenure[spark]'`); it is imported only here.
"""

import os
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tenure.core.errors import InvalidInput
from tenure.core.time import Period
from tenure.exports.parquet import MANIFEST, ExportError, Manifest, parse_manifest
from tenure.metrics.frames import InputTables
from tenure.metrics.inputs import rate_book_of
from tenure.metrics.result import Row
from tenure.metrics.service import MetricRunner, input_tables
from tenure.revenue.policy import MetricOptions

if TYPE_CHECKING:
    from ibis.backends import BaseBackend
    from pyspark.sql import SparkSession

LOCAL_MASTER = "local[2]"


@contextmanager
def _quiet() -> Iterator[None]:
    """PySpark warns about pandas 3 (and pandas about PySpark's calls into it).

    The Arrow paths used here work; the deprecation notices are PySpark's to fix.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


class SparkUnavailable(InvalidInput):
    """PySpark or Java is missing, or Spark would not start."""


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def spark_session(master: str = LOCAL_MASTER) -> "SparkSession":
    """A Spark session for the metric suite; local masters bind to 127.0.0.1 only.

    No web UI is started. On a cluster master (spark://, yarn, k8s://) the
    driver's address is left to Spark's own configuration.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            "the Spark engine needs PySpark; install it with pip install "
            "'tenure[spark]'"
        ) from exc
    builder = (
        SparkSession.builder.master(master)
        .appName("tenure-metrics")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if _is_local(master):
        # The JVM picks its address from this before reading the settings below.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.default.parallelism", "1")
            # Small local data: planning and code generation cost more than they save.
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
        )
    try:
        return builder.getOrCreate()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
        raise SparkUnavailable(
            f"Spark would not start with master {master!r} ({first}); check "
            "--spark-master and that Java 17 or later is on the PATH"
        ) from exc


def _has_scheme(location: str) -> bool:
    return len(urlparse(location).scheme) > 1


def _join(location: str, relative: str) -> str:
    if _has_scheme(location):
        return location.rstrip("/") + "/" + relative
    return str(Path(location) / relative)


def read_manifest(session: "SparkSession", location: str) -> Manifest:
    """The manifest of the export at `location` (a directory or a URI)."""
    if not _has_scheme(location):
        path = Path(location) / MANIFEST
        if not path.is_file():
            raise ExportError(
                f"{location} holds no {MANIFEST}; point --from at a directory "
                "written by `tenure export --format parquet`"
            )
        return parse_manifest(path.read_text(), location)
    try:
        text = session.read.text(_join(location, MANIFEST), wholetext=True).first()
    except Exception as exc:
        raise ExportError(
            f"Spark cannot read {_join(location, MANIFEST)}; check the path and "
            "that the cluster can reach that storage"
        ) from exc
    if text is None:
        raise ExportError(f"{_join(location, MANIFEST)} is empty; export again")
    return parse_manifest(str(text[0]), location)


class SparkMetricRunner(MetricRunner):
    """The registered metrics executed by Spark over a Parquet export."""

    def __init__(
        self, session: "SparkSession", location: str, options: MetricOptions
    ) -> None:
        manifest = read_manifest(session, location)
        manifest.check_options(options, location)
        with _quiet():
            con = ibis.pyspark.connect(session)
        prefix = f"tenure_{uuid.uuid4().hex[:8]}"

        def read(name: str) -> ir.Table:
            return con.read_parquet(
                _join(location, manifest.paths[name]), table_name=f"{prefix}_{name}"
            )

        tables: InputTables = input_tables(read)
        with _quiet():
            rates, currencies = self._lookups(con, tables, location, manifest, prefix)
        super().__init__(
            con,
            tables,
            options,
            rate_book=rate_book_of(rates, options.reporting_currency),
            currencies=currencies,
            renewal_window=manifest.renewal_window,
        )
        self.location = location
        self._session = session
        self._prefix = prefix

    @staticmethod
    def _lookups(
        con: "BaseBackend",
        tables: InputTables,
        location: str,
        manifest: Manifest,
        prefix: str,
    ) -> tuple[pa.Table, set[str]]:
        """The exchange rates and the currencies amounts are in."""
        rates = con.to_pyarrow(
            con.read_parquet(
                _join(location, manifest.paths["exchange_rates"]),
                table_name=f"{prefix}_exchange_rates",
            )
        )
        currencies = set(
            con.to_pyarrow(
                tables.segments.select("currency")
                .union(tables.renewal_records.select("currency"), distinct=True)
                .filter(lambda t: t.currency.notnull())
            )
            .column("currency")
            .to_pylist()
        )
        return rates, currencies

    def _small_table(self, name: str, table: pa.Table) -> ir.Table:
        view = f"{self._prefix}_{name}_{uuid.uuid4().hex[:8]}"
        with _quiet():
            self._session.createDataFrame(table).createOrReplaceTempView(view)
        return self._con.table(view)

    def _execute(self, expr: ir.Table) -> list[Row]:
        with _quiet():
            table: pa.Table = self._con.to_pyarrow(expr)
        return _with_utc(table).to_pylist()  # type: ignore[no-any-return]

    def _keep(self, table: ir.Table) -> ir.Table:
        with _quiet():
            return table.cache()

    def _widen_renewals(self, window: Period) -> None:
        raise ExportError(
            f"the export at {self.location} holds renewals due "
            f"{self._renewal_window.label} only, not all of {window.label}; export "
            "again with a later --option as_of"
        )


def _with_utc(table: pa.Table) -> pa.Table:
    """Spark hands back instants without a zone; they are UTC (the session's)."""
    for index, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type) and field.type.tz is None:
            column = table.column(index).cast(pa.timestamp(field.type.unit, tz="UTC"))
            table = table.set_column(index, field.name, column)
    return table
