"""Scheduled sends: one document each, changed in single-document updates that carry their events
(shared.outbox: the events ride in the document until the relay has published them).

`due_at` is set only while the send waits to start: the time it is due, then, once a process has
claimed it, the end of that claim's lease; a process that dies mid-start leaves it to be claimed
again when the lease runs out. The sparse index on it holds only the waiting sends, so the claim
(`due_at <= now`, earliest first) reads from an index however many sends have gone."""

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.messaging.domain.schedules import CANCELLED, SCHEDULED, STARTING
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import CLAIM_FIELD, OUTBOX_FIELD, PENDING_FIELD, TAIL_FIELD, new_document_with_events, update_with_events

SCHEDULED_SENDS = "scheduled_sends"

SCHEDULE_INDEXES = [
    CollectionIndexes(SCHEDULED_SENDS, [IndexModel([("due_at", ASCENDING)], name="due", sparse=True)]),
    CollectionIndexes(
        SCHEDULED_SENDS, [IndexModel([("account_id", ASCENDING), ("send_at", DESCENDING)], name="account_send_at")]
    ),
    CollectionIndexes(
        SCHEDULED_SENDS,
        [IndexModel([("account_id", ASCENDING), ("user_id", ASCENDING), ("send_at", DESCENDING)], name="user_send_at")],
    ),
]
_WITHOUT_OUTBOX = {OUTBOX_FIELD: 0, PENDING_FIELD: 0, TAIL_FIELD: 0, CLAIM_FIELD: 0}


def _shown(document: dict | None) -> dict | None:
    """Without the outbox's fields (FerretDB takes no projection in findAndModify)."""
    return None if document is None else {name: value for name, value in document.items() if name not in _WITHOUT_OUTBOX}


class ScheduledSendStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self._sends = db[SCHEDULED_SENDS]

    async def add(self, schedule: dict, event: Envelope) -> tuple[dict, bool]:
        """Insert the schedule with its event; (the schedule stored under its id, whether it is this one)."""
        try:
            await self._sends.insert_one(new_document_with_events(schedule, [event]))
            created = True
        except DuplicateKeyError:
            created = False
        return await self._sends.find_one({"_id": schedule["_id"]}, _WITHOUT_OUTBOX), created

    async def get(self, account_id: str, schedule_id: str) -> dict | None:
        return await self._sends.find_one({"_id": schedule_id, "account_id": account_id}, _WITHOUT_OUTBOX)

    async def list(self, account_id: str, *, user_id: str | None, status: str | None, limit: int) -> list[dict]:
        query: dict[str, Any] = {"account_id": account_id}
        if user_id is not None:
            query["user_id"] = user_id
        if status is not None:
            query["status"] = status
        return await self._sends.find(query, _WITHOUT_OUTBOX).sort("send_at", DESCENDING).limit(limit).to_list()

    async def change_waiting(self, schedule: dict, fields: dict, event: Envelope) -> dict | None:
        """Apply `fields` to a schedule still waiting as `schedule` shows it (same version); None otherwise."""
        update = update_with_events({"$set": fields, "$inc": {"version": 1}}, [event])
        return _shown(await self._sends.find_one_and_update(
            {"_id": schedule["_id"], "status": SCHEDULED, "version": schedule["version"]},
            update, return_document=ReturnDocument.AFTER,
        ))

    async def cancel(self, schedule: dict, *, at: datetime, by_user_id: str, event: Envelope) -> dict | None:
        update = update_with_events(
            {"$set": {"status": CANCELLED, "cancelled_at": at, "cancelled_by": by_user_id}, "$unset": {"due_at": ""}, "$inc": {"version": 1}},
            [event],
        )
        return _shown(await self._sends.find_one_and_update(
            {"_id": schedule["_id"], "status": SCHEDULED}, update, return_document=ReturnDocument.AFTER
        ))

    async def claim_due(self, *, now: datetime, claimer: str, lease: timedelta) -> dict | None:
        """Take the earliest send due by `now` (or whose last claim's lease ran out) for `lease`."""
        return _shown(await self._sends.find_one_and_update(
            {"due_at": {"$lte": now}},
            {"$set": {"status": STARTING, "due_at": now + lease, "claimed_by": claimer, "claimed_at": now}, "$inc": {"attempts": 1}},
            sort=[("due_at", ASCENDING)], return_document=ReturnDocument.AFTER,
        ))

    async def finish(self, schedule: dict, *, status: str, fields: dict, event: Envelope) -> bool:
        """Record how the claimed start ended, if the claim is still this one's."""
        update = update_with_events({"$set": {"status": status, **fields}, "$unset": {"due_at": ""}}, [event])
        done = await self._sends.update_one(
            {"_id": schedule["_id"], "status": STARTING, "claimed_by": schedule["claimed_by"], "claimed_at": schedule["claimed_at"]}, update
        )
        return done.modified_count == 1

    async def postpone(self, schedule: dict, *, until: datetime, note: str) -> None:
        """Back to waiting until `until` (a limit that resets then refused it)."""
        await self._sends.update_one(
            {"_id": schedule["_id"], "status": STARTING, "claimed_by": schedule["claimed_by"], "claimed_at": schedule["claimed_at"]},
            {"$set": {"status": SCHEDULED, "due_at": until, "postponed_because": note}},
        )
