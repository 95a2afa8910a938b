"""Events the notifications service publishes."""

from typing import ClassVar

from shared import topics
from shared.events.envelope import EventData


class NotificationCreated(EventData):
    event_type: ClassVar[str] = topics.NOTIFICATION_CREATED
    notification_id: str
    user_id: str
    kind: str
    title: str
    body: str
    link: dict[str, str] = {}
