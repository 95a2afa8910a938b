"""How many custom tags each account has, kept in one counter document per account so that the
per-account limit holds however many requests add tags at once.

Counting the tags and then inserting lets concurrent requests each see room for themselves and
all insert. Instead a request first takes its places with one conditional update of the counter
(`$inc` only while the count leaves room), a single-document write MongoDB and FerretDB both
make atomic, then inserts; a place whose insert turns out to be a duplicate (someone registered
that name meanwhile) or fails is given back, and a deleted tag gives its place back.

A process that dies between taking places and inserting leaves them taken. So when a request
finds no room and the counter has not moved for STALE_AFTER (no request is between taking and
inserting for that long), the counter is set again from the tags that exist."""

from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

TAG_COUNTS = "tag_counts"
STALE_AFTER = timedelta(minutes=10)
# Each failed take that finds room after all is another request's progress; past this many the
# request is refused rather than kept waiting.
ATTEMPTS = 10


class AccountTagCount:
    def __init__(self, db: AsyncDatabase, tags: AsyncCollection) -> None:
        self._counts = db[TAG_COUNTS]
        self._tags = tags

    async def take(self, account_id: str, places: int, *, limit: int, now: datetime) -> int | None:
        """Take `places` if the account has room for them all: None when taken, else the count
        that leaves no room."""
        if places <= 0:
            return None
        count = limit
        for _ in range(ATTEMPTS):
            if await self._take(account_id, places, limit=limit, now=now):
                return None
            counter = await self._counts.find_one({"_id": account_id})
            if counter is None:
                await self._start(account_id, now=now)
                continue
            count = counter["count"]
            if count + places <= limit:
                continue  # places were given back, or the counter made, since the take
            if not await self._recount_if_stale(counter, now=now):
                return count
        return count

    async def take_up_to(self, account_id: str, places: int, *, limit: int, now: datetime) -> int:
        """Take as many of `places` as the account has room for; how many were taken."""
        while places > 0:
            count = await self.take(account_id, places, limit=limit, now=now)
            if count is None:
                return places
            places = min(places - 1, limit - count)
        return 0

    async def give_back(self, account_id: str, places: int) -> None:
        if places > 0:
            await self._counts.update_one({"_id": account_id}, {"$inc": {"count": -places}})

    async def _take(self, account_id: str, places: int, *, limit: int, now: datetime) -> bool:
        taken = await self._counts.find_one_and_update(
            {"_id": account_id, "count": {"$lte": limit - places}},
            {"$inc": {"count": places}, "$set": {"changed_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return taken is not None

    async def _start(self, account_id: str, *, now: datetime) -> None:
        """The counter of an account that has none yet, from its tags: while it has none no
        request can take places, so no insert is under way that the count would miss."""
        count = await self._tags.count_documents({"account_id": account_id})
        try:
            await self._counts.insert_one({"_id": account_id, "count": count, "changed_at": now})
        except DuplicateKeyError:
            pass  # another request made it first

    async def _recount_if_stale(self, counter: dict, *, now: datetime) -> bool:
        """Set a counter that has not moved for STALE_AFTER to the tags that exist, unless it
        moves meanwhile; whether it now counts fewer."""
        if now - counter["changed_at"] < STALE_AFTER:
            return False
        count = await self._tags.count_documents({"account_id": counter["_id"]})
        if count >= counter["count"]:
            return False
        fixed = await self._counts.update_one(
            {"_id": counter["_id"], "count": counter["count"], "changed_at": counter["changed_at"]},
            {"$set": {"count": count, "changed_at": now}},
        )
        return fixed.modified_count == 1
