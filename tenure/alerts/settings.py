"""Where notifications go: SMTP server and Slack webhook (prefix `TENURE_`)."""

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class NotificationSettings(BaseSettings):
    """SMTP and Slack settings; read at the edge and passed to the channels."""

    model_config = SettingsConfigDict(env_prefix="TENURE_", extra="ignore")

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from_address: str = "tenure@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    slack_webhook_url: str | None = None
    slack_timeout_seconds: float = 30.0
