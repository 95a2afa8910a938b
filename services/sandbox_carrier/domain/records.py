"""The resources the carrier stores, in its own words (Twilio's JSON is built from these)."""

from dataclasses import dataclass, field
from datetime import datetime

from .timestamps import utc_now

API_VERSION = "2010-04-01"


@dataclass
class Media:
    """An image a message carries: fetched from the sender's MediaUrl (outbound) or sent by a phone (inbound)."""

    sid: str
    account_sid: str
    message_sid: str
    content_type: str
    data: bytes
    date_created: datetime = field(default_factory=utc_now)


@dataclass
class MediaFetch:
    """One fetch of an outbound message's MediaUrl, as the carrier made it."""

    url: str
    status_code: int | None
    content_type: str | None
    size: int
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300 and self.size > 0


@dataclass
class Message:
    sid: str
    account_sid: str
    to: str
    from_number: str
    body: str
    direction: str  # "outbound-api" or "inbound"
    status: str
    num_segments: int
    messaging_service_sid: str | None = None
    status_callback: str | None = None
    error_code: int | None = None
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)
    date_sent: datetime | None = None
    media_urls: list[str] = field(default_factory=list)  # outbound: what the sender asked to be fetched
    media_fetches: list[MediaFetch] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)

    @property
    def is_outbound(self) -> bool:
        return self.direction.startswith("outbound")

    def move_to(self, status: str, error_code: int | None = None) -> None:
        self.status = status
        self.error_code = error_code
        self.date_updated = utc_now()


@dataclass
class OwnedNumber:
    """An IncomingPhoneNumber: a number the sandbox account has bought."""

    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    sms_url: str | None = None
    sms_method: str = "POST"
    voice_url: str | None = None
    voice_method: str = "POST"
    status_callback: str | None = None
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)


@dataclass
class Call:
    sid: str
    account_sid: str
    to: str
    from_number: str
    direction: str  # "outbound-api" or "inbound"
    status: str
    url: str | None = None
    twiml: str | None = None
    status_callback: str | None = None
    phone_number_sid: str | None = None
    duration_seconds: int | None = None
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)
    start_time: datetime | None = None
    end_time: datetime | None = None

    def move_to(self, status: str) -> None:
        self.status = status
        self.date_updated = utc_now()
