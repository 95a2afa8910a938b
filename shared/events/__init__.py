"""Every event that crosses Kafka, as pydantic models, and a registry by type."""

from shared.events.carrier import CarrierStatusReported
from shared.events.contacts import (
    ContactCreated,
    ContactDeleted,
    ContactOptedIn,
    ContactOptedOut,
    ContactSnapshot,
    ContactTagged,
    ContactUntagged,
    ContactUpdated,
    PhoneSnapshot,
)
from shared.events.envelope import Envelope, EventData
from shared.events.messaging import (
    CannedReplySent,
    ConversationAssigned,
    MessageFailed,
    MessageReceived,
    MessageSendRequested,
    MessageSent,
    MessageStatusUpdated,
    NumberNeeded,
)
from shared.events.notifications import NotificationCreated
from shared.events.schedules import ScheduledSendCancelled, ScheduledSendCreated, ScheduledSendStarted, ScheduledSendUpdated
from shared.events.replies import ReviewItemDecided, ReviewItemRaised, RevocationDetected
from shared.events.numbers import (
    CallCompleted,
    NumberProvisioned,
    NumberPurchaseFailed,
    NumberOptOutHandlingChanged,
    NumberReleased,
    RegistrationSaved,
    RegistrationUpdated,
)
from shared.events.users import UserCreated, UserSignUpAttempted, UserSnapshot, UserUpdated

EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        UserCreated,
        UserUpdated,
        UserSignUpAttempted,
        ContactCreated,
        ContactUpdated,
        ContactTagged,
        ContactUntagged,
        ContactDeleted,
        ContactOptedOut,
        ContactOptedIn,
        MessageSendRequested,
        MessageSent,
        MessageStatusUpdated,
        MessageFailed,
        MessageReceived,
        CannedReplySent,
        RevocationDetected,
        ReviewItemRaised,
        ReviewItemDecided,
        ConversationAssigned,
        ScheduledSendCreated,
        ScheduledSendUpdated,
        ScheduledSendStarted,
        ScheduledSendCancelled,
        NumberNeeded,
        NumberProvisioned,
        NumberReleased,
        NumberPurchaseFailed,
        RegistrationUpdated,
        RegistrationSaved,
        NumberOptOutHandlingChanged,
        CallCompleted,
        CarrierStatusReported,
        NotificationCreated,
    )
}


def parse_envelope(raw: dict) -> Envelope:
    """Decode a stored or received envelope into its typed form."""
    data_model = EVENT_TYPES[raw["type"]]
    return Envelope[data_model].model_validate(raw)


__all__ = [name for name in dir() if not name.startswith("_")]
