"""What the sandbox keeps of brands, messaging services and campaigns (in memory, like the rest)."""

from dataclasses import dataclass, field
from datetime import datetime

from ..domain.timestamps import utc_now

BRAND_STATUSES = ("PENDING", "IN_REVIEW", "APPROVED", "FAILED")
CAMPAIGN_STATUSES = ("PENDING", "IN_PROGRESS", "VERIFIED", "FAILED")


@dataclass
class Brand:
    sid: str
    account_sid: str
    customer_profile_bundle_sid: str
    a2p_profile_bundle_sid: str
    brand_type: str
    mock: bool
    status: str = "PENDING"
    failure_reason: str | None = None
    tcr_id: str | None = None
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)


@dataclass
class MessagingService:
    sid: str
    account_sid: str
    friendly_name: str
    inbound_request_url: str | None = None
    inbound_method: str = "POST"
    status_callback: str | None = None
    usecase: str = "undeclared"
    use_inbound_webhook_on_number: bool = False
    phone_numbers: dict[str, "ServicePhoneNumber"] = field(default_factory=dict)  # by PN sid
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)


@dataclass
class ServicePhoneNumber:
    sid: str  # the IncomingPhoneNumber's PN sid, as Twilio uses it
    account_sid: str
    service_sid: str
    phone_number: str
    date_created: datetime = field(default_factory=utc_now)


@dataclass
class Campaign:
    sid: str
    account_sid: str
    brand_registration_sid: str
    messaging_service_sid: str
    description: str
    message_flow: str
    message_samples: list[str]
    us_app_to_person_usecase: str
    has_embedded_links: bool
    has_embedded_phone: bool
    opt_in_message: str | None = None
    opt_out_message: str | None = None
    help_message: str | None = None
    opt_in_keywords: list[str] | None = None
    opt_out_keywords: list[str] | None = None
    help_keywords: list[str] | None = None
    privacy_policy_url: str | None = None
    terms_and_conditions_url: str | None = None
    campaign_status: str = "PENDING"
    failure_reason: str | None = None
    campaign_id: str | None = None
    date_created: datetime = field(default_factory=utc_now)
    date_updated: datetime = field(default_factory=utc_now)


@dataclass
class A2PRegistry:
    brands: dict[str, Brand] = field(default_factory=dict)
    services: dict[str, MessagingService] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)

    def clear(self) -> None:
        self.brands.clear()
        self.services.clear()
        self.campaigns.clear()
