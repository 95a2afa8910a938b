"""Which numbers' keywords the carrier answers itself (Twilio's Advanced Opt-Out), as numbers announces
it: one document per number id, i.e. per number while one user holds it."""

import contextlib
from datetime import datetime
from functools import cached_property

from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import StoreBase

KEYWORD_HANDLING = "keyword_handling"


class KeywordHandlingStore(StoreBase):
    @cached_property
    def _keyword_handling(self):
        return self._db[KEYWORD_HANDLING]

    async def save_keyword_handling(self, number_id: str, *, account_id: str, phone_number: str, carrier_answers: bool,
                                    at: datetime) -> None:
        """Keep the newest word on the number (events may arrive out of order)."""
        fields = {"account_id": account_id, "phone_number": phone_number, "carrier_answers_keywords": carrier_answers, "at": at}
        updated = await self._keyword_handling.update_one(
            {"_id": number_id, "at": {"$lte": at}}, {"$set": fields}
        )
        if updated.matched_count == 0:
            with contextlib.suppress(DuplicateKeyError):  # newer news is kept already
                await self._keyword_handling.insert_one({"_id": number_id, **fields})

    async def carrier_answers_keywords(self, number_id: str | None) -> bool:
        if not number_id:
            return False
        found = await self._keyword_handling.find_one({"_id": number_id})
        return bool(found and found.get("carrier_answers_keywords"))
