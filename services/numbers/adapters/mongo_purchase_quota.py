"""How many numbers each account bought today, in quota buckets every numbers process shares; an
account's own cap (`numbers_per_day` in its settings, set by the platform's operators) replaces
the service's default."""

from pymongo.asynchronous.database import AsyncDatabase

from services.numbers.adapters.mongo_records import ACCOUNT_SETTINGS
from shared.quotas import QuotaBuckets, Usage, day_window

PURCHASE_QUOTA = "purchase_quota"
NUMBERS_PER_DAY = "numbers_per_day"


class MongoPurchaseQuota:
    def __init__(self, db: AsyncDatabase, *, default_per_day: int) -> None:
        self._buckets = QuotaBuckets(db[PURCHASE_QUOTA])
        self._settings = db[ACCOUNT_SETTINGS]
        self._default = default_per_day

    async def limit_of(self, account_id: str) -> int:
        found = await self._settings.find_one({"_id": account_id}, {NUMBERS_PER_DAY: 1})
        return int(found[NUMBERS_PER_DAY]) if found and found.get(NUMBERS_PER_DAY) is not None else self._default

    async def take(self, account_id: str, now) -> tuple[bool, Usage]:
        """Count one purchase today if the account's cap allows it; (allowed, today's usage)."""
        window, limit = day_window(now), await self.limit_of(account_id)
        allowed = await self._buckets.take(account_id, NUMBERS_PER_DAY, window, count=1, limit=limit)
        return allowed, await self._buckets.usage(account_id, NUMBERS_PER_DAY, window, limit=limit)

    async def give_back(self, account_id: str, now) -> None:
        await self._buckets.give_back(account_id, NUMBERS_PER_DAY, day_window(now), count=1)

    async def usage(self, account_id: str, now) -> Usage:
        window = day_window(now)
        return await self._buckets.usage(account_id, NUMBERS_PER_DAY, window, limit=await self.limit_of(account_id))
