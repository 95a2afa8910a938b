"""Messaging settings (env prefix MESSAGING_, plus the shared infrastructure and Twilio names)."""

from decimal import Decimal
from typing import ClassVar

from pydantic import AliasChoices
from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import Port, ServiceSettings, shared_field

DEVELOPMENT_MEDIA_LINK_SECRET = "development-only-media-link-secret"


class MessagingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MESSAGING_", env_file=".env", extra="ignore", populate_by_name=True)

    caller_audience: ClassVar[str] = "messaging"

    http_host: str = "127.0.0.1"
    http_port: Port = 8002
    database: str = "messaging"
    consumer_group: str = "messaging"
    worker_group: str = "messaging-send-workers"
    # Each send worker serves /metrics, /healthz and /readyz on this port (its only HTTP).
    worker_http_port: Port = 8010

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

    contacts_url: str = "http://127.0.0.1:8001"
    # Off only for sandbox stacks whose tests must send at any hour (never in production).
    quiet_hours_enforced: bool = True
    contacts_timeout_seconds: float = 30.0
    # A texter's bulk send reaches at most this many contacts; owners and admins send larger ones.
    texter_bulk_send_max_contacts: int = 500

    # Per sender number: segments per second (the long-code rate); 0 lifts the limit.
    sender_segments_per_second: float = 1.0
    # A message that would wait longer than this for its number's rate is held and sent later.
    sender_rate_max_wait_seconds: float = 5.0
    account_concurrent_carrier_calls: int = 4
    # Consumers per worker process (each owns its own partitions of message.send_requested).
    worker_consumers: int = 3
    # Send requests each consumer takes at a time (ready texts of a batch share their store round trips).
    worker_batch_size: int = 100

    # Each account's limits on paid sending (an account's own `limits` in its texting settings replace them).
    # Texts accepted one at a time per minute, all the account's users together.
    texts_per_minute: int = 120
    # Every text of a day (UTC), one at a time or in bulk: T-Mobile's daily cap for a typical 10DLC brand.
    texts_per_day: int = 10_000
    concurrent_bulk_sends: int = 3
    # The same body to the same person (or the same bulk send) within this needs confirm_duplicate.
    duplicate_window_minutes: int = 10
    # At most this many texts to one person within the window, unless they reply.
    recipient_max_texts: int = 5
    recipient_window_minutes: int = 10

    price_per_segment: Decimal = Decimal("0.0079")
    # A text with media is one MMS, whatever its length (Twilio's US list price per MMS).
    price_per_mms: Decimal = Decimal("0.0200")
    # Signs the links the carrier fetches a text's media from (MediaUrl), each valid this long.
    media_link_secret: str = DEVELOPMENT_MEDIA_LINK_SECRET
    media_link_seconds: int = Field(default=600, gt=0, le=86_400)
    # Fetching a received MMS's media from the carrier: per medium.
    media_fetch_timeout_seconds: float = 10.0
    holds_poll_seconds: float = 1.0
    reconcile_after_seconds: float = 600.0
    reconcile_poll_seconds: float = 30.0
    # A bulk job with no state recorded for this long, and not done, is recounted from its states.
    job_recount_quiet_seconds: float = 60.0
    job_recount_poll_seconds: float = 30.0
    # How often the api looks for review items whose deadline has come undecided (the opt-out then applies).
    review_deadline_poll_seconds: float = 60.0
    # How often the api looks for scheduled sends whose time has come, and how long one start may take
    # before another process takes it up (it then creates nothing twice: see service_layer/schedules.py).
    schedule_poll_seconds: float = 1.0
    schedule_lease_seconds: float = 300.0
    default_help_reply: str = "Reply STOP to stop receiving texts from us, START to receive them again."
    opt_out_reply: str = "You are unsubscribed and will receive no more texts from us. Reply START to resubscribe."
    opt_in_reply: str = "You are subscribed again. Reply STOP to unsubscribe."

    def as_environment(self) -> dict[str, str]:
        """These settings as the environment variables a messaging process reads (to start one like this)."""
        environment = {}
        for name, described in type(self).model_fields.items():
            alias = described.validation_alias
            variable = alias.choices[0] if isinstance(alias, AliasChoices) else f"MESSAGING_{name.upper()}"
            environment[variable] = str(getattr(self, name))
        return environment

    @model_validator(mode="after")
    def _refuse_texting_at_night_in_production(self):
        if self.environment == "production" and not self.quiet_hours_enforced:
            raise ValueError("MESSAGING_QUIET_HOURS_ENFORCED cannot be turned off in production")
        if self.environment == "production" and self.media_link_secret == DEVELOPMENT_MEDIA_LINK_SECRET:
            raise ValueError("MESSAGING_MEDIA_LINK_SECRET must be set to a real secret in production")
        return self
