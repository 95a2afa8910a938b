"""What every part of the messaging store shares: the clock, derived ids, reads of many ids at once.

Written for FerretDB v1 (SQLite) as much as for MongoDB:
- the documents whose insert causes events (messages, message_states,
  number_requests) record those events and are never changed by the service
  afterwards (adapters/outbox.py); counters and flags are single-document
  atomic updates ($inc, $set);
- it only uses an index for the `_id` a filter names (`{"_id": value}` or
  `{"_id": {"$in": [...]}}`, with deploy/local/ferretdb's patches); anything else
  reads the whole collection. So the hot paths look documents up by an `_id`
  derived from what identifies them (the idempotency key, the thread, the state),
  and check the account in code. The secondary indexes serve MongoDB.
"""

import asyncio
import hashlib
from datetime import UTC, datetime

from pymongo import IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.messaging.adapters.outbox import EVENTS_FIELD, RECORDED_AT_FIELD, RecordedEvents, with_events
from shared.events import Envelope

WITHOUT_EVENTS = {EVENTS_FIELD: 0, RECORDED_AT_FIELD: 0}
# Long id lists are read in chunks, a few at once: FerretDB checks each document it reads against
# the whole `$in` list, so one list of thousands of ids costs more than several short ones.
ID_LIST_CHUNK = 500
CONCURRENT_ID_READS = 4

Indexes = list[tuple[str, IndexModel]]


def now() -> datetime:
    return datetime.now(UTC)


def derived_id(*parts: str) -> str:
    """A stable id for whatever `parts` identify (a message by its idempotency key, a thread by its numbers)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def in_account(document: dict | None, account_id: str) -> dict | None:
    return document if document is not None and document.get("account_id") == account_id else None


class StoreBase:
    """The database and the outbox queue every part of the store writes through."""

    def __init__(self, db: AsyncDatabase, recorded: RecordedEvents) -> None:
        self._db = db
        self._recorded = recorded

    async def _by_ids(self, collection, ids, projection: dict | None = None) -> dict[str, dict]:
        """Many documents by id at once (the send worker's batches)."""
        wanted = list(dict.fromkeys(ids))
        chunks = [wanted[start : start + ID_LIST_CHUNK] for start in range(0, len(wanted), ID_LIST_CHUNK)]
        reads = asyncio.Semaphore(CONCURRENT_ID_READS)

        async def read(chunk: list[str]) -> list[dict]:
            async with reads:
                return await collection.find({"_id": {"$in": chunk}}, projection).to_list(None)

        return {document["_id"]: document for found in await asyncio.gather(*map(read, chunks)) for document in found}

    @staticmethod
    async def _insert_new(collection, documents: list[dict]) -> list[dict]:
        """Insert many documents; returns those inserted (not those whose id was taken already)."""
        if not documents:
            return []
        try:
            await collection.insert_many(documents, ordered=False)
            return documents
        except BulkWriteError as error:
            failed = {documents[item["index"]]["_id"] for item in error.details.get("writeErrors", [])}
            return [document for document in documents if document["_id"] not in failed]

    async def _insert_with_events(self, collection: str, document: dict, events: list[Envelope]) -> bool:
        """Insert `document` recording `events`, and queue them; False if its id is taken."""
        recorded = with_events(document, events)
        try:
            await self._db[collection].insert_one(recorded)
        except DuplicateKeyError:
            existing = await self._db[collection].find_one({"_id": document["_id"]})
            if existing is not None:
                await self._recorded.queue(collection, existing)  # finish what an earlier attempt began
            return False
        await self._recorded.queue(collection, recorded)
        return True
