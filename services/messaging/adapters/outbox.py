"""Events recorded with the change that causes them, relayed through a small outbox.

shared.outbox keeps events inside the changed document until the relay has
published them, and the relay finds pending events by reading every document of
its collections (FerretDB v1 uses no index for that), twice a second, in every
process: too costly for collections of many messages.

So messaging records events in the insert that decides a change (such documents
are written once: messages, message states, number requests), then copies them
into OUTBOX, a collection that holds only events not yet published, which the
shared relay publishes. The sweeper (the api's; workers' only as a fallback)
notes each published entry in PUBLISHED and drops it from OUTBOX; the sources are
never updated (on FerretDB v1 an update of one document in a large collection
costs a scan of the collection). At start-up, every process copies again the
recent events a crash left uncopied: those neither in OUTBOX nor in PUBLISHED.
Publishing stays at-least-once, as with shared.outbox.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import _OperationCancelled, BulkWriteError, DuplicateKeyError

from shared.events import Envelope
from shared.outbox import OUTBOX_FIELD, PENDING_FIELD, TAIL_FIELD, stored_event

log = logging.getLogger(__name__)

OUTBOX = "outbox"
PUBLISHED = "outbox_published"
EVENTS_FIELD = "events"
RECORDED_AT_FIELD = "events_at"
# How far back a starting process looks for events a crash left uncopied, and how long it remembers what was published.
REQUEUE_WINDOW = timedelta(hours=24)
PRUNE_EVERY = timedelta(minutes=10)
REQUEUE_PAGE = 1000


Publish = Callable[[dict], Awaitable[None]]


def with_events(document: dict[str, Any], events: list[Envelope]) -> dict[str, Any]:
    """The document to insert, carrying the record of the events its insert causes."""
    if not events:
        return document
    return {**document, EVENTS_FIELD: [stored_event(event) for event in events], RECORDED_AT_FIELD: datetime.now(UTC)}


class RecordedEvents:
    """Queues recorded events for the relay, and tidies up after it."""

    def __init__(
        self, db: AsyncDatabase, sources: list[str], *, sweep_every: float = 1.0, publish: Publish | None = None
    ) -> None:
        self._db = db
        self._publish = publish
        self._outbox = db[OUTBOX]
        self._published = db[PUBLISHED]
        self._pruned_at = datetime.min.replace(tzinfo=UTC)
        self._sources = sources
        self._sweep_every = sweep_every
        self._task: asyncio.Task | None = None

    async def queue(self, source: str, document: dict[str, Any]) -> None:
        """Hand the events recorded in `document` (of collection `source`) to the relay; idempotent."""
        if not document.get(EVENTS_FIELD):
            return
        with contextlib.suppress(DuplicateKeyError):
            await self._outbox.insert_one(self._entry(source, document))

    async def queue_many(self, source: str, documents: list[dict[str, Any]]) -> None:
        """`queue` for many documents in one write."""
        entries = [self._entry(source, document) for document in documents if document.get(EVENTS_FIELD)]
        if entries:
            with contextlib.suppress(BulkWriteError):  # entries queued already stay as they are
                await self._outbox.insert_many(entries, ordered=False)

    async def publish_now(self, source: str, documents: list[dict[str, Any]]) -> None:
        """Publish the events recorded in many new documents straight away (all at once, so the
        producer batches them) and note them published; through the outbox if that fails.
        A crash before they are noted leaves them for the start-up requeue, as with `queue`."""
        documents = [document for document in documents if document.get(EVENTS_FIELD)]
        if not documents:
            return
        if self._publish is None:
            await self.queue_many(source, documents)
            return
        try:
            await asyncio.gather(*(self._publish_events(document) for document in documents))
        except Exception:
            log.warning("publishing %d events of %s straight away failed; the relay takes them", len(documents), source, exc_info=True)
            await self.queue_many(source, documents)
            return
        at = datetime.now(UTC)
        with contextlib.suppress(BulkWriteError):  # noted already
            await self._published.insert_many([{"_id": f"{source}:{document['_id']}", "at": at} for document in documents], ordered=False)

    async def _publish_events(self, document: dict[str, Any]) -> None:
        for event in document[EVENTS_FIELD]:
            await self._publish(event)

    def _entry(self, source: str, document: dict[str, Any]) -> dict[str, Any]:
        return {
            "_id": f"{source}:{document['_id']}",
            "source": source,
            "source_id": document["_id"],
            "at": datetime.now(UTC),
            OUTBOX_FIELD: document[EVENTS_FIELD],
            PENDING_FIELD: True,
            TAIL_FIELD: document[EVENTS_FIELD][-1]["id"],  # lets the relay acknowledge a whole batch in one update
        }

    async def start(self) -> None:
        await self.requeue_unrelayed()
        self._task = asyncio.create_task(self._sweep_forever(), name="messaging-outbox-sweeper")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, _OperationCancelled):
                await self._task

    async def requeue_unrelayed(self) -> int:
        """After a crash between recording events and queueing them: queue them now."""
        queued, since = 0, datetime.now(UTC) - REQUEUE_WINDOW
        for source in self._sources:
            recent = self._db[source].find({RECORDED_AT_FIELD: {"$gte": since}}, {EVENTS_FIELD: 1})
            async for page in _pages(recent, REQUEUE_PAGE):
                entry_ids = [f"{source}:{document['_id']}" for document in page]
                published = {entry["_id"] async for entry in self._published.find({"_id": {"$in": entry_ids}}, {"_id": 1})}
                missed = [document for document, entry_id in zip(page, entry_ids, strict=True) if entry_id not in published]
                await self.queue_many(source, missed)
                queued += len(missed)
        return queued

    async def sweep(self, batch: int = 500) -> int:
        """Note the entries whose events were published, then drop them from the outbox."""
        published = await self._outbox.find({PENDING_FIELD: {"$ne": True}}, {"_id": 1}).to_list(batch)
        if published:
            at = datetime.now(UTC)
            with contextlib.suppress(BulkWriteError):  # noted already by another sweeper
                await self._published.insert_many([{"_id": entry["_id"], "at": at} for entry in published], ordered=False)
            await self._outbox.delete_many({"_id": {"$in": [entry["_id"] for entry in published]}})
        await self._prune()
        return len(published)

    async def _prune(self) -> None:
        now = datetime.now(UTC)
        if now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            await self._published.delete_many({"at": {"$lt": now - 2 * REQUEUE_WINDOW}})

    async def _sweep_forever(self) -> None:
        while True:
            swept = 0
            try:
                swept = await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                if asyncio.current_task().cancelling():
                    raise asyncio.CancelledError from None  # a cancel the driver turned into its own error
                log.exception("sweeping the outbox failed; retrying")
            if swept < 500:
                await asyncio.sleep(self._sweep_every)


async def _pages(cursor, size: int):
    page = []
    async for document in cursor:
        page.append(document)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page
