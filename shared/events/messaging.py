"""Events the messaging service publishes."""

from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from shared import topics
from shared.events.envelope import EventData

MessageStatus = Literal[
    "accepted", "waiting_for_number", "sending", "queued", "sent", "delivered", "undelivered", "failed", "skipped", "cancelled"
]
Keyword = Literal["opt_out", "opt_in", "help"]


class MediaItem(BaseModel):
    """An image a text carries (MMS): fetch it from the messaging API by its id."""

    media_id: str
    content_type: str
    size: int = Field(description="bytes")


class MessageSendRequested(EventData):
    event_type: ClassVar[str] = topics.MESSAGE_SEND_REQUESTED
    message_id: str
    conversation_id: str
    contact_id: str
    phone_id: str
    to_number: str
    user_id: str
    body: str
    bulk_job_id: str | None = None
    media: list[MediaItem] = []


class MessageSent(EventData):
    event_type: ClassVar[str] = topics.MESSAGE_SENT
    message_id: str
    conversation_id: str
    contact_id: str
    user_id: str
    from_number: str
    to_number: str
    carrier_sid: str
    segments: int
    media: list[MediaItem] = []


class MessageStatusUpdated(EventData):
    event_type: ClassVar[str] = topics.MESSAGE_STATUS_UPDATED
    message_id: str
    conversation_id: str
    contact_id: str | None = None
    status: MessageStatus
    carrier_sid: str | None = None
    error_code: int | None = None


class MessageFailed(EventData):
    event_type: ClassVar[str] = topics.MESSAGE_FAILED
    message_id: str
    conversation_id: str
    contact_id: str
    phone_id: str | None = None
    user_id: str
    to_number: str
    reason: str
    error_code: int | None = None


class MessageReceived(EventData):
    event_type: ClassVar[str] = topics.MESSAGE_RECEIVED
    message_id: str
    conversation_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    user_id: str | None = None
    from_number: str
    to_number: str
    body: str
    carrier_sid: str
    keyword: Keyword | None = None
    matched_keyword: str | None = None
    media: list[MediaItem] = []


class CannedReplySent(EventData):
    """A saved reply was sent to a contact; its actions are for others to apply (contacts: tags, consent)."""

    event_type: ClassVar[str] = topics.CANNED_REPLY_SENT
    canned_reply_id: str
    contact_id: str
    user_id: str
    message_ids: list[str]
    phone_ids: list[str]
    conversation_ids: list[str]
    add_tags: list[str] = []
    opt_in_method: str | None = None
    opt_in_note: str | None = None
    close_conversation: bool = False


class ConversationAssigned(EventData):
    """A thread changed hands: claimed, reassigned by an admin, or routed to an admin because the
    user whose number was texted is deactivated. assigned_user_id None: unassigned."""

    event_type: ClassVar[str] = topics.CONVERSATION_ASSIGNED
    conversation_id: str
    contact_id: str | None = None
    their_number: str
    assigned_user_id: str | None = None
    previous_user_id: str | None = None
    reason: Literal["claimed", "reassigned", "owner_deactivated"]
    by_user_id: str | None = None


class NumberNeeded(EventData):
    event_type: ClassVar[str] = topics.NUMBER_NEEDED
    user_id: str
    reason: Literal["first_send", "first_call", "user_created", "primary_cell_changed"] = "first_send"
