"""Configuration of the numbers service (`NUMBERS_*` variables, shared names unprefixed)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.settings import Port, ServiceSettings, shared_field

SANDBOX_ACCOUNT_SID = "AC5a4db0c5000000000000000000000000"
SANDBOX_AUTH_TOKEN = "sandbox-auth-token-not-a-secret"


class NumbersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NUMBERS_", env_file=".env", extra="ignore", populate_by_name=True)

    caller_audience: ClassVar[str] = "numbers"

    database: str = "numbers"
    consumer_group: str = "numbers"
    http_host: str = "127.0.0.1"
    http_port: Port = 8003

    gateway_public_url: str = shared_field("GATEWAY_PUBLIC_URL", "http://127.0.0.1:8000")
    twilio_api_base_url: str = shared_field("TWILIO_API_BASE_URL", "http://127.0.0.1:8090")
    twilio_account_sid: str = shared_field("TWILIO_ACCOUNT_SID", SANDBOX_ACCOUNT_SID)
    twilio_auth_token: str = shared_field("TWILIO_AUTH_TOKEN", SANDBOX_AUTH_TOKEN)
    # Twilio's Messaging API (A2P 10DLC) domain; the API base URL when not set (the sandbox serves both).
    twilio_messaging_base_url: str | None = shared_field("TWILIO_MESSAGING_BASE_URL", None)
    twilio_timeout_seconds: float = 20.0
    # How often registrations under review are checked with the carrier (Twilio sends no webhook for them).
    registration_poll_seconds: float = 60.0

    # Failed purchases are retried with exponential backoff, a bounded number of times.
    retry_poll_seconds: float = 5.0
    retry_base_delay_seconds: float = 30.0
    retry_max_delay_seconds: float = 3600.0
    retry_max_attempts: int = 8
    # How long one worker may hold a line while it searches and buys; after that
    # another worker (or the retry loop) reconciles the line.
    lease_seconds: float = 120.0
    # A purchase untouched this long, with no live lease, is taken up by the retry loop.
    stale_purchase_seconds: float = 10.0
    # Numbers one account may buy in a day (UTC); an account's own `numbers_per_day` replaces it.
    numbers_per_day: int = 10
