"""Events recorded with the change that causes them, relayed through a small outbox.

shared.outbox keeps events inside the changed document until the relay has
published them. On FerretDB v1 that costs twice: an update is a read and a
write-back with nothing atomic between them, so a relay acknowledging a document
can undo a concurrent change to it; and the relay finds pending events by reading
every document of its collections, twice a second, in every process.

So messaging records events in the insert that decides a change (such documents
are written once: messages, message states, number requests), then copies them
into OUTBOX, a collection that holds only events not yet published, which the
shared relay publishes. The sweeper (the api's; workers' only as a fallback)
marks the source relayed and drops the outbox entry; at start-up, every process
copies again whatever a crash left uncopied. Publishing stays at-least-once, as
with shared.outbox.
"""

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.events import Envelope
from shared.outbox import OUTBOX_FIELD, PENDING_FIELD

log = logging.getLogger(__name__)

OUTBOX = "outbox"
EVENTS_FIELD = "events"
RELAYED_FIELD = "events_relayed"


def with_events(document: dict[str, Any], events: list[Envelope]) -> dict[str, Any]:
    """The document to insert, carrying the record of the events its insert causes."""
    if not events:
        return document
    return {**document, EVENTS_FIELD: [event.to_document() for event in events], RELAYED_FIELD: False}


class RecordedEvents:
    """Queues recorded events for the relay, and tidies up after it."""

    def __init__(self, db: AsyncDatabase, sources: list[str], *, sweep_every: float = 1.0) -> None:
        self._db = db
        self._outbox = db[OUTBOX]
        self._sources = sources
        self._sweep_every = sweep_every
        self._task: asyncio.Task | None = None

    async def queue(self, source: str, document: dict[str, Any]) -> None:
        """Hand the events recorded in `document` (of collection `source`) to the relay; idempotent."""
        if not document.get(EVENTS_FIELD) or document.get(RELAYED_FIELD):
            return
        entry = {
            "_id": f"{source}:{document['_id']}",
            "source": source,
            "source_id": document["_id"],
            "at": datetime.now(UTC),
            OUTBOX_FIELD: document[EVENTS_FIELD],
            PENDING_FIELD: True,
        }
        with contextlib.suppress(DuplicateKeyError):
            await self._outbox.insert_one(entry)

    async def start(self) -> None:
        await self.requeue_unrelayed()
        self._task = asyncio.create_task(self._sweep_forever(), name="messaging-outbox-sweeper")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def requeue_unrelayed(self) -> int:
        """After a crash between recording events and queueing them: queue them now."""
        queued = 0
        for source in self._sources:
            async for document in self._db[source].find({RELAYED_FIELD: False}, {EVENTS_FIELD: 1, RELAYED_FIELD: 1}):
                await self.queue(source, document)
                queued += 1
        return queued

    async def sweep(self, batch: int = 500) -> int:
        """Mark the sources of published events relayed, then drop their outbox entries."""
        published = await self._outbox.find({PENDING_FIELD: {"$ne": True}}, {"source": 1, "source_id": 1}).to_list(batch)
        for entry in published:
            await self._db[entry["source"]].update_one({"_id": entry["source_id"]}, {"$set": {RELAYED_FIELD: True}})
        if published:
            await self._outbox.delete_many({"_id": {"$in": [entry["_id"] for entry in published]}})
        return len(published)

    async def _sweep_forever(self) -> None:
        while True:
            swept = 0
            try:
                swept = await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sweeping the outbox failed; retrying")
            if swept < 500:
                await asyncio.sleep(self._sweep_every)
