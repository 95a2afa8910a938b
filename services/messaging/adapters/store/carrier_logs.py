"""Logs of webhooks that matched nothing here: texts to numbers no user has (yet: each is taken in
once the number's owner is known), statuses of unknown sids."""

from functools import cached_property

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import Indexes, StoreBase, now

UNKNOWN_NUMBER_LOG = "inbound_to_unknown_numbers"
UNMATCHED_STATUS_LOG = "unmatched_status_callbacks"

INDEXES: Indexes = [
    (UNKNOWN_NUMBER_LOG, IndexModel([("to", ASCENDING)], name="to")),
    (UNMATCHED_STATUS_LOG, IndexModel([("carrier_sid", ASCENDING)], name="carrier_sid")),
]


class CarrierLogStore(StoreBase):
    @cached_property
    def _unknown_numbers(self):
        return self._db[UNKNOWN_NUMBER_LOG]

    @cached_property
    def _unmatched_statuses(self):
        return self._db[UNMATCHED_STATUS_LOG]

    async def log_unknown_number(self, carrier_sid: str, to_number: str, params: dict) -> None:
        try:
            await self._unknown_numbers.insert_one({"_id": carrier_sid, "to": to_number, "params": params, "at": now()})
        except DuplicateKeyError:
            pass

    async def texts_to_unknown_number(self, to_number: str, *, limit: int = 500) -> list[dict]:
        """The logged texts to `to_number`, oldest first: their carrier sid (`_id`) and webhook params."""
        return await self._unknown_numbers.find({"to": to_number}).sort("at", ASCENDING).to_list(limit)

    async def forget_text_to_unknown_number(self, carrier_sid: str) -> None:
        await self._unknown_numbers.delete_one({"_id": carrier_sid})

    async def log_unmatched_status(self, carrier_sid: str, params: dict) -> None:
        await self._unmatched_statuses.insert_one({"carrier_sid": carrier_sid, "params": params, "at": now()})

    async def unmatched_statuses(self, carrier_sid: str) -> list[dict]:
        return await self._unmatched_statuses.find({"carrier_sid": carrier_sid}).sort("at", ASCENDING).to_list(None)

    async def sids_with_unmatched_statuses(self, carrier_sids: list[str]) -> set[str]:
        """Which of these sids had status callbacks arrive before their message's sid was recorded."""
        if not carrier_sids:
            return set()
        logged = self._unmatched_statuses.find({"carrier_sid": {"$in": carrier_sids}}, {"carrier_sid": 1})
        return {entry["carrier_sid"] async for entry in logged}

    async def forget_unmatched_statuses(self, carrier_sid: str) -> None:
        await self._unmatched_statuses.delete_many({"carrier_sid": carrier_sid})
