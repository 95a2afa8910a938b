"""Bulk jobs: one document per bulk send, its counters moved by atomic $inc as its messages reach states."""

from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import Indexes, StoreBase, in_account, now

BULK_JOBS = "bulk_jobs"

INDEXES: Indexes = [
    (BULK_JOBS, IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)], name="account_jobs")),
]

COUNTS = "counts."


def job_counters(status: str, state: dict) -> dict[str, int]:
    """The bulk job counters a message's new state moves (a state is recorded once, so counted once).
    `done` counts messages that will not be sent any more: sent, rejected, skipped or cancelled."""
    if status == "skipped":
        return {f"counts.skipped.{state.get('skip_reason') or 'other'}": 1, "counts.done": 1}
    if status in ("undelivered", "failed"):
        return {"counts.failed": 1, "counts.done": 1} if state.get("rejected") else {"counts.failed": 1}
    if status == "queued":
        return {"counts.sent": 1, "counts.done": 1}
    if status == "cancelled":
        return {"counts.cancelled": 1, "counts.done": 1}
    if status == "delivered":
        return {"counts.delivered": 1}
    return {}


class BulkJobStore(StoreBase):
    @cached_property
    def _jobs(self):
        return self._db[BULK_JOBS]

    async def add_job(self, job: dict) -> dict:
        try:
            await self._jobs.insert_one(job)
            return job
        except DuplicateKeyError:
            return await self._jobs.find_one({"_id": job["_id"]})

    async def job(self, account_id: str, job_id: str) -> dict | None:
        return in_account(await self._jobs.find_one({"_id": job_id}), account_id)

    async def job_by_id(self, job_id: str) -> dict | None:
        return await self._jobs.find_one({"_id": job_id})

    async def jobs_by_ids(self, job_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._jobs, job_ids)

    async def update_job(self, job_id: str, *, set_fields: dict | None = None, inc: dict | None = None) -> None:
        update: dict[str, Any] = {}
        if set_fields:
            update["$set"] = set_fields
        if inc:
            update["$inc"] = inc
        if update:
            await self._jobs.update_one({"_id": job_id}, update)

    async def count_page(self, job_id: str, page: int, inc: dict[str, Any]) -> bool:
        """Add one enqueued page's counts to its job, once however often the page is enqueued. The
        page's own counters are kept beside them, for recounting the job from what it is made of."""
        page_counts = [{"name": name, "count": value} for name, value in inc.items() if name.startswith(COUNTS)]
        result = await self._jobs.update_one(
            {"_id": job_id, "pages_counted": {"$ne": page}},
            {"$inc": inc, "$addToSet": {"pages_counted": page}, "$set": {f"page_counts.p{page}": page_counts}},
        )
        return result.modified_count == 1

    async def unfinished_jobs(self, created_since: datetime) -> list[dict]:
        """Bulk jobs created since then, enqueued, and with messages not done yet."""
        jobs = await self._jobs.find({"created_at": {"$gte": created_since}, "enqueued_at": {"$ne": None}}).to_list(None)
        return [job for job in jobs if (job.get("counts") or {}).get("done", 0) < job["total"]]

    async def replace_job_counts(self, job_id: str, *, expected: dict | None, counts: dict) -> bool:
        """Set the job's counters, unless they moved since they were `expected`."""
        result = await self._jobs.update_one({"_id": job_id, "counts": expected}, {"$set": {"counts": counts}})
        return result.modified_count == 1

    async def cancel_job(self, account_id: str, job_id: str) -> dict | None:
        """Mark the job cancelled (once); its messages not yet sent stop when a worker next sees them."""
        await self._jobs.update_one(
            {"_id": job_id, "account_id": account_id, "cancelled_at": None}, {"$set": {"cancelled_at": now()}}
        )
        return await self.job(account_id, job_id)
