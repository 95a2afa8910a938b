"""Events of scheduled sends: a text or a bulk send set to go at a later time, changed, started, cancelled."""

from datetime import datetime
from typing import ClassVar, Literal

from shared import topics
from shared.events.envelope import EventData

ScheduledKind = Literal["text", "bulk_send"]


class ScheduledSendCreated(EventData):
    """A text (to one contact) or a bulk send was scheduled for `send_at` (UTC), entered in `time_zone`."""

    event_type: ClassVar[str] = topics.SCHEDULED_SEND_CREATED
    scheduled_send_id: str
    kind: ScheduledKind
    user_id: str
    contact_id: str | None = None
    contacts: int | None = None  # a bulk send's ticked contacts (None: a selection, counted when it starts)
    body: str
    send_at: datetime
    time_zone: str
    # Set when each text goes at this wall-clock time in its recipient's own zone: {"date", "local_time"}.
    recipient_time: dict[str, str] | None = None


class ScheduledSendUpdated(EventData):
    """A scheduled send was edited before it started (its body, its time, or both)."""

    event_type: ClassVar[str] = topics.SCHEDULED_SEND_UPDATED
    scheduled_send_id: str
    kind: ScheduledKind
    user_id: str
    by_user_id: str
    body: str
    send_at: datetime
    time_zone: str
    changed: list[str]


class ScheduledSendStarted(EventData):
    """A scheduled send's time came and it went through the normal send path (`outcome` sent), or that
    path refused it then (`outcome` refused, with why: nothing textable any more, a limit, ...)."""

    event_type: ClassVar[str] = topics.SCHEDULED_SEND_STARTED
    scheduled_send_id: str
    kind: ScheduledKind
    user_id: str
    outcome: Literal["sent", "refused"]
    message_ids: list[str] = []
    bulk_job_id: str | None = None
    reason: str | None = None


class ScheduledSendCancelled(EventData):
    """A scheduled send was cancelled before it started: it never goes."""

    event_type: ClassVar[str] = topics.SCHEDULED_SEND_CANCELLED
    scheduled_send_id: str
    kind: ScheduledKind
    user_id: str
    by_user_id: str
