"""What the scheduled sends API takes and gives."""

from datetime import date as Date
from datetime import datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.messaging.domain.model import MAX_BODY_CHARS
from services.messaging.domain.schedules import SendTime
from services.messaging.entrypoints.schemas import BulkSendCreate, MessageCreate

TimeZoneName = Field(
    min_length=1, max_length=64,
    description="The IANA time zone `send_at` is read in when it has no offset, and shown back in (the sender's, such as America/Chicago)",
)
SendAt = Field(default=None, description="When to send: a wall-clock time in `time_zone` (2026-03-02T09:00:00), or a moment with its offset")


class RecipientTime(BaseModel):
    """A wall-clock time on a day, in each recipient's own time zone."""

    model_config = ConfigDict(extra="forbid")

    date: Date = Field(description="The day, 2027-01-05")
    local_time: str = Field(max_length=5, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="The time of day there, 24-hour HH:MM (09:00)")

    @property
    def at(self) -> time:
        return time.fromisoformat(self.local_time)


class ScheduledSendCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: MessageCreate | None = Field(default=None, description="A text to one contact, as POST /messages takes it")
    bulk_send: BulkSendCreate | None = Field(default=None, description="A bulk send, as POST /bulk-sends takes it")
    send_at: datetime | None = SendAt
    recipient_time: RecipientTime | None = Field(
        default=None,
        description="Instead of `send_at`, for a bulk send: each text goes at this time in its recipient's own time zone "
        "(every zone their number or address may be in); checked against now and a year ahead as read in `time_zone`",
    )
    time_zone: str = TimeZoneName

    @model_validator(mode="after")
    def one_send(self) -> "ScheduledSendCreate":
        if (self.text is None) == (self.bulk_send is None):
            raise ValueError("give either text or bulk_send, not both and not neither")
        if (self.send_at is None) == (self.recipient_time is None):
            raise ValueError("give either send_at or recipient_time, not both and not neither")
        if self.recipient_time is not None and self.bulk_send is None:
            raise ValueError("recipient_time schedules a bulk send; a text to one contact takes send_at")
        return self


class ScheduledSendUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str | None = Field(default=None, max_length=MAX_BODY_CHARS)
    send_at: datetime | None = Field(default=None, description="The new time, read in `time_zone` (given, or the schedule's)")
    time_zone: str | None = Field(default=None, min_length=1, max_length=64)


class ScheduledSendPublic(BaseModel):
    scheduled_send_id: str
    kind: Literal["text", "bulk_send"]
    status: Literal["scheduled", "starting", "started", "refused", "cancelled"]
    user_id: str
    contact_id: str | None = None
    contact_ids: int | None = Field(default=None, description="How many contacts a bulk send names (None: a selection)")
    selection_filter: dict | None = None
    canned_reply_id: str | None = None
    body: str
    media_ids: list[str] = Field(default_factory=list, description="the images it sends with the text (an MMS)")
    send_at: datetime = Field(description="When it goes, in UTC")
    time_zone: str
    local_send_at: str = Field(description="When it goes, in `time_zone`, with its offset (2026-03-02T09:00:00-06:00)")
    recipient_time: RecipientTime | None = Field(default=None, description="Set when each text goes at this time in its recipient's own zone")
    starts_at: datetime = Field(description="When the send starts (in recipients' own time: when the first place on earth reaches it)")
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None = None
    started_at: datetime | None = None
    message_ids: list[str] = []
    bulk_job_id: str | None = None
    refused_because: str | None = None

    @classmethod
    def of(cls, schedule: dict) -> "ScheduledSendPublic":
        when = SendTime(at=schedule["send_at"], time_zone=schedule["time_zone"])
        ids = schedule.get("contact_ids")
        return cls(
            scheduled_send_id=schedule["_id"],
            **{name: schedule.get(name) for name in (
                "kind", "status", "user_id", "contact_id", "selection_filter", "canned_reply_id", "body", "send_at", "time_zone",
                "created_at", "updated_at", "cancelled_at", "started_at", "bulk_job_id", "refused_because",
            )},
            contact_ids=len(ids) if ids is not None else None,
            local_send_at=when.local.isoformat(),
            message_ids=schedule.get("message_ids") or [],
            media_ids=schedule.get("media_ids") or [],
            recipient_time=schedule.get("recipient_time"),
            starts_at=schedule.get("starts_at") or schedule["send_at"],
        )


class ScheduledSendList(BaseModel):
    scheduled_sends: list[ScheduledSendPublic]
