"""The login limiter's counters in the gateway's own store, so every gateway process and
replica counts the same attempts: a storage for the `limits` library on PyMongo's async API.

Only what the fixed-window strategy uses: a counter per key that starts at its first hit and
lives `expiry` seconds. Each step is one single-document operation (no transactions)."""

import time
from datetime import UTC, datetime, timedelta

from limits.aio.storage import Storage
from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared.mongo import CollectionIndexes

LOGIN_THROTTLE = "login_throttle"

INDEXES = [
    # MongoDB drops spent windows by itself; a spent window is ignored and restarted either way.
    CollectionIndexes(LOGIN_THROTTLE, [IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="window_expiry")]),
]


class MongoWindowCounters(Storage):
    STORAGE_SCHEME = ["crm-gateway-mongodb"]

    def __init__(self, db: AsyncDatabase) -> None:
        super().__init__()
        self._counters = db[LOGIN_THROTTLE]

    @property
    def base_exceptions(self) -> type[Exception]:
        return PyMongoError

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's running window, or start a new window with it."""
        while True:
            now = datetime.now(UTC)
            running = await self._counters.find_one_and_update(
                {"_id": key, "expires_at": {"$gt": now}}, {"$inc": {"count": amount}}, return_document=ReturnDocument.AFTER
            )
            if running:
                return running["count"]
            try:  # none, or a spent one: start afresh (a concurrent start makes this a duplicate; count again)
                await self._counters.find_one_and_update(
                    {"_id": key, "expires_at": {"$lte": now}},
                    {"$set": {"count": amount, "expires_at": now + timedelta(seconds=expiry)}},
                    upsert=True,
                )
                return amount
            except DuplicateKeyError:
                continue

    async def get(self, key: str) -> int:
        running = await self._counters.find_one({"_id": key, "expires_at": {"$gt": datetime.now(UTC)}})
        return running["count"] if running else 0

    async def get_expiry(self, key: str) -> float:
        running = await self._counters.find_one({"_id": key, "expires_at": {"$gt": datetime.now(UTC)}})
        return running["expires_at"].timestamp() if running else time.time()

    async def check(self) -> bool:
        try:
            await self._counters.database.command("ping")
            return True
        except PyMongoError:
            return False

    async def reset(self) -> int | None:
        return (await self._counters.delete_many({})).deleted_count

    async def clear(self, key: str) -> None:
        await self._counters.delete_one({"_id": key})
