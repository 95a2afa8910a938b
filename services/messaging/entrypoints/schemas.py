"""What the messaging HTTP API takes and gives."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_id: str = Field(min_length=1, max_length=100)
    body: str
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


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
    skip_reason: str | None = None
    error_code: int | None = None
    carrier_sid: str | None = None
    segments: int | None = None
    keyword: str | None = None
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
    stored: bool
    message_id: str | None = None
    conversation_id: str | None = None
    keyword: str | None = None
