from pathlib import Path

import pytest

from tenure.core.db import make_engine, shown_url, sqlite_file
from tenure.core.errors import ConfigurationError


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://app:s3cret@127.0.0.1/tenure",
            "postgresql://app:***@127.0.0.1/tenure",
        ),
        ("sqlite:////srv/tenure.db", "sqlite:////srv/tenure.db"),
        ("not a url with://app:s3cret@host", "not a url with://app:***@host"),
    ],
)
def test_shown_url_hides_the_password(url, shown):
    assert shown_url(url) == shown


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:////srv/tenure.db", Path("/srv/tenure.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql://app@127.0.0.1/tenure", None),
    ],
)
def test_sqlite_file_is_the_database_file_only_for_sqlite(url, path):
    assert sqlite_file(url) == path


def test_unsupported_url_is_a_configuration_error_without_the_password():
    with pytest.raises(ConfigurationError) as caught:
        make_engine("oracle://app:s3cret@127.0.0.1/tenure")

    assert "oracle://app:***@127.0.0.1/tenure is not supported" in str(caught.value)
    assert "s3cret" not in str(caught.value)
