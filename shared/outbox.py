"""The transactional outbox, made without multi-document transactions.

A change and the events it causes are written in ONE document update: the events
ride inside the changed document (`outbox` array, `outbox_pending` flag), so a
crash can never keep one and lose the other. The relay then publishes pending
events to Kafka, in order per document, and removes them once Kafka has
acknowledged them. Publishing is at-least-once; consumers are idempotent.
"""

import asyncio
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from pymongo import IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.events import Envelope
from shared.metrics.families.outbox import OUTBOX_EVENTS_PUBLISHED
from shared.mongo import CollectionIndexes
from shared.tracing import TRACE_FIELD, current_trace_context, resumed

log = logging.getLogger(__name__)

OUTBOX_FIELD = "outbox"
PENDING_FIELD = "outbox_pending"
CLAIM_FIELD = "outbox_claim"
# The id of the last event appended: the relay acknowledges a whole batch in one update
# of the documents whose tail is still what it published (nothing appended meanwhile).
TAIL_FIELD = "outbox_tail"
# An idle relay waits at least this many times as long as its last look took.
IDLE_SHARE = 9


def outbox_indexes(collection: str) -> CollectionIndexes:
    return CollectionIndexes(collection, [IndexModel([(PENDING_FIELD, 1)], name="outbox_pending", sparse=True)])


def stored_event(event: Envelope) -> dict[str, Any]:
    """The event as an outbox keeps it: with the trace context it was written in, so that
    its publication continues the trace of the request that caused it."""
    document = event.to_document()
    carried = current_trace_context()
    return {**document, TRACE_FIELD: carried} if carried else document


def new_document_with_events(document: dict[str, Any], events: Iterable[Envelope]) -> dict[str, Any]:
    """A document to insert, carrying the events its creation causes."""
    stored = [stored_event(event) for event in events]
    if not stored:
        return document
    return {**document, OUTBOX_FIELD: stored, PENDING_FIELD: True, TAIL_FIELD: stored[-1]["id"]}


def update_with_events(update: dict[str, Any], events: Iterable[Envelope]) -> dict[str, Any]:
    """Extend a MongoDB update so that it also appends `events` to the document's outbox."""
    stored = [stored_event(event) for event in events]
    if not stored:
        return update
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$push", {})[OUTBOX_FIELD] = {"$each": stored}
    merged.setdefault("$set", {})[PENDING_FIELD] = True
    merged["$set"][TAIL_FIELD] = stored[-1]["id"]
    return merged


class OutboxRelay:
    """Publishes the pending events of some collections to Kafka.

    Several processes may run a relay over the same collections: each claims a
    batch of documents for a while before publishing, so a document is normally
    relayed by one of them, and by another if its claimer dies.
    """

    def __init__(
        self,
        db: AsyncDatabase,
        collections: list[str],
        publish,
        *,
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        max_poll_interval: float = 5.0,
        claim_for: timedelta = timedelta(seconds=30),
        service: str = "",
    ) -> None:
        self._db = db
        self._collections = collections
        self._publish = publish
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_poll_interval = max(poll_interval, max_poll_interval)
        self._claim_for = claim_for
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._relayer_id = uuid4().hex
        self._service = service

    def kick(self) -> None:
        """Relay now rather than at the next poll (called right after a write)."""
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self, *, flush_seconds: float = 0.0) -> None:
        """Stop relaying; with `flush_seconds`, first publish what is pending, for at most that long."""
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if flush_seconds > 0:
            try:
                await asyncio.wait_for(self.relay_pending(), timeout=flush_seconds)
            except Exception:
                log.warning("outbox relay: events left pending at stop; another relay publishes them", exc_info=True)

    async def _run(self) -> None:
        idle_wait = self._poll_interval
        while True:
            started = time.monotonic()
            try:
                relayed = await self.relay_pending()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay failed; retrying")
                relayed = 0
            if relayed:
                idle_wait = self._poll_interval
                continue
            # A look that finds nothing still reads the collection on a store that serves
            # it from no index, so idle looks grow rarer, and never take more than a tenth
            # of the relay's time; a local write wakes the relay at once.
            look = time.monotonic() - started
            kicked = await self._wait_for_kick(max(idle_wait, IDLE_SHARE * look))
            idle_wait = self._poll_interval if kicked else min(idle_wait * 2, self._max_poll_interval)

    async def _wait_for_kick(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
            return True
        except TimeoutError:
            return False
        finally:
            self._wake.clear()

    async def relay_pending(self) -> int:
        """One pass over every collection; returns how many events were published."""
        total = 0
        for name in self._collections:
            total += await self._relay_collection(name)
        return total

    async def _relay_collection(self, name: str) -> int:
        collection = self._db[name]
        claimed = await self._claim_batch(collection)
        if claimed is None:
            return 0
        claim, ids = claimed
        documents = await collection.find(
            {"_id": {"$in": ids}, CLAIM_FIELD + ".by": claim}, {OUTBOX_FIELD: 1, TAIL_FIELD: 1}
        ).to_list(None)
        # Every document's events in order, all documents at once: the producer batches them.
        await asyncio.gather(*(self._publish_document(doc) for doc in documents))
        await self._acknowledge(collection, claim, documents)
        return sum(len(doc.get(OUTBOX_FIELD, [])) for doc in documents)

    async def _claim_batch(self, collection) -> tuple[str, list[Any]] | None:
        now = datetime.now(UTC)
        candidates = await collection.find(
            {PENDING_FIELD: True}, {"_id": 1, CLAIM_FIELD: 1}
        ).limit(self._batch_size).to_list(None)
        free = [doc["_id"] for doc in candidates if _claim_expired(doc.get(CLAIM_FIELD), now)]
        if not free:
            return None
        claim = uuid4().hex
        # The filter repeats the expiry test, so two relays never hold one document.
        await collection.update_many(
            {"_id": {"$in": free}, "$or": [{CLAIM_FIELD: None}, {CLAIM_FIELD + ".until": {"$lt": now}}]},
            {"$set": {CLAIM_FIELD: {"by": claim, "until": now + self._claim_for}}},
        )
        return claim, free

    async def _publish_document(self, document: dict[str, Any]) -> None:
        for event in document.get(OUTBOX_FIELD, []):
            with resumed(event.get(TRACE_FIELD), "outbox relay", **{"event.type": event.get("type", "")}):
                await self._publish(event)
            OUTBOX_EVENTS_PUBLISHED.labels(self._service, event["type"]).inc()

    async def _acknowledge(self, collection, claim: str, documents: list[dict[str, Any]]) -> None:
        """Remove what was published; events appended meanwhile stay pending for the next pass.

        One update for every document whose tail is still the event published last;
        the few that gained events meanwhile (or predate tails) one at a time."""
        tails = [doc[TAIL_FIELD] for doc in documents if doc.get(TAIL_FIELD)]
        cleared = 0
        if tails:
            result = await collection.update_many(
                {"_id": {"$in": [doc["_id"] for doc in documents]}, CLAIM_FIELD + ".by": claim, TAIL_FIELD: {"$in": tails}},
                {"$unset": {PENDING_FIELD: "", OUTBOX_FIELD: "", TAIL_FIELD: ""}, "$set": {CLAIM_FIELD: None}},
            )
            cleared = result.modified_count
        if cleared == len(documents):
            return
        still_held = {
            doc["_id"]
            for doc in await collection.find(
                {"_id": {"$in": [doc["_id"] for doc in documents]}, CLAIM_FIELD + ".by": claim}, {"_id": 1}
            ).to_list(None)
        }
        for doc in documents:
            if doc["_id"] in still_held:
                await self._acknowledge_one(collection, doc)

    @staticmethod
    async def _acknowledge_one(collection, doc: dict[str, Any]) -> None:
        published = doc.get(OUTBOX_FIELD, [])
        cleared = await collection.update_one(
            {"_id": doc["_id"], OUTBOX_FIELD: {"$size": len(published)}},
            {"$unset": {PENDING_FIELD: "", OUTBOX_FIELD: "", TAIL_FIELD: ""}, "$set": {CLAIM_FIELD: None}},
        )
        if cleared.matched_count == 0:
            await collection.update_one(
                {"_id": doc["_id"]}, {"$pullAll": {OUTBOX_FIELD: published}, "$set": {CLAIM_FIELD: None}}
            )


def _claim_expired(claim: dict | None, now: datetime) -> bool:
    if not claim:
        return True
    until = claim["until"]
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    return until < now
