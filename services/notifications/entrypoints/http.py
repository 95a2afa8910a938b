"""HTTP routes: the caller's own notifications and their read state."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from services.notifications.domain.notifications import Notification
from services.notifications.service_layer import inbox
from services.notifications.service_layer.ports import NotificationsPorts
from shared.caller import Caller
from shared.web import AccountCaller


def _ports(request: Request) -> NotificationsPorts:
    return request.app.state.ports


def _user_caller(caller: AccountCaller) -> Caller:
    if not caller.user_id:
        raise HTTPException(status_code=403, detail="notifications belong to a user; this call names none")
    return caller


PortsDep = Annotated[NotificationsPorts, Depends(_ports)]
UserCaller = Annotated[Caller, Depends(_user_caller)]

router = APIRouter(prefix="/v1/notifications")


class NotificationPublic(BaseModel):
    notification_id: str
    kind: str
    title: str
    body: str
    link: dict[str, str]
    created_at: datetime
    read_at: datetime | None
    read: bool

    @classmethod
    def of(cls, notification: Notification) -> "NotificationPublic":
        return cls(
            notification_id=notification.notification_id,
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            link=notification.link,
            created_at=notification.created_at,
            read_at=notification.read_at,
            read=notification.read_at is not None,
        )


class NotificationPagePublic(BaseModel):
    items: list[NotificationPublic]
    next_cursor: str | None


class UnreadCount(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    marked_read: int


@router.get("", response_model=NotificationPagePublic)
async def list_notifications(
    caller: UserCaller,
    ports: PortsDep,
    unread: Annotated[bool, Query(description="only notifications not read yet")] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=inbox.MAX_CURSOR_LENGTH, description="next_cursor of the previous page")] = None,
) -> NotificationPagePublic:
    """The caller's own notifications, newest first."""
    try:
        page = await inbox.page_of_notifications(
            ports=ports, account_id=caller.account_id, user_id=caller.user_id,
            unread_only=unread, limit=limit, cursor=cursor,
        )
    except inbox.InvalidCursor as error:
        raise RequestValidationError([{"loc": ("query", "cursor"), "msg": str(error), "type": "value_error"}]) from error
    return NotificationPagePublic(items=[NotificationPublic.of(item) for item in page.items], next_cursor=page.next_cursor)


@router.get("/unread-count", response_model=UnreadCount)
async def unread_count(caller: UserCaller, ports: PortsDep) -> UnreadCount:
    return UnreadCount(unread=await inbox.unread_count(ports=ports, account_id=caller.account_id, user_id=caller.user_id))


@router.post("/read-all", response_model=MarkedRead)
async def read_all(caller: UserCaller, ports: PortsDep) -> MarkedRead:
    marked = await inbox.mark_all_read(ports=ports, account_id=caller.account_id, user_id=caller.user_id)
    return MarkedRead(marked_read=marked)


@router.post("/{notification_id}/read", response_model=NotificationPublic)
async def read_one(notification_id: str, caller: UserCaller, ports: PortsDep) -> NotificationPublic:
    notification = await inbox.mark_read(
        ports=ports, account_id=caller.account_id, user_id=caller.user_id, notification_id=notification_id
    )
    if notification is None:
        raise HTTPException(status_code=404, detail=f"no notification {notification_id} of yours")
    return NotificationPublic.of(notification)
