"""Events the gateway publishes about users."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

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


class UserSignUpAttempted(EventData):
    """Someone signed up with this user's email: nothing changed, and the user is told."""

    event_type: ClassVar[str] = topics.USER_SIGN_UP_ATTEMPTED
    user_id: str
    attempted_at: datetime


class UserUpdated(EventData):
    event_type: ClassVar[str] = topics.USER_UPDATED
    user: UserSnapshot
    changed: list[str]
    # Who made the change and when, and what each changed field held before (the snapshot has the new values).
    changed_by: str | None = None
    changed_at: datetime | None = None
    previous: dict[str, str | bool | None] = Field(default_factory=dict)
