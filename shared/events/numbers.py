"""Events the numbers service publishes."""

from datetime import datetime
from typing import ClassVar, Literal

from shared import topics
from shared.events.envelope import EventData

SelectionRule = Literal["area_code", "overlay", "same_state", "country"]


class NumberProvisioned(EventData):
    event_type: ClassVar[str] = topics.NUMBER_PROVISIONED
    number_id: str
    user_id: str
    phone_number: str
    area_code: str
    selection_rule: SelectionRule
    carrier_sid: str


class NumberReleased(EventData):
    event_type: ClassVar[str] = topics.NUMBER_RELEASED
    number_id: str
    user_id: str
    phone_number: str


class NumberPurchaseFailed(EventData):
    """Buying a user's number failed; `will_retry` says whether another attempt is scheduled."""

    event_type: ClassVar[str] = topics.NUMBER_PURCHASE_FAILED
    user_id: str
    reason: str
    attempts: int
    will_retry: bool
    next_attempt_at: datetime | None = None


RegistrationState = Literal["draft", "submitted", "in_review", "approved", "failed"]


class RegistrationUpdated(EventData):
    event_type: ClassVar[str] = topics.REGISTRATION_UPDATED
    registration_id: str
    state: RegistrationState
    reason: str | None = None


class RegistrationSaved(EventData):
    """The brand's details as the owner saved them: who the account is and how people reach it,
    which the HELP reply names (carriers require both)."""

    event_type: ClassVar[str] = topics.REGISTRATION_SAVED
    registration_id: str
    company_name: str
    website: str = ""
    contact_email: str = ""
    contact_phone: str = ""


class NumberOptOutHandlingChanged(EventData):
    """Whether the carrier itself answers STOP, START and HELP texted to this number (Twilio's
    Advanced Opt-Out on the messaging service it is in): then the product sends no confirmation
    of its own for those keywords."""

    event_type: ClassVar[str] = topics.NUMBER_OPT_OUT_HANDLING_CHANGED
    number_id: str
    user_id: str
    phone_number: str
    carrier_answers_keywords: bool
    by_user_id: str | None = None


CallDirection = Literal["inbound", "outbound"]


class CallCompleted(EventData):
    """A call through a user's number ended (from Twilio's voice status callback); keyed by contact
    when the other party is a known contact, else by the call."""

    event_type: ClassVar[str] = topics.CALL_COMPLETED
    call_sid: str
    user_id: str | None
    direction: CallDirection
    their_number: str
    our_number: str
    contact_id: str | None = None
    phone_id: str | None = None
    outcome: str  # Twilio's final CallStatus: completed, busy, no-answer, failed or canceled
    duration_seconds: int = 0
