"""The outbox backlog of a service: documents with events not yet published, and the age of the
oldest of those events (read from at most `scan_limit` pending documents, so a large backlog
costs a bounded look)."""

from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase

from shared.metrics.families.outbox import OUTBOX_OLDEST_PENDING_AGE, OUTBOX_PENDING_DOCUMENTS

PENDING_FIELD = "outbox_pending"
OUTBOX_FIELD = "outbox"


def _event_time(event: dict) -> datetime | None:
    value = event.get("time")
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value if isinstance(value, datetime) else None


class OutboxSampler:
    def __init__(self, db: AsyncDatabase, collections: list[str], *, service: str, scan_limit: int = 1000) -> None:
        self._db, self._collections, self._service, self._scan_limit = db, collections, service, scan_limit

    async def sample(self) -> None:
        pending = 0
        oldest: datetime | None = None
        for name in self._collections:
            collection = self._db[name]
            pending += await collection.count_documents({PENDING_FIELD: True})
            documents = await collection.find({PENDING_FIELD: True}, {OUTBOX_FIELD: 1}).limit(self._scan_limit).to_list(None)
            times = [t for doc in documents for t in map(_event_time, doc.get(OUTBOX_FIELD, [])[:1]) if t]
            if times:
                oldest = min([*times, oldest] if oldest else times)
        OUTBOX_PENDING_DOCUMENTS.labels(self._service).set(pending)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        OUTBOX_OLDEST_PENDING_AGE.labels(self._service).set(max(age, 0.0))
