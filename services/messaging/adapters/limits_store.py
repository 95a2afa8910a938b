"""What the sending limits count, kept where every API replica and worker sees it: quota buckets,
each recipient's latest texts, the account's bulk-send slots and its latest bulk sends.
Every change is one single-document atomic update (a conditional `$inc`, an insert, or a
compare-and-set on a version), looked up by `_id`."""

from collections.abc import Awaitable, Callable
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import derived_id, now
from services.messaging.domain.limits import RecentText
from shared.quotas import QuotaBuckets

USAGE_BUCKETS = "usage_buckets"
RECIPIENT_ACTIVITY = "recipient_activity"
BULK_SEND_SLOTS = "bulk_send_slots"
RECENT_BULK_SENDS = "recent_bulk_sends"
# Enough of one person's latest texts for any sane recipient limit.
KEPT_TEXTS = 50


class SendingLimitsStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.buckets = QuotaBuckets(db[USAGE_BUCKETS])
        self._recipients = db[RECIPIENT_ACTIVITY]
        self._slots = db[BULK_SEND_SLOTS]
        self._recent_bulk = db[RECENT_BULK_SENDS]

    # one document per (account, phone): its latest texts, changed by compare-and-set on `version`

    async def recent_texts(self, account_id: str, e164: str) -> tuple[list[RecentText], int]:
        found = await self._recipients.find_one({"_id": _recipient_key(account_id, e164)})
        if found is None:
            return [], 0
        return [RecentText(item["at"], item["body_digest"]) for item in found["texts"]], found["version"]

    async def record_text(self, account_id: str, e164: str, texts: list[RecentText], *, version: int) -> bool:
        """Replace the phone's latest texts, unless they changed since `version` was read (then False)."""
        kept = [{"at": text.at, "body_digest": text.body_digest} for text in texts[-KEPT_TEXTS:]]
        key = _recipient_key(account_id, e164)
        if version == 0:
            try:
                await self._recipients.insert_one({"_id": key, "account_id": account_id, "texts": kept, "version": 1})
                return True
            except DuplicateKeyError:
                return False
        moved = await self._recipients.update_one({"_id": key, "version": version}, {"$set": {"texts": kept, "version": version + 1}})
        return moved.modified_count == 1

    # bulk-send slots: `cap` documents per account, each held by one job until it is over

    async def claim_bulk_slot(
        self, account_id: str, job_id: str, *, cap: int, is_over: Callable[[str, datetime], Awaitable[bool]]
    ) -> bool:
        """Hold one of the account's `cap` slots for `job_id` (a free one, or one whose job is over:
        `is_over(job id, held since)`)."""
        for slot in range(cap):
            slot_id = f"{account_id}:{slot}"
            try:
                await self._slots.insert_one({"_id": slot_id, "account_id": account_id, "job_id": job_id, "at": now()})
                return True
            except DuplicateKeyError:
                held = await self._slots.find_one({"_id": slot_id})
            if held is None or held["job_id"] == job_id:
                return held is not None
            if await is_over(held["job_id"], held["at"]):
                taken = await self._slots.update_one(
                    {"_id": slot_id, "job_id": held["job_id"]}, {"$set": {"job_id": job_id, "at": now()}}
                )
                if taken.modified_count == 1:
                    return True
        return False

    async def slot_holders(self, account_id: str, *, cap: int) -> list[tuple[str, datetime]]:
        """(job id, held since) of the account's held slots."""
        found = await self._slots.find({"_id": {"$in": [f"{account_id}:{slot}" for slot in range(cap)]}}).to_list(None)
        return [(slot["job_id"], slot["at"]) for slot in found]

    # the account's latest bulk sends, by the fingerprint of their body and audience

    async def last_bulk_send(self, account_id: str, fingerprint: str) -> datetime | None:
        found = await self._recent_bulk.find_one({"_id": derived_id("bulk-content", account_id, fingerprint)})
        return found["at"] if found else None

    async def note_bulk_send(self, account_id: str, fingerprint: str, at: datetime) -> None:
        key = derived_id("bulk-content", account_id, fingerprint)
        await self._recent_bulk.update_one({"_id": key}, {"$set": {"account_id": account_id, "at": at}}, upsert=True)


def _recipient_key(account_id: str, e164: str) -> str:
    return f"{account_id}:{e164}"
