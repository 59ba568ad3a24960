"""One `Settings` object, read at the edges (CLI callback, app factory)."""

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tenure.core.money import validate_currency


class Settings(BaseSettings):
    """Where Tenure keeps its data and how it reports."""

    model_config = SettingsConfigDict(env_prefix="TENURE_", extra="ignore")

    home: Path = Path("tenure-data")
    database_url: str | None = None
    reporting_currency: str = "USD"
    timezone: str = "UTC"

    @field_validator("reporting_currency")
    @classmethod
    def _check_currency(cls, value: str) -> str:
        return validate_currency(value)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as "
                "'UTC' or 'Europe/Berlin'"
            ) from exc
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the home folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'tenure.db').resolve()}"

    @property
    def event_store_path(self) -> Path:
        return self.home / "events"
