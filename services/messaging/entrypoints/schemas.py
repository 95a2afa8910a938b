"""What the messaging HTTP API takes and gives."""

from datetime import datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.messaging.domain.help_reply import HELP_REPLY_MAX_CHARS
from services.messaging.domain.media import MAX_MEDIA_PER_MESSAGE
from services.messaging.domain.model import MAX_BODY_CHARS
from services.messaging.entrypoints.media_schemas import MediaPublic

MessageBody = Annotated[str, Field(max_length=MAX_BODY_CHARS, description="The text, merge fields and all")]
MediaIds = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=100)]],
    Field(
        default_factory=list, max_length=MAX_MEDIA_PER_MESSAGE,
        description="Images from POST /media to send with the text (an MMS): at most 10, 5 MB together",
    ),
]
from services.messaging.domain.assignment import DEFAULT_TIMEOUT_MINUTES


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_id: str = Field(min_length=1, max_length=100)
    body: str = Field(
        default="", max_length=MAX_BODY_CHARS,
        description="The text, with merge fields; may be left out when a canned reply is named or media are sent",
    )
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)
    canned_reply_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="A saved reply: its body (unless `body` is given) and its actions"
    )
    confirm_duplicate: bool = Field(
        default=False, description="send even though the same text went to the same people a few minutes ago"
    )
    media_ids: MediaIds


class MessagePublic(BaseModel):
    message_id: str
    direction: str
    status: str
    user_id: str | None
    contact_id: str | None
    phone_id: str | None
    conversation_id: str
    to_number: str | None
    from_number: str | None = None
    body: str
    media: list[MediaPublic] = Field(default_factory=list, description="the images the text carries (an MMS)")
    skip_reason: str | None = None
    error_code: int | None = None
    carrier_sid: str | None = None
    segments: int | None = None
    keyword: str | None = None
    reply_class: str | None = None
    bulk_job_id: str | None = None
    auto_reply: bool = False
    failure_reason: str | None = None
    failure_kind: str | None = None
    release_at: datetime | None = None
    hold_reason: str | None = None
    hold_zone: str | None = None
    created_at: datetime
    updated_at: datetime | None = None

    @classmethod
    def of(cls, message: dict[str, Any]) -> "MessagePublic":
        return cls(message_id=message["_id"], **{k: v for k, v in message.items() if k in cls.model_fields})


class SkippedPhone(BaseModel):
    phone_id: str
    reason: str


class SendResultPublic(BaseModel):
    messages: list[MessagePublic]
    skipped: list[SkippedPhone]
    warnings: list[str]


class LastMessage(BaseModel):
    message_id: str
    direction: str
    body: str
    at: datetime


class ConversationPublic(BaseModel):
    conversation_id: str
    user_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    their_number: str
    our_number: str | None = None
    last_activity_at: datetime | None = None
    last_message: LastMessage | None = None
    unread_count: int
    closed_at: datetime | None = None
    assigned_user_id: str | None = None
    unassigned: bool = False
    awaiting_since: datetime | None = None

    @classmethod
    def of(cls, conversation: dict[str, Any]) -> "ConversationPublic":
        return cls(conversation_id=conversation["_id"], **{k: v for k, v in conversation.items() if k in cls.model_fields})


class ConversationList(BaseModel):
    conversations: list[ConversationPublic]


class ConversationMessages(BaseModel):
    conversation_id: str
    messages: list[MessagePublic]


class StatusCallback(BaseModel):
    """Twilio's status callback parameters, forwarded by the gateway as a JSON object."""

    model_config = ConfigDict(extra="allow")

    MessageSid: str = Field(min_length=1)
    MessageStatus: str = Field(min_length=1)
    ErrorCode: str | int | None = None


class StatusCallbackResult(BaseModel):
    ignored: bool
    applied: bool = False


class InboundText(BaseModel):
    """Twilio's incoming-message parameters, forwarded by the gateway as a JSON object."""

    model_config = ConfigDict(extra="allow")

    MessageSid: str = Field(min_length=1)
    From: str = Field(min_length=1)
    To: str = Field(min_length=1)
    Body: str = ""


class InboundResult(BaseModel):
    reply: str | None = None
    auto_reply_id: str | None = None
    stored: bool
    message_id: str | None = None
    conversation_id: str | None = None
    keyword: str | None = None
    reply_class: str | None = None
    review_item_ids: list[str] = []


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(default="", max_length=5000)
    contact_id: str | None = Field(default=None, min_length=1, max_length=100)
    recipients: int = Field(default=1, ge=0, le=1_000_000)
    media_ids: MediaIds


class ReplacementPublic(BaseModel):
    original: str
    replacement: str
    count: int


class PreviewPublic(BaseModel):
    body: str
    encoding: str
    characters: int
    segments: int = Field(description="SMS segments of the body; an MMS is one message, whatever its segments")
    price_per_segment: Decimal
    estimated_cost: Decimal = Field(description="an SMS: segments x price_per_segment; an MMS: price_per_mms, per recipient")
    recipients: int
    mms: bool = Field(default=False, description="the text carries media, so it goes (and is priced) as one MMS")
    media: list[MediaPublic] = Field(default_factory=list)
    price_per_mms: Decimal
    replacements: list[ReplacementPublic]
    suggested_body: str | None = None
    suggested_encoding: str | None = None
    suggested_segments: int | None = None
    suggested_estimated_cost: Decimal | None = None
    warnings: list[str]


# The grid's query parameter names: nothing else (no `$` operator) is ever passed on or stored.
FilterKey = Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,39}$")]


class Selection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filter: dict[FilterKey, Any] = Field(max_length=30, description="The contacts grid's query parameters as one object")


class BulkSendCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: MessageBody
    contact_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(default=None, max_length=50_000)
    selection: Selection | None = None
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)
    confirm_duplicate: bool = Field(
        default=False, description="send even though the same text went to the same people a few minutes ago"
    )
    media_ids: MediaIds

    @model_validator(mode="after")
    def one_way_to_choose(self) -> "BulkSendCreate":
        if (self.contact_ids is None) == (self.selection is None):
            raise ValueError("give either contact_ids or selection, not both and not neither")
        if self.contact_ids is not None and not self.contact_ids:
            raise ValueError("contact_ids is empty")
        return self


class BulkSendPreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(default=None, max_length=50_000)
    selection: Selection | None = None

    @model_validator(mode="after")
    def one_way_to_choose(self) -> "BulkSendPreviewRequest":
        if (self.contact_ids is None) == (self.selection is None):
            raise ValueError("give either contact_ids or selection, not both and not neither")
        if self.contact_ids is not None and not self.contact_ids:
            raise ValueError("contact_ids is empty")
        return self


class BulkSendPreviewPublic(BaseModel):
    contacts: int = Field(description="contacts chosen")
    texted_contacts: int = Field(description="contacts with at least one phone that would be texted")
    messages: int = Field(description="texts that would go (one per textable cell)")
    skipped: dict[str, int] = Field(description="phones that would be skipped, by reason (dnc, opted_out, not_cell, ...)")
    warnings: list[str]


class BulkSendPublic(BaseModel):
    job_id: str
    status: str
    contacts: int
    total: int
    queued: int
    sent: int
    delivered: int
    failed: int
    cancelled: int
    skipped: dict[str, int]
    warnings: list[str]
    created_at: datetime
    enqueued_at: datetime | None = None
    cancelled_at: datetime | None = None


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def start_before_end(self) -> "QuietHours":
        if self.start >= self.end:
            raise ValueError("start must be before end (the window in which texts may go out)")
        return self


class TextingSettingsUpdate(BaseModel):
    """The account's texting choices; the legal 8am-9pm window (and stricter state rules) always apply."""

    model_config = ConfigDict(extra="forbid")

    quiet_hours: QuietHours | None = None
    opt_out_scope: Literal["phone", "person"] | None = None
    help_reply: str | None = Field(
        default=None, min_length=1, max_length=HELP_REPLY_MAX_CHARS,
        description="What HELP or INFO gets; null: the text built from the 10DLC registration (the company and how to reach it)",
    )
    opt_out_reply: str | None = Field(default=None, min_length=1, max_length=320)
    opt_in_reply: str | None = Field(default=None, min_length=1, max_length=320)
    assignment_timeout_minutes: int | None = Field(
        default=None, ge=1, le=7 * 24 * 60, description="How long a reply may wait unopened before its thread is free for any texter"
    )

    @field_validator("help_reply", "opt_out_reply", "opt_in_reply")
    @classmethod
    def reply_not_blank(cls, reply: str | None) -> str | None:
        if reply is not None and not reply.strip():
            raise ValueError("is blank: write the reply, or null for the product's own")
        return reply


class TextingSettingsPublic(BaseModel):
    quiet_hours: QuietHours | None = None
    opt_out_scope: Literal["phone", "person"] = "phone"
    help_reply: str | None = None
    help_reply_sent: str = Field(description="What HELP or INFO gets now: `help_reply`, else the text built from the registration")
    opt_out_reply: str | None = None
    opt_in_reply: str | None = None
    registration_state: str | None = None
    assignment_timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES


class ReviewDecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["opt_out", "not_opt_out", "wrong_number", "not_wrong_number"]


class ReviewDecisionPublic(BaseModel):
    decision: str
    decided_by: Literal["user", "deadline"]
    user_id: str | None = None
    decided_at: datetime


class ReviewItemPublic(BaseModel):
    review_item_id: str
    kind: Literal["revocation", "wrong_number"]
    status: Literal["open", "decided"]
    message_id: str
    conversation_id: str
    contact_id: str | None = None
    phone_id: str | None = None
    their_number: str
    body: str
    matched: str | None = None
    raised_at: datetime
    deadline: datetime | None = None
    choices: list[str]
    decided: ReviewDecisionPublic | None = None

    @classmethod
    def of(cls, item: dict[str, Any]) -> "ReviewItemPublic":
        choices = ["opt_out", "not_opt_out"] if item["kind"] == "revocation" else ["wrong_number", "not_wrong_number"]
        fields = {k: v for k, v in item.items() if k in cls.model_fields and k != "decided"}
        return cls(
            review_item_id=item["_id"],
            status="decided" if item.get("decided") else "open",
            choices=choices,
            decided=ReviewDecisionPublic(**item["decided"]) if item.get("decided") else None,
            **fields,
        )


class ReviewItemList(BaseModel):
    conversation_id: str
    review_items: list[ReviewItemPublic]


class QuotaPublic(BaseModel):
    limit: int
    used: int
    remaining: int
    resets_at: datetime


class ConcurrencyPublic(BaseModel):
    limit: int
    used: int
    running: list[str]


class RecipientGuardPublic(BaseModel):
    max_texts: int
    window_minutes: int


class TextingLimitsPublic(BaseModel):
    """The account's limits on paid sending, with what is used of them now."""

    texts_per_minute: QuotaPublic
    texts_per_day: QuotaPublic
    concurrent_bulk_sends: ConcurrencyPublic
    duplicate_window_minutes: int
    per_recipient: RecipientGuardPublic
