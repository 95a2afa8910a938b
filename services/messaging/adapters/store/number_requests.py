"""Number requests: at most one number.needed per user per window."""

from services.messaging.adapters.store.common import WITHOUT_EVENTS, StoreBase, now
from shared.events import Envelope

NUMBER_REQUESTS = "number_requests"


class NumberRequestStore(StoreBase):
    async def number_request(self, user_id: str, window: int) -> dict | None:
        return await self._db[NUMBER_REQUESTS].find_one({"_id": f"{user_id}:{window}"}, WITHOUT_EVENTS)

    async def request_number(self, *, user_id: str, account_id: str, window: int, event: Envelope) -> bool:
        """Record `event` (number.needed) unless this user's request for `window` is recorded already."""
        document = {"_id": f"{user_id}:{window}", "user_id": user_id, "account_id": account_id, "at": now()}
        return await self._insert_with_events(NUMBER_REQUESTS, document, [event])
