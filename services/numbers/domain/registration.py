"""A2P 10DLC registration of an account: its brand and campaign, checked the way carriers check
them before they are submitted, and its state as the carrier's review moves on."""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from shared.events.numbers import RegistrationState

USE_CASES = (
    "2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "HIGHER_EDUCATION",
    "LOW_VOLUME", "MARKETING", "MIXED", "POLLING_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT",
)
# Use cases that may not carry promotions: a marketing-sounding sample gets the campaign rejected.
NON_PROMOTIONAL_USE_CASES = frozenset({
    "2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "SECURITY_ALERT",
    "PUBLIC_SERVICE_ANNOUNCEMENT",
})
PROMOTIONAL = re.compile(r"\b(\d+% off|sale|discount|promo(tion)?|coupon|deal|limited time|buy now|free gift)\b", re.I)
OPT_OUT = re.compile(r"\b(stop|unsubscribe|opt[- ]?out)\b", re.I)
ONE_TIME_CODE = re.compile(r"\b\d{4,8}\b")
DELIVERY_WORDS = re.compile(r"\b(order|package|parcel|deliver(y|ed)?|shipp(ed|ing)|tracking)\b", re.I)
CONSENT_WORDS = re.compile(r"\b(opt[- ]?in|consent|sign(ed)? up|subscribe|agree|check(box|s a box)|text(s|ing)? [A-Z]+ to)\b", re.I)
LINK = re.compile(r"https?://|www\.", re.I)
PHONE = re.compile(r"\+?1?[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{4}")
URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
EIN = re.compile(r"^\d{2}-?\d{7}$")
BUNDLE_SID = re.compile(r"^BU[0-9a-f]{32}$")


class CarrierBrandStatus(StrEnum):
    PENDING = "PENDING"
    IN_REVIEW = "IN_REVIEW"
    APPROVED = "APPROVED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Problem:
    field: str
    problem: str


@dataclass
class RegistrationDraft:
    """Business details (the brand) and the campaign, as the account owner wrote them."""

    company_name: str = ""
    brand_type: str = "STANDARD"  # or SOLE_PROPRIETOR
    ein: str = ""
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""  # where people reach the business; the HELP reply names it
    customer_profile_bundle_sid: str = ""  # Twilio Trust Hub: the business profile
    a2p_profile_bundle_sid: str = ""  # Twilio Trust Hub: the A2P messaging profile
    use_case: str = "MIXED"
    description: str = ""
    message_flow: str = ""  # how people opt in
    sample_messages: list[str] = field(default_factory=list)
    privacy_policy_url: str = ""
    terms_and_conditions_url: str = ""

    @property
    def has_embedded_links(self) -> bool:
        return any(LINK.search(sample) for sample in self.sample_messages)

    @property
    def has_embedded_phone(self) -> bool:
        return any(PHONE.search(sample) for sample in self.sample_messages)


def problems_before_submission(draft: RegistrationDraft) -> list[Problem]:
    """The reasons carriers reject registrations most often, found before anything is submitted."""
    return [*_brand_problems(draft), *_campaign_problems(draft), *_sample_problems(draft)]


def _brand_problems(draft: RegistrationDraft) -> list[Problem]:
    problems = []
    if not draft.company_name.strip():
        problems.append(Problem("company_name", "the legal business name is required"))
    if draft.brand_type not in ("STANDARD", "SOLE_PROPRIETOR"):
        problems.append(Problem("brand_type", "must be STANDARD or SOLE_PROPRIETOR"))
    if draft.brand_type == "STANDARD" and not EIN.match(draft.ein.strip()):
        problems.append(Problem("ein", "a standard brand needs its 9-digit EIN (tax id), e.g. 12-3456789"))
    if not URL.match(draft.website.strip()):
        problems.append(Problem("website", "the business website must be an http(s) URL"))
    if "@" not in draft.contact_email:
        problems.append(Problem("contact_email", "a contact email address is required"))
    if draft.contact_phone.strip() and not PHONE.fullmatch(draft.contact_phone.strip()):
        problems.append(Problem("contact_phone", "must be a 10-digit US phone number, e.g. (512) 555-0100"))
    for name in ("customer_profile_bundle_sid", "a2p_profile_bundle_sid"):
        if not BUNDLE_SID.match(getattr(draft, name)):
            problems.append(Problem(name, "the Twilio Trust Hub bundle SID (BU followed by 32 hex digits) is required"))
    return problems


def _campaign_problems(draft: RegistrationDraft) -> list[Problem]:
    problems = []
    if draft.use_case not in USE_CASES:
        problems.append(Problem("use_case", f"must be one of {', '.join(USE_CASES)}"))
    if len(draft.description.strip()) < 40:
        problems.append(Problem("description", "describe what the campaign sends in at least 40 characters"))
    if len(draft.message_flow.strip()) < 40:
        problems.append(Problem("message_flow", "describe how people opt in (at least 40 characters)"))
    elif not CONSENT_WORDS.search(draft.message_flow):
        problems.append(Problem("message_flow", "say how people give consent (e.g. they opt in on a form or text a keyword)"))
    if not URL.match(draft.privacy_policy_url.strip()):
        problems.append(Problem("privacy_policy_url", "a privacy policy URL (http or https) is required"))
    if draft.terms_and_conditions_url and not URL.match(draft.terms_and_conditions_url.strip()):
        problems.append(Problem("terms_and_conditions_url", "must be an http(s) URL"))
    return problems


def _sample_problems(draft: RegistrationDraft) -> list[Problem]:
    samples = draft.sample_messages
    if not 2 <= len(samples) <= 5:
        return [Problem("sample_messages", "give between 2 and 5 sample messages")]
    problems = []
    for index, sample in enumerate(samples):
        where = f"sample_messages.{index}"
        if not 20 <= len(sample) <= 1024:
            problems.append(Problem(where, "each sample must be 20 to 1024 characters long"))
        problems.extend(Problem(where, reason) for reason in _mismatch(draft.use_case, sample))
    if not any(OPT_OUT.search(sample) for sample in samples):
        problems.append(Problem("sample_messages", 'at least one sample must tell people how to opt out, e.g. "Reply STOP to opt out"'))
    return problems


def _mismatch(use_case: str, sample: str) -> list[str]:
    """Why a sample does not fit the use case it is registered under."""
    if use_case in NON_PROMOTIONAL_USE_CASES and PROMOTIONAL.search(sample):
        return [f"reads as marketing, which the {use_case} use case does not cover; choose MARKETING or MIXED"]
    if use_case == "2FA" and not ONE_TIME_CODE.search(sample):
        return ["a 2FA sample must show the one-time code"]
    if use_case == "DELIVERY_NOTIFICATION" and not DELIVERY_WORDS.search(sample):
        return ["a DELIVERY_NOTIFICATION sample must be about an order or delivery"]
    return []


def state_after_brand_review(status: str) -> RegistrationState | None:
    """The registration's state while the brand is reviewed; None once the brand is approved."""
    if status == CarrierBrandStatus.APPROVED:
        return None
    if status == CarrierBrandStatus.FAILED:
        return "failed"
    return "in_review"


def state_after_campaign_review(campaign_status: str) -> RegistrationState:
    if campaign_status == "VERIFIED":
        return "approved"
    if campaign_status == "FAILED":
        return "failed"
    return "in_review"


EDITABLE_STATES: frozenset[RegistrationState] = frozenset({"draft", "failed"})
IN_FLIGHT_STATES: frozenset[RegistrationState] = frozenset({"submitted", "in_review"})


@dataclass
class Registration:
    account_id: str
    registration_id: str
    state: RegistrationState
    draft: RegistrationDraft
    reason: str | None = None
    brand_sid: str | None = None
    service_sid: str | None = None
    campaign_sid: str | None = None
    # What is being created at the carrier ("brand", "service", "campaign") before its SID is recorded.
    creating: str | None = None
