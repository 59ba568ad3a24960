"""Survey e-mail settings: the SMTP server (`TENURE_SMTP_*`) and the link secret."""

import secrets
from pathlib import Path

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from tenure.surveys.errors import MailSettingsInvalid

SECRET_FILE = "survey-secret.key"
MIN_SECRET_LENGTH = 32


class SurveyMailSettings(BaseSettings):
    """Where survey e-mails go and where their links point."""

    model_config = SettingsConfigDict(env_prefix="TENURE_", extra="ignore")

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from_address: str = "tenure@localhost"
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    # The address people reach Tenure at; survey links start with it.
    public_url: str = "http://127.0.0.1:8000"
    survey_secret: SecretStr | None = None

    def check(self) -> "SurveyMailSettings":
        """Refuse settings that cannot send, with the setting to fix."""
        if not self.smtp_host.strip():
            raise _bad("TENURE_SMTP_HOST is empty; set it to the SMTP server's name")
        if not 0 < self.smtp_port < 65536:
            raise _bad(
                f"TENURE_SMTP_PORT {self.smtp_port} is not a port; use 1 to 65535 "
                "(587 with STARTTLS, 465 with SSL)"
            )
        if not 0 < self.smtp_timeout_seconds <= 3600:
            raise _bad(
                f"TENURE_SMTP_TIMEOUT_SECONDS {self.smtp_timeout_seconds:g} is out "
                "of range; use a number of seconds above 0 and at most 3600"
            )
        if self.smtp_starttls and self.smtp_ssl:
            raise _bad(
                "TENURE_SMTP_STARTTLS and TENURE_SMTP_SSL are both on; turn on "
                "one of them (STARTTLS for port 587, SSL for port 465)"
            )
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise _bad(
                "set both TENURE_SMTP_USERNAME and TENURE_SMTP_PASSWORD, or neither"
            )
        local, at, domain = self.smtp_from_address.rpartition("@")
        if not at or not local or not domain or " " in self.smtp_from_address:
            raise _bad(
                f"TENURE_SMTP_FROM_ADDRESS {self.smtp_from_address!r} is not an "
                "e-mail address; use one such as surveys@example.com"
            )
        if not self.public_url.startswith(("http://", "https://")):
            raise _bad(
                f"TENURE_PUBLIC_URL {self.public_url!r} must start with http:// or "
                "https://; set it to the address people open Tenure at"
            )
        return self

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/")


def _bad(message: str) -> MailSettingsInvalid:
    return MailSettingsInvalid(message)


def load_mail_settings(**overrides: object) -> SurveyMailSettings:
    """Read the settings from the environment and check them."""
    try:
        settings = SurveyMailSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise _bad(
            f"setting TENURE_{field.upper()} is invalid: {first['msg']}"
        ) from exc
    return settings.check()


def load_link_secret(home: Path, configured: SecretStr | None = None) -> bytes:
    """The key that signs survey links: the setting, or one kept in the home."""
    if configured is not None:
        value = configured.get_secret_value()
        if len(value) < MIN_SECRET_LENGTH:
            raise _bad(
                f"TENURE_SURVEY_SECRET is shorter than {MIN_SECRET_LENGTH} "
                "characters; set a long random value, or unset it to keep one in "
                "the home folder"
            )
        return value.encode()
    path = home / SECRET_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip().encode()
