"""Events the gateway publishes about users."""

from typing import ClassVar

from shared import topics
from shared.events.envelope import EventData


class UserSnapshot(EventData):
    user_id: str
    email: str
    name: str
    role: str
    primary_cell: str | None = None
    primary_cell_area_code: str | None = None
    active: bool = True
    eager_number_purchase: bool = False


class UserCreated(EventData):
    event_type: ClassVar[str] = topics.USER_CREATED
    user: UserSnapshot


class UserUpdated(EventData):
    event_type: ClassVar[str] = topics.USER_UPDATED
    user: UserSnapshot
    changed: list[str]
