"""Sender rates: the next free moment of each sender number, moved by compare-and-set."""

from datetime import UTC, datetime, timedelta
from functools import cached_property

from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import StoreBase

SENDER_RATES = "sender_rates"


class SenderRateStore(StoreBase):
    @cached_property
    def _rates(self):
        return self._db[SENDER_RATES]

    async def reserve_send_slot(self, phone_number: str, *, at: datetime, cost: timedelta, horizon: timedelta) -> datetime:
        """The moment this number may send `cost` worth of segments: reserved if within `horizon` of `at`,
        else only reported (a message that must wait that long is held rather than reserving)."""
        while True:
            found = await self._rates.find_one({"_id": phone_number})
            free_at = max(found["next_at"].replace(tzinfo=UTC), at) if found else at
            if free_at - at > horizon:
                return free_at
            if found is None:
                try:
                    await self._rates.insert_one({"_id": phone_number, "next_at": free_at + cost})
                    return free_at
                except DuplicateKeyError:
                    continue
            moved = await self._rates.update_one(
                {"_id": phone_number, "next_at": found["next_at"]}, {"$set": {"next_at": free_at + cost}}
            )
            if moved.modified_count == 1:
                return free_at
