"""Configuration of the notifications service (`NOTIFICATIONS_*` variables, shared names unprefixed)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import Port, ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATIONS_", env_file=".env", extra="ignore", populate_by_name=True
    )

    caller_audience: ClassVar[str] = "notifications"

    database: str = "notifications"
    consumer_group: str = "notifications"
    http_host: str = "127.0.0.1"
    http_port: Port = 8004

    # Email goes out only when an SMTP host is configured.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "Contacts CRM <no-reply@contacts-crm.local>"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False  # TLS from the first byte (port 465)
    smtp_start_tls: bool | None = None  # None: upgrade when the server offers STARTTLS
    smtp_timeout_seconds: float = 15.0

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)
