"""One local Spark session for the whole test session (bound to 127.0.0.1, no UI)."""

import pytest

from tenure.metrics.spark import LOCAL_MASTER, spark_session


@pytest.fixture(scope="session")
def spark():
    session = spark_session(LOCAL_MASTER)
    yield session
    session.stop()
