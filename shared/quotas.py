"""Per-account quotas as counters in the store: one document per (account, what is counted, time
window), moved by atomic conditional `$inc`, so that every API replica and worker shares them.

A maintained limiter library would be the first choice, but `limits` (PyPI) reaches MongoDB only
through Motor in its async API (Motor is past its end of life, and this product uses PyMongo's
async API), and its moving windows rely on aggregation updates the MongoDB-wire stand-in lacks.
Fixed windows of bucket documents need only single-document updates, which both stores have.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError


@dataclass(frozen=True)
class Window:
    """One fixed window of a quota: its name in bucket ids and when it ends (the quota resets)."""

    key: str
    resets_at: datetime


def minute_window(at: datetime) -> Window:
    start = at.astimezone(UTC).replace(second=0, microsecond=0)
    return Window(start.strftime("%Y-%m-%dT%H:%M"), start + timedelta(minutes=1))


def day_window(at: datetime) -> Window:
    """A calendar day in UTC (carriers' daily caps reset at midnight UTC too)."""
    start = at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return Window(start.strftime("%Y-%m-%d"), start + timedelta(days=1))


@dataclass(frozen=True)
class Usage:
    name: str
    limit: int
    used: int
    resets_at: datetime

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


class QuotaBuckets:
    """Counters by `_id` (`account:name:window`), each holding `count`, the account and its reset time."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._buckets = collection

    @staticmethod
    def bucket_id(account_id: str, name: str, window: Window) -> str:
        return f"{account_id}:{name}:{window.key}"

    async def take(self, account_id: str, name: str, window: Window, *, count: int, limit: int) -> bool:
        """Count `count` more in the window if that keeps it within `limit`; False (nothing counted) otherwise."""
        if count > limit:
            return False
        bucket_id = self.bucket_id(account_id, name, window)
        update = {"$inc": {"count": count}, "$set": {"account_id": account_id, "resets_at": window.resets_at}}
        try:
            await self._buckets.update_one({"_id": bucket_id, "count": {"$lte": limit - count}}, update, upsert=True)
            return True
        except DuplicateKeyError:
            # The bucket exists and is too full, or another request created it a moment ago: ask it once more.
            moved = await self._buckets.update_one({"_id": bucket_id, "count": {"$lte": limit - count}}, update)
            return moved.modified_count == 1

    async def take_up_to(self, account_id: str, name: str, window: Window, *, count: int, limit: int) -> int:
        """Count as many of `count` as fit within `limit`; returns how many were counted."""
        while True:
            used = await self.used(account_id, name, window)
            granted = min(count, limit - used)
            if granted <= 0:
                return 0
            if await self.take(account_id, name, window, count=granted, limit=limit):
                return granted

    async def give_back(self, account_id: str, name: str, window: Window, *, count: int) -> None:
        """Uncount what a request took before it was refused for another reason."""
        await self._buckets.update_one({"_id": self.bucket_id(account_id, name, window)}, {"$inc": {"count": -count}})

    async def used(self, account_id: str, name: str, window: Window) -> int:
        found = await self._buckets.find_one({"_id": self.bucket_id(account_id, name, window)})
        return int(found["count"]) if found else 0

    async def usage(self, account_id: str, name: str, window: Window, *, limit: int) -> Usage:
        return Usage(name, limit, await self.used(account_id, name, window), window.resets_at)
