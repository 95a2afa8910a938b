"""Messages (written once, with the event their arrival causes) and the states they reach
(one insert per state), the carrier sids they were sent as, and the holds that wait to release them."""

import asyncio
import contextlib
import re
from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.outcomes import count_outcome
from services.messaging.adapters.outbox import with_events
from services.messaging.adapters.store.bulk_jobs import BULK_JOBS, job_counters
from services.messaging.adapters.store.common import WITHOUT_EVENTS, Indexes, StoreBase, derived_id, in_account, now
from services.messaging.domain.lifecycle import State
from shared.events import Envelope
from shared.tracing import TRACE_FIELD, current_trace_context

MESSAGES = "messages"
MESSAGE_STATES = "message_states"
CARRIER_SIDS = "carrier_sids"
HOLDS = "holds"

INDEXES: Indexes = [
    (MESSAGES, IndexModel([("account_id", ASCENDING), ("idempotency_key", ASCENDING)], name="idempotency", unique=True)),
    (MESSAGES, IndexModel([("conversation_id", ASCENDING), ("created_at", ASCENDING)], name="conversation_time")),
    (MESSAGE_STATES, IndexModel([("message_id", ASCENDING)], name="message")),
    (MESSAGE_STATES, IndexModel([("carrier_sid", ASCENDING)], name="carrier_sid")),
    (MESSAGE_STATES, IndexModel([("user_id", ASCENDING), ("status", ASCENDING)], name="user_status")),
    (HOLDS, IndexModel([("release_at", ASCENDING)], name="release_at")),
    (MESSAGE_STATES, IndexModel([("status", ASCENDING), ("at", ASCENDING)], name="status_age")),
    (MESSAGES, IndexModel([("bulk_job_id", ASCENDING)], name="bulk_job", sparse=True)),
]

_FIXED_STATES = ("sending", "queued", "sent", "final")


def message_id_for(account_id: str, idempotency_key: str) -> str:
    return derived_id("message", account_id, idempotency_key)


class DuplicateMessage(Exception):
    pass


class MessageStore(StoreBase):
    @cached_property
    def _messages(self):
        return self._db[MESSAGES]

    @cached_property
    def _states(self):
        return self._db[MESSAGE_STATES]

    @cached_property
    def _carrier_sids(self):
        return self._db[CARRIER_SIDS]

    @cached_property
    def _holds(self):
        return self._db[HOLDS]

    @cached_property
    def _job_counters(self):
        """The bulk jobs whose counters a message's new state moves."""
        return self._db[BULK_JOBS]

    # messages

    async def add_message(self, document: dict, events: list[Envelope]) -> dict:
        """Insert a message with its events; DuplicateMessage when its idempotency key is taken."""
        document = {**document, TRACE_FIELD: current_trace_context()}  # for its callbacks' traces to link to
        if not await self._insert_with_events(MESSAGES, document, events):
            raise DuplicateMessage(document["idempotency_key"])
        return document

    async def add_messages(self, documents: list[dict], events: list[Envelope], *, chunk: int = 1000) -> int:
        """Insert messages (one event each) `chunk` at a time, publishing each chunk's events while the
        next is written; ids taken already are skipped. Returns how many are new."""
        carried = current_trace_context()  # for their callbacks' traces to link to
        recorded = [with_events({**document, TRACE_FIELD: carried}, [event]) for document, event in zip(documents, events, strict=True)]
        publishing, added = [], 0
        try:
            for start in range(0, len(recorded), chunk):
                inserted = await self._insert_new(self._messages, recorded[start : start + chunk])
                publishing.append(asyncio.create_task(self._recorded.publish_now(MESSAGES, inserted)))
                added += len(inserted)
        finally:
            await asyncio.gather(*publishing)
        return added

    async def message_by_key(self, account_id: str, idempotency_key: str) -> dict | None:
        return await self.message(account_id, message_id_for(account_id, idempotency_key))

    async def message(self, account_id: str, message_id: str) -> dict | None:
        return in_account(await self.message_by_id(message_id), account_id)

    async def message_by_id(self, message_id: str) -> dict | None:
        return await self._messages.find_one({"_id": message_id}, WITHOUT_EVENTS)

    async def messages_by_ids(self, message_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._messages, message_ids, WITHOUT_EVENTS)

    async def conversation_messages(self, conversation_id: str, *, limit: int, after: datetime | None) -> list[dict]:
        query: dict[str, Any] = {"conversation_id": conversation_id}
        if after is not None:
            query["created_at"] = {"$gt": after}
        return await self._messages.find(query).sort([("created_at", ASCENDING), ("_id", ASCENDING)]).to_list(limit)

    async def trace_of_latest_outbound(self, conversation_id: str) -> dict[str, str] | None:
        """The stored trace context of the thread's latest outbound text (the one a reply answers)."""
        latest = await self._messages.find(
            {"conversation_id": conversation_id, "direction": "outbound"}, {TRACE_FIELD: 1}
        ).sort([("created_at", DESCENDING)]).limit(1).to_list(1)
        return latest[0].get(TRACE_FIELD) if latest else None

    # message_states: one insert per state reached

    async def add_state(self, message: dict, state: State, *, details: dict | None = None, events: list[Envelope] = ()) -> dict | None:
        """Record that `message` reached `state` (with its events); None if that state was recorded already."""
        document = _state_document(message, state, details)
        if not await self._insert_with_events(MESSAGE_STATES, document, list(events)):
            return None
        count_outcome(document)
        if message.get("bulk_job_id"):
            counters = job_counters(state.status, document)
            if counters:
                await self._job_counters.update_one({"_id": message["bulk_job_id"]}, {"$inc": counters})
        return document

    async def add_states(self, reached: list[tuple[dict, State, dict | None, list[Envelope]]]) -> dict[str, dict]:
        """`add_state` for many messages in one insert, their events published together and one
        counter update per bulk job; returns the states recorded now, by message id (a state
        recorded already is left out)."""
        documents = [with_events(_state_document(message, state, details), list(events)) for message, state, details, events in reached]
        inserted = await self._insert_new(self._states, documents)
        await self._recorded.publish_now(MESSAGE_STATES, inserted)
        per_job: dict[str, dict[str, int]] = {}
        for document in inserted:
            count_outcome(document)
            if document.get("bulk_job_id"):
                totals = per_job.setdefault(document["bulk_job_id"], {})
                for name, count in job_counters(document["status"], document).items():
                    totals[name] = totals.get(name, 0) + count
        for job_id, counters in per_job.items():
            if counters:
                await self._job_counters.update_one({"_id": job_id}, {"$inc": counters})
        return {document["message_id"]: document for document in inserted}

    async def states_of(self, message_id: str) -> list[dict]:
        """The states that decide where the message stands, in order: looked up by id (see the
        note in store/common.py), skipping rounds that cannot matter (waiting before any sending
        state, takeovers only while it is being sent)."""
        fixed = [state for state in await asyncio.gather(*(self._state(f"{message_id}:{key}") for key in _FIXED_STATES)) if state]
        keys = {state["key"] for state in fixed}
        if not keys:
            rounds = await asyncio.gather(self._rounds(message_id, "pause"), self._rounds(message_id, "released"))
        elif keys == {"sending"}:
            rounds = [await self._rounds(message_id, "takeover")]
        else:
            rounds = []
        return sorted(fixed + [state for found in rounds for state in found], key=lambda state: state["step"])

    async def _state(self, state_id: str) -> dict | None:
        return await self._states.find_one({"_id": state_id}, WITHOUT_EVENTS)

    async def _rounds(self, message_id: str, kind: str) -> list[dict]:
        found = []
        while state := await self._state(f"{message_id}:{kind}:{len(found) + 1}"):
            found.append(state)
        return found

    async def states_of_many(self, message_ids: list[str]) -> dict[str, list[dict]]:
        """For lists: one pass over the states rather than a look-up per message."""
        found: dict[str, list[dict]] = {message_id: [] for message_id in message_ids}
        if message_ids:
            async for state in self._states.find({"message_id": {"$in": message_ids}}, WITHOUT_EVENTS):
                found[state["message_id"]].append(state)
        return {message_id: sorted(states, key=lambda s: s["step"]) for message_id, states in found.items()}

    async def messages_with_states(self, message_ids: list[str]) -> set[str]:
        """Which of these messages have moved on from `accepted` (have any state recorded)."""
        state_ids = [f"{message_id}:{key}" for message_id in message_ids for key in (*_FIXED_STATES, "pause:1")]
        return {state["message_id"] for state in (await self._by_ids(self._states, state_ids, {"message_id": 1})).values()}

    async def waiting_states(self, user_id: str) -> list[dict]:
        return await self._states.find({"user_id": user_id, "status": "waiting_for_number"}, WITHOUT_EVENTS).to_list(None)

    async def job_states(self, job_id: str) -> list[dict]:
        """Every state the job's messages reached: what its counters count, and when."""
        projection = {"status": 1, "skip_reason": 1, "rejected": 1, "at": 1}
        return await self._states.find({"bulk_job_id": job_id}, projection).to_list(None)

    async def extend_lease(self, state_id: str, until: datetime) -> bool:
        """Extend a claim's lease, unless it has run out already (then another worker may take
        the message over, and the claim's holder must not call the carrier again)."""
        extended = await self._states.update_one(
            {"_id": state_id, "lease.until": {"$gt": now()}}, {"$set": {"lease.until": until}}
        )
        return extended.modified_count == 1

    async def release_lease(self, state_id: str) -> None:
        """End a claim's lease now (its holder will not call the carrier for it)."""
        await self._states.update_one({"_id": state_id, "lease.until": {"$gt": now()}}, {"$set": {"lease.until": now()}})

    async def states_by_worker(self, worker_marker: str, limit: int = 10) -> list[dict]:
        """Sending states claimed by workers whose id contains `worker_marker` (for operators and tests)."""
        query = {"status": "sending", "lease.by": {"$regex": re.escape(worker_marker)}}
        return await self._states.find(query, WITHOUT_EVENTS).to_list(limit)

    async def states_older_than(self, statuses: list[str], before: datetime, limit: int = 200) -> list[dict]:
        query = {"status": {"$in": statuses}, "at": {"$lte": before}, "reconciled_at": None}
        return await self._states.find(query, WITHOUT_EVENTS).to_list(limit)

    async def mark_reconciled(self, state_id: str) -> None:
        await self._states.update_one({"_id": state_id}, {"$set": {"reconciled_at": now()}})

    # carrier sids: which message each sid the carrier gave belongs to

    async def remember_carrier_sid(self, carrier_sid: str, message_id: str) -> str:
        """Which message a carrier sid belongs to; returns the message it was first remembered for."""
        try:
            await self._carrier_sids.insert_one({"_id": carrier_sid, "message_id": message_id, "at": now()})
            return message_id
        except DuplicateKeyError:
            return await self.message_id_of_sid(carrier_sid)

    async def remember_carrier_sids(self, owners: dict[str, str]) -> dict[str, str]:
        """`remember_carrier_sid` for many carrier sids (sid -> message id) in one insert."""
        at = now()
        documents = [{"_id": sid, "message_id": message_id, "at": at} for sid, message_id in owners.items()]
        inserted = {document["_id"] for document in await self._insert_new(self._carrier_sids, documents)}
        taken = [sid for sid in owners if sid not in inserted]
        remembered = {sid: document["message_id"] for sid, document in (await self._by_ids(self._carrier_sids, taken)).items()}
        return {sid: owners[sid] if sid in inserted else remembered.get(sid) for sid in owners}

    async def message_id_of_sid(self, carrier_sid: str) -> str | None:
        found = await self._carrier_sids.find_one({"_id": carrier_sid})
        return found["message_id"] if found else None

    # holds: messages waiting for quiet hours or their sender's rate

    async def add_hold(self, state_id: str, *, message_id: str, key: str, release_at: datetime) -> None:
        """Note a hold in the small collection the releaser reads (before its state is recorded)."""
        document = {"_id": state_id, "message_id": message_id, "key": key, "release_at": release_at, "at": now()}
        with contextlib.suppress(DuplicateKeyError):
            await self._holds.insert_one(document)

    async def holds_due(self, until: datetime, limit: int = 500) -> list[dict]:
        """Holds (quiet hours, sender rate) whose time has come."""
        return await self._holds.find({"release_at": {"$lte": until}}).sort("release_at", ASCENDING).to_list(limit)

    async def drop_hold(self, state_id: str) -> None:
        await self._holds.delete_one({"_id": state_id})


def _state_document(message: dict, state: State, details: dict | None) -> dict:
    return {
        "_id": f"{message['_id']}:{state.key}",
        "message_id": message["_id"],
        "account_id": message["account_id"],
        "user_id": message["user_id"],
        "key": state.key,
        "status": state.status,
        "step": state.step,
        "at": now(),
        "bulk_job_id": message.get("bulk_job_id"),
        **(details or {}),
    }
