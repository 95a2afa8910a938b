"""What the handlers need from the outside world, as protocols with a real adapter and a fake."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.notifications.domain.notifications import EmailDraft, Notification
from shared.events import Envelope


@dataclass(frozen=True)
class UserRecord:
    account_id: str
    user_id: str
    email: str
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class Email:
    email_id: str
    account_id: str
    user_id: str
    to: str | None
    subject: str
    body: str
    status: str  # waiting_for_address | pending | sending | sent | failed
    error: str | None = None


class EmailNotSent(Exception):
    """The mail server refused the message or could not be reached."""


class UsersView(Protocol):
    async def save(self, user: UserRecord, *, as_of: datetime) -> bool: ...

    async def get(self, account_id: str, user_id: str) -> UserRecord | None: ...

    async def owners(self, account_id: str) -> list[UserRecord]: ...


class Notifications(Protocol):
    async def add(self, notification: Notification, *, events: list[Envelope]) -> bool:
        """Store it with its event; False if it already existed (a redelivered event)."""

    async def page(
        self, *, account_id: str, user_id: str, unread_only: bool, limit: int, before: tuple[datetime, str] | None
    ) -> list[Notification]:
        """Newest first, strictly older than `before` (created_at, id) when given."""

    async def unread_count(self, *, account_id: str, user_id: str) -> int: ...

    async def mark_read(self, *, account_id: str, user_id: str, notification_id: str, now: datetime) -> Notification | None: ...

    async def mark_all_read(self, *, account_id: str, user_id: str, now: datetime) -> int: ...


class Emails(Protocol):
    async def add(self, *, email_id: str, account_id: str, user_id: str, to: str | None, draft: EmailDraft,
                  source_event_id: str, now: datetime) -> bool: ...

    async def address_waiting(self, *, account_id: str, user_id: str, to: str, now: datetime) -> list[str]:
        """Give emails that waited for this user's address the address; their ids."""

    async def claim(self, email_id: str, *, now: datetime) -> Email | None:
        """Mark a pending email as being sent; None if it is not pending."""

    async def sent(self, email_id: str, *, now: datetime) -> None: ...

    async def failed(self, email_id: str, *, error: str, now: datetime) -> None: ...


class Mailer(Protocol):
    async def send(self, *, to: str, subject: str, body: str) -> None:
        """Hand the message to the mail server; raises EmailNotSent."""


@dataclass
class NotificationsPorts:
    users: UsersView
    notifications: Notifications
    emails: Emails
    mailer: Mailer | None  # None: email is not configured
    notify_written: Callable[[], None] = lambda: None
