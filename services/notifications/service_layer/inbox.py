"""The caller's own notifications: pages, unread count, read state."""

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from services.notifications.domain.notifications import Notification
from services.notifications.service_layer.ports import NotificationsPorts


# A cursor this API returns is about 100 characters; a longer one is not one of them.
MAX_CURSOR_LENGTH = 200


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None


def encode_cursor(notification: Notification) -> str:
    raw = json.dumps({"t": notification.created_at.isoformat(), "id": notification.notification_id})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, dict):
            raise TypeError("a cursor is an object")
        created_at = datetime.fromisoformat(raw["t"])
        return (created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)), str(raw["id"])
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise InvalidCursor("cursor is not one this API returned") from error


async def page_of_notifications(
    *, ports: NotificationsPorts, account_id: str, user_id: str, unread_only: bool, limit: int, cursor: str | None
) -> NotificationPage:
    """Newest first; `next_cursor` continues after the last item, None on the last page."""
    before = decode_cursor(cursor) if cursor else None
    found = await ports.notifications.page(
        account_id=account_id, user_id=user_id, unread_only=unread_only, limit=limit + 1, before=before
    )
    items = found[:limit]
    next_cursor = encode_cursor(items[-1]) if len(found) > limit else None
    return NotificationPage(items, next_cursor)


async def unread_count(*, ports: NotificationsPorts, account_id: str, user_id: str) -> int:
    return await ports.notifications.unread_count(account_id=account_id, user_id=user_id)


async def mark_read(*, ports: NotificationsPorts, account_id: str, user_id: str, notification_id: str) -> Notification | None:
    return await ports.notifications.mark_read(
        account_id=account_id, user_id=user_id, notification_id=notification_id, now=datetime.now(UTC)
    )


async def mark_all_read(*, ports: NotificationsPorts, account_id: str, user_id: str) -> int:
    return await ports.notifications.mark_all_read(account_id=account_id, user_id=user_id, now=datetime.now(UTC))
