"""The account's custom tags (name, colour) and per-account settings, in MongoDB."""

from datetime import datetime
from typing import Any
from uuid import uuid4

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.contacts.domain.errors import TagExists
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

    async def ensure(self, account_id: str, names: list[str], *, now: datetime) -> None:
        for name in names:
            try:
                await self._tags.update_one(
                    {"account_id": account_id, "key": tag_key(name)},
                    {"$setOnInsert": {"_id": uuid4().hex, "name": name, "color": None, "created_at": now}},
                    upsert=True,
                )
            except DuplicateKeyError:
                pass  # registered by someone else meanwhile

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

    async def create(self, account_id: str, name: str, color: str | None, *, now: datetime) -> dict[str, Any]:
        document = {"_id": uuid4().hex, "account_id": account_id, "key": tag_key(name), "name": name, "color": color, "created_at": now}
        try:
            await self._tags.insert_one(document)
        except DuplicateKeyError as error:
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
        return (await self._tags.delete_one({"_id": tag_id, "account_id": account_id})).deleted_count == 1


class MongoAccountSettings:
    def __init__(self, db: AsyncDatabase) -> None:
        self._settings = db[ACCOUNT_SETTINGS]

    async def phone_region(self, account_id: str) -> str | None:
        document = await self._settings.find_one({"_id": account_id}, {"phone_region": 1})
        return document.get("phone_region") if document else None

    async def set_phone_region(self, account_id: str, region: str) -> None:
        await self._settings.update_one({"_id": account_id}, {"$set": {"phone_region": region}}, upsert=True)
