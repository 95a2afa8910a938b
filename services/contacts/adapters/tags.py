"""The account's custom tags (name, colour) and per-account settings, in MongoDB."""

from datetime import datetime
from typing import Any
from uuid import uuid4

from pymongo import ASCENDING, IndexModel, InsertOne, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.contacts.adapters.tag_count import AccountTagCount
from services.contacts.domain.errors import TagExists
from services.contacts.domain.tags import account_limit_reached
from shared.mongo import CollectionIndexes

TAGS = "tags"
ACCOUNT_SETTINGS = "account_settings"

TAG_INDEXES = [
    CollectionIndexes(TAGS, [IndexModel([("account_id", ASCENDING), ("key", ASCENDING)], name="one_name_per_account", unique=True)]),
]


def tag_key(name: str) -> str:
    """Two tags whose names differ only in case are the same tag."""
    return name.casefold()


class MongoTagRegistry:
    def __init__(self, db: AsyncDatabase) -> None:
        self._tags = db[TAGS]
        self._count = AccountTagCount(db, self._tags)

    async def ensure(self, account_id: str, names: list[str], *, now: datetime, limit: int) -> None:
        """Register the names the account does not have yet, all at once, or refuse
        (TagLimitReached) when they would take the account past `limit`."""
        missing = await self.missing(account_id, names)
        if not missing:
            return
        count = await self._count.take(account_id, len(missing), limit=limit, now=now)
        if count is not None:
            # Places taken for a name by a request registering it too are given back: look again.
            if missing := await self.missing(account_id, missing):
                raise account_limit_reached(allowed=limit, count=count, adding=len(missing))
            return
        await self._register_counted(account_id, missing, now=now)

    async def ensure_within(self, account_id: str, names: list[str], *, now: datetime, limit: int) -> set[str]:
        """Register the missing names, in their order, while the account has room for
        them; the names the account now has (those that found no room are left out)."""
        missing = await self.missing(account_id, names)
        room = await self._count.take_up_to(account_id, len(missing), limit=limit, now=now)
        await self._register_counted(account_id, missing[:room], now=now)
        refused = {tag_key(name) for name in missing[room:]}
        return {name for name in names if tag_key(name) not in refused}

    async def missing(self, account_id: str, names: list[str]) -> list[str]:
        """The names (first spelling of each) the account has no tag for, in one query."""
        wanted: dict[str, str] = {}
        for name in names:
            wanted.setdefault(tag_key(name), name)
        if not wanted:
            return []
        known = {document["key"] async for document in self._tags.find(
            {"account_id": account_id, "key": {"$in": list(wanted)}}, {"key": 1, "_id": 0}
        )}
        return [name for key, name in wanted.items() if key not in known]

    async def count(self, account_id: str) -> int:
        return await self._tags.count_documents({"account_id": account_id})

    async def _register_counted(self, account_id: str, names: list[str], *, now: datetime) -> None:
        """Register names whose places are taken; the places of those not inserted are given back."""
        try:
            inserted = await self._register(account_id, names, now=now)
        except BulkWriteError as error:
            await self._count.give_back(account_id, len(names) - error.details.get("nInserted", 0))
            raise
        # On any other failure it is unknown what was inserted: the places stay taken until a recount.
        await self._count.give_back(account_id, len(names) - inserted)

    async def _register(self, account_id: str, names: list[str], *, now: datetime) -> int:
        """One unordered bulk of inserts: the unique index turns a name registered by
        someone else meanwhile into a duplicate-key error, left as they spelled it (an
        insert costs the store less than an upsert, which reads before it writes). How
        many were inserted."""
        if not names:
            return 0
        requests = [
            InsertOne({"_id": uuid4().hex, "account_id": account_id, "key": tag_key(name), "name": name, "color": None, "created_at": now})
            for name in names
        ]
        try:
            return (await self._tags.bulk_write(requests, ordered=False)).inserted_count
        except BulkWriteError as error:
            if any(failure.get("code") != 11000 for failure in error.details.get("writeErrors", [])):
                raise
            return error.details.get("nInserted", 0)

    async def canonical(self, account_id: str, names: list[str]) -> dict[str, str]:
        """The registered spelling of each name that differs from it only in case."""
        if not names:
            return {}
        keys = {tag_key(name) for name in names}
        found = {document["key"]: document["name"] async for document in self._tags.find(
            {"account_id": account_id, "key": {"$in": sorted(keys)}}, {"key": 1, "name": 1}
        )}
        return {name: found.get(tag_key(name), name) for name in names}

    async def all(self, account_id: str) -> list[dict[str, Any]]:
        return await self._tags.find({"account_id": account_id}).sort("key", ASCENDING).to_list(None)

    async def get(self, account_id: str, tag_id: str) -> dict[str, Any] | None:
        return await self._tags.find_one({"_id": tag_id, "account_id": account_id})

    async def by_name(self, account_id: str, name: str) -> dict[str, Any] | None:
        return await self._tags.find_one({"account_id": account_id, "key": tag_key(name)})

    async def create(self, account_id: str, name: str, color: str | None, *, now: datetime, limit: int) -> dict[str, Any]:
        if (count := await self._count.take(account_id, 1, limit=limit, now=now)) is not None:
            raise account_limit_reached(allowed=limit, count=count, adding=1)
        document = {"_id": uuid4().hex, "account_id": account_id, "key": tag_key(name), "name": name, "color": color, "created_at": now}
        try:
            await self._tags.insert_one(document)
        except DuplicateKeyError as error:
            await self._count.give_back(account_id, 1)
            raise TagExists(name) from error
        return document

    async def change(self, account_id: str, tag_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
        if "name" in changes:
            changes = {**changes, "key": tag_key(changes["name"])}
        try:
            return await self._tags.find_one_and_update(
                {"_id": tag_id, "account_id": account_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError as error:
            raise TagExists(changes.get("name", "")) from error

    async def delete(self, account_id: str, tag_id: str) -> bool:
        deleted = (await self._tags.delete_one({"_id": tag_id, "account_id": account_id})).deleted_count == 1
        if deleted:
            await self._count.give_back(account_id, 1)
        return deleted


class MongoAccountSettings:
    def __init__(self, db: AsyncDatabase) -> None:
        self._settings = db[ACCOUNT_SETTINGS]

    async def phone_region(self, account_id: str) -> str | None:
        document = await self._settings.find_one({"_id": account_id}, {"phone_region": 1})
        return document.get("phone_region") if document else None

    async def set_phone_region(self, account_id: str, region: str) -> None:
        await self._settings.update_one({"_id": account_id}, {"$set": {"phone_region": region}}, upsert=True)
