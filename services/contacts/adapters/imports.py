"""Import jobs in MongoDB: the uploaded file in chunks, the job with its progress and
checkpoint, and the per-row errors."""

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from bson import Binary
from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from shared.mongo import CollectionIndexes

JOBS = "imports"
CHUNKS = "import_chunks"
ERRORS = "import_errors"
CHUNK_BYTES = 256 * 1024

IMPORT_INDEXES = [
    CollectionIndexes(JOBS, [
        IndexModel([("account_id", ASCENDING), ("created_at", ASCENDING)], name="by_account"),
        # The claim: runnable jobs, the account served longest ago first.
        IndexModel([("status", ASCENDING), ("turn_at", ASCENDING), ("lease_until", ASCENDING)], name="runnable_in_turn"),
        IndexModel([("account_id", ASCENDING), ("status", ASCENDING)], name="by_account_status"),
    ]),
    CollectionIndexes(CHUNKS, [IndexModel([("job_id", ASCENDING), ("n", ASCENDING)], name="by_job")]),
    CollectionIndexes(ERRORS, [IndexModel([("job_id", ASCENDING), ("line", ASCENDING)], name="by_job_line")]),
]


class UploadTooLarge(Exception):
    pass


class MongoImportJobs:
    def __init__(self, db: AsyncDatabase) -> None:
        self._jobs = db[JOBS]
        self._chunks = db[CHUNKS]
        self._errors = db[ERRORS]

    # ----- the file -----------------------------------------------------------------

    async def store_upload(
        self, account_id: str, user_id: str | None, filename: str, body: AsyncIterator[bytes], *, max_bytes: int, now: datetime
    ) -> dict[str, Any]:
        """Stream the request body into chunk documents (never the whole file in memory),
        then record the job as `uploaded`."""
        job_id = uuid4().hex
        digest = hashlib.sha256()
        pending = bytearray()
        size = chunks = 0
        first_chunk = b""
        try:
            async for piece in body:
                size += len(piece)
                if size > max_bytes:
                    raise UploadTooLarge(f"the file is larger than {max_bytes} bytes")
                digest.update(piece)
                pending += piece
                while len(pending) >= CHUNK_BYTES:
                    first_chunk = first_chunk or bytes(pending[:CHUNK_BYTES])
                    await self._put_chunk(job_id, chunks, bytes(pending[:CHUNK_BYTES]))
                    del pending[:CHUNK_BYTES]
                    chunks += 1
            if pending:
                first_chunk = first_chunk or bytes(pending)
                await self._put_chunk(job_id, chunks, bytes(pending))
                chunks += 1
        except BaseException:
            await self._chunks.delete_many({"job_id": job_id})
            raise
        job = {
            "_id": job_id,
            "account_id": account_id,
            "created_by": user_id,
            "filename": filename,
            "sha256": digest.hexdigest(),
            "size": size,
            "chunks": chunks,
            "status": "uploaded",
            "created_at": now,
            "rows_read": 0, "created": 0, "merged": 0, "failed": 0,
            "lease_by": None, "lease_until": None,
        }
        return job | {"first_chunk": first_chunk}

    async def _put_chunk(self, job_id: str, n: int, data: bytes) -> None:
        await self._chunks.insert_one({"_id": f"{job_id}:{n:06d}", "job_id": job_id, "n": n, "data": Binary(data)})

    async def download(self, job: dict[str, Any], path: Path) -> None:
        """Copy the uploaded file to a local file, a chunk at a time."""
        with path.open("wb") as file:
            for n in range(job["chunks"]):
                chunk = await self._chunks.find_one({"_id": f"{job['_id']}:{n:06d}"})
                if chunk is None:
                    raise RuntimeError(f"chunk {n} of import {job['_id']} is missing")
                file.write(chunk["data"])

    async def drop_file(self, job_id: str) -> None:
        await self._chunks.delete_many({"job_id": job_id})

    # ----- the job ------------------------------------------------------------------

    async def insert(self, job: dict[str, Any]) -> None:
        await self._jobs.insert_one({key: value for key, value in job.items() if key != "first_chunk"})

    async def get(self, account_id: str, job_id: str) -> dict[str, Any] | None:
        return await self._jobs.find_one({"_id": job_id, "account_id": account_id})

    async def recent(self, account_id: str, limit: int = 50) -> list[dict[str, Any]]:
        return await self._jobs.find({"account_id": account_id}).sort("created_at", -1).limit(limit).to_list(None)

    async def start(self, account_id: str, job_id: str, options: dict[str, Any], now: datetime) -> dict[str, Any] | None:
        """uploaded -> queued, once."""
        return await self._jobs.find_one_and_update(
            {"_id": job_id, "account_id": account_id, "status": "uploaded"},
            {"$set": {"status": "queued", "options": options, "queued_at": now, "turn_at": now}},
            return_document=ReturnDocument.AFTER,
        )

    async def claim(self, worker: str, now: datetime, lease: timedelta) -> dict[str, Any] | None:
        """The next slice of work: of the jobs nobody holds (queued, between two slices, or
        whose worker stopped renewing its lease), the one whose account was served longest
        ago. One atomic update, so two workers never hold the same job."""
        return await self._jobs.find_one_and_update(
            {"status": {"$in": ["queued", "running"]}, "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]},
            {"$set": {"status": "running", "lease_by": worker, "lease_until": now + lease}, "$addToSet": {"workers": worker}},
            sort=[("turn_at", ASCENDING), ("queued_at", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )

    async def renew(self, job_id: str, worker: str, lease_until: datetime) -> bool:
        """The worker's heartbeat: its lease goes on if it still holds the job."""
        return (await self._jobs.update_one({"_id": job_id, "lease_by": worker}, {"$set": {"lease_until": lease_until}})).matched_count == 1

    async def end_turn(self, job: dict[str, Any], worker: str, now: datetime) -> None:
        """A slice done: the job is free again, and every job of its account goes behind
        the other accounts' (each account takes its turn, however many imports it runs)."""
        await self._jobs.update_one({"_id": job["_id"], "lease_by": worker}, {"$set": {"lease_by": None, "lease_until": None}})
        await self._jobs.update_many(
            {"account_id": job["account_id"], "status": {"$in": ["queued", "running"]}}, {"$set": {"turn_at": now}}
        )

    async def checkpoint(self, job_id: str, worker: str, progress: dict[str, int], lease_until: datetime) -> bool:
        """Record progress (rows_read is also where to resume) if this worker still holds the job."""
        result = await self._jobs.update_one(
            {"_id": job_id, "lease_by": worker}, {"$set": {**progress, "lease_until": lease_until}}
        )
        return result.matched_count == 1

    async def finish(self, job_id: str, worker: str, status: str, now: datetime, reason: str | None = None) -> bool:
        result = await self._jobs.update_one(
            {"_id": job_id, "lease_by": worker},
            {"$set": {"status": status, "finished_at": now, "lease_by": None, "lease_until": None, "reason": reason}},
        )
        return result.matched_count == 1

    async def release(self, job_id: str, worker: str) -> None:
        await self._jobs.update_one({"_id": job_id, "lease_by": worker}, {"$set": {"lease_by": None, "lease_until": None}})

    # ----- per-row errors -------------------------------------------------------------

    async def add_errors(self, job_id: str, errors: list[dict[str, Any]]) -> None:
        if not errors:
            return
        documents = [{"_id": f"{job_id}:{error['line']:09d}", "job_id": job_id, **error} for error in errors]
        try:
            await self._errors.insert_many(documents, ordered=False)
        except BulkWriteError as error:  # an earlier attempt at this batch recorded some
            if any(failure.get("code") != 11000 for failure in error.details.get("writeErrors", [])):
                raise

    async def errors(self, job_id: str, *, after_line: int, limit: int) -> list[dict[str, Any]]:
        cursor = self._errors.find({"job_id": job_id, "line": {"$gt": after_line}}).sort("line", ASCENDING).limit(limit)
        return await cursor.to_list(None)


def utc_now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
