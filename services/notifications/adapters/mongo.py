"""MongoDB repositories: users read model, notifications (with their outbox), email delivery log."""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.notifications.domain.notifications import EmailDraft, Notification
from services.notifications.service_layer.ports import Email, UserRecord
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import new_document_with_events

USERS_VIEW = "users_view"
NOTIFICATIONS = "notifications"
EMAILS = "emails"

INDEXES = [
    CollectionIndexes(USERS_VIEW, [IndexModel([("account_id", ASCENDING), ("role", ASCENDING)], name="by_account_role")]),
    CollectionIndexes(
        NOTIFICATIONS,
        [
            IndexModel(
                [("account_id", ASCENDING), ("user_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
                name="inbox",
            ),
            IndexModel([("account_id", ASCENDING), ("user_id", ASCENDING), ("read_at", ASCENDING)], name="unread"),
        ],
    ),
    CollectionIndexes(EMAILS, [IndexModel([("account_id", ASCENDING), ("user_id", ASCENDING), ("status", ASCENDING)], name="by_user_status")]),
]


class MongoUsersView:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[USERS_VIEW]

    async def save(self, user: UserRecord, *, as_of: datetime) -> bool:
        try:
            # Only an older (or no) stored revision matches; a newer one makes the upsert collide.
            await self._collection.update_one(
                {"_id": f"{user.account_id}:{user.user_id}", "as_of": {"$lt": as_of}},
                {"$set": {**user.__dict__, "as_of": as_of}},
                upsert=True,
            )
        except DuplicateKeyError:
            return False
        return True

    async def get(self, account_id: str, user_id: str) -> UserRecord | None:
        document = await self._collection.find_one({"_id": f"{account_id}:{user_id}"})
        return _user_from(document) if document else None

    async def owners(self, account_id: str) -> list[UserRecord]:
        documents = await self._collection.find({"account_id": account_id, "role": "owner", "active": True}).to_list(None)
        return [_user_from(doc) for doc in documents]


class MongoNotifications:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[NOTIFICATIONS]

    async def add(self, notification: Notification, *, events: list[Envelope]) -> bool:
        document = {
            "_id": notification.notification_id,
            "account_id": notification.account_id,
            "user_id": notification.user_id,
            "kind": notification.kind,
            "title": notification.title,
            "body": notification.body,
            "link": notification.link,
            "created_at": notification.created_at,
            "read_at": notification.read_at,
            "source_event_id": notification.source_event_id,
        }
        try:
            await self._collection.insert_one(new_document_with_events(document, events))
        except DuplicateKeyError:
            return False
        return True

    async def page(
        self, *, account_id: str, user_id: str, unread_only: bool, limit: int, before: tuple[datetime, str] | None
    ) -> list[Notification]:
        query: dict[str, Any] = {"account_id": account_id, "user_id": user_id}
        if unread_only:
            query["read_at"] = None
        if before is not None:
            created_at, notification_id = before
            query["$or"] = [
                {"created_at": {"$lt": created_at}},
                {"created_at": created_at, "_id": {"$lt": notification_id}},
            ]
        cursor = self._collection.find(query).sort([("created_at", DESCENDING), ("_id", DESCENDING)]).limit(limit)
        return [_notification_from(doc) for doc in await cursor.to_list(None)]

    async def unread_count(self, *, account_id: str, user_id: str) -> int:
        return await self._collection.count_documents({"account_id": account_id, "user_id": user_id, "read_at": None})

    async def mark_read(self, *, account_id: str, user_id: str, notification_id: str, now: datetime) -> Notification | None:
        mine = {"_id": notification_id, "account_id": account_id, "user_id": user_id}
        await self._collection.update_one({**mine, "read_at": None}, {"$set": {"read_at": now}})
        document = await self._collection.find_one(mine)
        return _notification_from(document) if document else None

    async def mark_all_read(self, *, account_id: str, user_id: str, now: datetime) -> int:
        result = await self._collection.update_many(
            {"account_id": account_id, "user_id": user_id, "read_at": None}, {"$set": {"read_at": now}}
        )
        return result.modified_count


class MongoEmails:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[EMAILS]

    async def add(self, *, email_id: str, account_id: str, user_id: str, to: str | None, draft: EmailDraft,
                  source_event_id: str, now: datetime) -> bool:
        document = {
            "_id": email_id,
            "account_id": account_id,
            "user_id": user_id,
            "to": to,
            "subject": draft.subject,
            "body": draft.body,
            "status": "pending" if to else "waiting_for_address",
            "error": None,
            "attempts": 0,
            "source_event_id": source_event_id,
            "created_at": now,
            "updated_at": now,
            "sent_at": None,
        }
        try:
            await self._collection.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def address_waiting(self, *, account_id: str, user_id: str, to: str, now: datetime) -> list[str]:
        waiting = {"account_id": account_id, "user_id": user_id, "status": "waiting_for_address"}
        ids = [doc["_id"] for doc in await self._collection.find(waiting, {"_id": 1}).to_list(None)]
        if ids:
            await self._collection.update_many(
                {**waiting, "_id": {"$in": ids}}, {"$set": {"to": to, "status": "pending", "updated_at": now}}
            )
        return ids

    async def claim(self, email_id: str, *, now: datetime) -> Email | None:
        document = await self._collection.find_one_and_update(
            {"_id": email_id, "status": "pending"},
            {"$set": {"status": "sending", "updated_at": now}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER,
        )
        if document is None:
            return None
        return Email(
            email_id=document["_id"],
            account_id=document["account_id"],
            user_id=document["user_id"],
            to=document["to"],
            subject=document["subject"],
            body=document["body"],
            status=document["status"],
            error=document.get("error"),
        )

    async def sent(self, email_id: str, *, now: datetime) -> None:
        await self._collection.update_one(
            {"_id": email_id}, {"$set": {"status": "sent", "error": None, "sent_at": now, "updated_at": now}}
        )

    async def failed(self, email_id: str, *, error: str, now: datetime) -> None:
        await self._collection.update_one({"_id": email_id}, {"$set": {"status": "failed", "error": error, "updated_at": now}})


def _user_from(document: dict[str, Any]) -> UserRecord:
    return UserRecord(**{name: document.get(name) for name in UserRecord.__dataclass_fields__})


def _notification_from(document: dict[str, Any]) -> Notification:
    return Notification(
        notification_id=document["_id"],
        account_id=document["account_id"],
        user_id=document["user_id"],
        kind=document["kind"],
        title=document["title"],
        body=document["body"],
        link=document.get("link") or {},
        created_at=document["created_at"],
        read_at=document.get("read_at"),
        source_event_id=document.get("source_event_id"),
    )
