"""Gateway settings (env prefix GATEWAY_, plus the shared infrastructure names)."""

from limits import parse_many
from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import Port, ServiceSettings, shared_field

DEVELOPMENT_JWT_SECRET = "development-only-browser-token-secret"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore", populate_by_name=True)

    http_host: str = "127.0.0.1"
    http_port: Port = 8000
    # Processes serving the one port; each keeps its own browsers' live connections.
    workers: int = 1
    database: str = "gateway"
    public_url: str = shared_field("GATEWAY_PUBLIC_URL", "http://127.0.0.1:8000")
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    # How long a browser token lives; a token made to live longer is refused.
    access_token_minutes: int = Field(default=12 * 60, gt=0)
    # How long a live-stream ticket may wait to be used (once) by the browser that minted it.
    stream_ticket_seconds: int = Field(default=30, gt=0)
    # The most a request body may hold: any JSON or webhook, a CSV upload to /api/imports, an image to /api/media.
    body_max_bytes: int = Field(default=64 * 1024, gt=0)
    import_upload_max_bytes: int = Field(default=512 * 1024 * 1024, gt=0)
    # An image uploaded to /api/media (Twilio takes at most 5 MB of media per text).
    media_upload_max_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    # Password hashes computed at once per process (argon2 takes a core for tens of milliseconds).
    password_hashing_concurrency: int = Field(default=2, gt=0)
    # Failed logins allowed per email and per client address, in each window (limits' notation).
    login_failures_per_email: str = "5/minute;20/hour;100/day"
    login_failures_per_address: str = "30/minute;300/hour;1000/day"
    contacts_url: str = "http://127.0.0.1:8001"
    messaging_url: str = "http://127.0.0.1:8002"
    numbers_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"
    upstream_timeout_seconds: float = 30.0
    twilio_auth_token: str = shared_field("TWILIO_AUTH_TOKEN", "sandbox-auth-token-not-a-secret")
    live_consumer_group: str = ""

    @field_validator("login_failures_per_email", "login_failures_per_address")
    @classmethod
    def _windows_in_limits_notation(cls, value: str) -> str:
        parse_many(value)  # raises ValueError naming what it could not read
        return value

    @model_validator(mode="after")
    def _refuse_development_jwt_secret_in_production(self):
        if self.environment == "production" and self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError("GATEWAY_JWT_SECRET must be set to a real secret in production")
        return self
