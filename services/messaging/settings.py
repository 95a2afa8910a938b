"""Messaging settings (env prefix MESSAGING_, plus the shared infrastructure and Twilio names)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings, shared_field


class MessagingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MESSAGING_", env_file=".env", extra="ignore", populate_by_name=True)

    http_host: str = "127.0.0.1"
    http_port: int = 8002
    database: str = "messaging"
    consumer_group: str = "messaging"
    worker_group: str = "messaging-send-workers"

    gateway_public_url: str = shared_field("GATEWAY_PUBLIC_URL", "http://127.0.0.1:8000")
    twilio_account_sid: str = shared_field("TWILIO_ACCOUNT_SID", "AC5a4db0c5000000000000000000000000")
    twilio_auth_token: str = shared_field("TWILIO_AUTH_TOKEN", "sandbox-auth-token-not-a-secret")
    twilio_api_base_url: str = shared_field("TWILIO_API_BASE_URL", "http://127.0.0.1:8090")
    twilio_timeout_seconds: float = 10.0

    contact_wait_seconds: float = 3.0
    number_request_interval_seconds: float = 60.0
    send_attempts: int = 4
    send_backoff_seconds: float = 0.25
    sending_lease_seconds: float = 30.0
    outbox_sweep_seconds: float = 0.5
