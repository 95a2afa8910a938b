"""MongoDB persistence for messaging: messages, their states, conversations, read models.

Written for FerretDB v1 (SQLite) as much as for MongoDB:
- its updates are not atomic (see domain/lifecycle.py), so the documents whose
  insert causes events (messages, message_states, number_requests) record those
  events and are never changed by the service afterwards (adapters/outbox.py).
  Documents that are updated (conversations, read models) cause no events, and
  each has one writer at a time or tolerates a lost update (a conversation's last
  activity);
- it only uses an index for a filter that is exactly `{"_id": value}`; anything
  else reads the whole collection. So the hot paths look documents up by an `_id`
  derived from what identifies them (the idempotency key, the thread, the state),
  and check the account in code. The secondary indexes serve MongoDB.
"""

import asyncio
import hashlib
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.outbox import EVENTS_FIELD, OUTBOX, RELAYED_FIELD, RecordedEvents, with_events
from services.messaging.domain.lifecycle import State
from shared.events import Envelope
from shared.mongo import CollectionIndexes

MESSAGES = "messages"
MESSAGE_STATES = "message_states"
NUMBER_REQUESTS = "number_requests"
CONVERSATIONS = "conversations"
CONVERSATION_READS = "conversation_reads"
CONTACTS_VIEW = "contacts_view"
SENDER_NUMBERS = "sender_numbers"
UNKNOWN_NUMBER_LOG = "inbound_to_unknown_numbers"
UNMATCHED_STATUS_LOG = "unmatched_status_callbacks"
CARRIER_SIDS = "carrier_sids"

EVENT_SOURCES = [MESSAGES, MESSAGE_STATES, NUMBER_REQUESTS]
OUTBOX_COLLECTIONS = [OUTBOX]

# One index per declaration: FerretDB v1.24 drops the connection (a server panic) when a single
# createIndexes command names several indexes that already exist, i.e. on every restart.
INDEXES = [
    CollectionIndexes(collection, [index])
    for collection, index in (
        (MESSAGES, IndexModel([("account_id", ASCENDING), ("idempotency_key", ASCENDING)], name="idempotency", unique=True)),
        (MESSAGES, IndexModel([("conversation_id", ASCENDING), ("created_at", ASCENDING)], name="conversation_time")),
        (MESSAGE_STATES, IndexModel([("message_id", ASCENDING)], name="message")),
        (MESSAGE_STATES, IndexModel([("carrier_sid", ASCENDING)], name="carrier_sid")),
        (MESSAGE_STATES, IndexModel([("user_id", ASCENDING), ("status", ASCENDING)], name="user_status")),
        (
            CONVERSATIONS,
            IndexModel(
                [("account_id", ASCENDING), ("user_id", ASCENDING), ("their_number", ASCENDING)], name="thread", unique=True
            ),
        ),
        (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("last_activity_at", DESCENDING)], name="latest_activity")),
        (CONTACTS_VIEW, IndexModel([("account_id", ASCENDING), ("phones.e164", ASCENDING)], name="phone")),
        (SENDER_NUMBERS, IndexModel([("phone_number", ASCENDING)], name="phone_number")),
        (UNMATCHED_STATUS_LOG, IndexModel([("carrier_sid", ASCENDING)], name="carrier_sid")),
    )
]


WITHOUT_EVENTS = {EVENTS_FIELD: 0, RELAYED_FIELD: 0}
_FIXED_STATES = ("sending", "queued", "sent", "final")


def now() -> datetime:
    return datetime.now(UTC)


def derived_id(*parts: str) -> str:
    """A stable id for whatever `parts` identify (a message by its idempotency key, a thread by its numbers)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def message_id_for(account_id: str, idempotency_key: str) -> str:
    return derived_id("message", account_id, idempotency_key)


def _in_account(document: dict | None, account_id: str) -> dict | None:
    return document if document is not None and document.get("account_id") == account_id else None


class DuplicateMessage(Exception):
    pass


class MessagingStore:
    """The messaging database, as the handlers need it."""

    def __init__(self, db: AsyncDatabase, recorded: RecordedEvents) -> None:
        self._db = db
        self._recorded = recorded
        self._messages = db[MESSAGES]
        self._states = db[MESSAGE_STATES]
        self._conversations = db[CONVERSATIONS]
        self._reads = db[CONVERSATION_READS]
        self._contacts = db[CONTACTS_VIEW]
        self._senders = db[SENDER_NUMBERS]
        self._unknown_numbers = db[UNKNOWN_NUMBER_LOG]
        self._unmatched_statuses = db[UNMATCHED_STATUS_LOG]
        self._carrier_sids = db[CARRIER_SIDS]

    # contacts_view: the newest snapshot of each contact, per account (one consumer per contact)

    async def contact(self, account_id: str, contact_id: str) -> dict | None:
        return await self._contacts.find_one({"_id": _contact_key(account_id, contact_id)})

    async def save_contact_snapshot(self, account_id: str, snapshot: dict[str, Any], revision: int, *, deleted: bool) -> bool:
        """Keep `snapshot` unless a snapshot of the same or a newer revision is already kept.
        One consumer handles a contact's events (they are keyed by contact), so read-then-write is safe."""
        key = _contact_key(account_id, snapshot["contact_id"])
        kept = await self._contacts.find_one({"_id": key})
        if kept is not None and kept["revision"] >= revision:
            return False  # this event arrived late
        fields = {**snapshot, "account_id": account_id, "revision": revision, "deleted": deleted, "updated_at": now()}
        if kept is None:
            try:
                await self._contacts.insert_one({"_id": key, **fields})
                return True
            except DuplicateKeyError:
                return await self.save_contact_snapshot(account_id, snapshot, revision, deleted=deleted)
        await self._contacts.update_one({"_id": key}, {"$set": fields})
        return True

    async def contacts_with_number(self, account_id: str, e164: str) -> list[dict]:
        cursor = self._contacts.find({"account_id": account_id, "phones.e164": e164, "deleted": {"$ne": True}})
        return await cursor.sort("updated_at", DESCENDING).to_list(20)

    # sender_numbers: each user's own number (one consumer per user)

    async def sender_number(self, user_id: str) -> dict | None:
        return await self._senders.find_one({"_id": user_id})

    async def owner_of_number(self, phone_number: str) -> dict | None:
        found = await self._senders.find({"phone_number": phone_number}).sort("updated_at", DESCENDING).to_list(1)
        return found[0] if found else None

    async def save_sender_number(self, *, user_id: str, account_id: str, phone_number: str, number_id: str) -> None:
        fields = {"account_id": account_id, "phone_number": phone_number, "number_id": number_id, "updated_at": now()}
        await self._senders.update_one({"_id": user_id}, {"$set": fields}, upsert=True)

    async def remove_sender_number(self, *, user_id: str, phone_number: str) -> None:
        await self._senders.delete_one({"_id": user_id, "phone_number": phone_number})

    # number_requests: at most one number.needed per user per window

    async def number_request(self, user_id: str, window: int) -> dict | None:
        return await self._db[NUMBER_REQUESTS].find_one({"_id": f"{user_id}:{window}"}, WITHOUT_EVENTS)

    async def request_number(self, *, user_id: str, account_id: str, window: int, event: Envelope) -> bool:
        """Record `event` (number.needed) unless this user's request for `window` is recorded already."""
        document = {"_id": f"{user_id}:{window}", "user_id": user_id, "account_id": account_id, "at": now()}
        return await self._insert_with_events(NUMBER_REQUESTS, document, [event])

    # conversations

    async def conversation_for(
        self, *, account_id: str, user_id: str, their_number: str, contact_id: str | None, phone_id: str | None
    ) -> dict:
        """The thread between this user and that number, created on first use."""
        key = {"account_id": account_id, "user_id": user_id, "their_number": their_number}
        conversation_id = derived_id("conversation", account_id, user_id, their_number)
        for _ in range(3):
            found = await self._conversations.find_one({"_id": conversation_id})
            if found is not None:
                if contact_id and found.get("contact_id") != contact_id:
                    fields = {"contact_id": contact_id, "phone_id": phone_id}
                    await self._conversations.update_one({"_id": found["_id"]}, {"$set": fields})
                    found.update(fields)
                return found
            document = {"_id": conversation_id, **key, "contact_id": contact_id, "phone_id": phone_id, "created_at": now()}
            try:
                await self._conversations.insert_one(document)
                return document
            except DuplicateKeyError:
                continue  # another request created it at the same moment; now it exists
        raise RuntimeError(f"could not create or find the conversation {key}")

    async def conversation_for_number(self, *, account_id: str, user_id: str, their_number: str) -> dict | None:
        return await self._conversations.find_one({"_id": derived_id("conversation", account_id, user_id, their_number)})

    async def conversation(self, account_id: str, conversation_id: str) -> dict | None:
        return _in_account(await self._conversations.find_one({"_id": conversation_id}), account_id)

    async def conversations(self, account_id: str, *, limit: int, before: datetime | None) -> list[dict]:
        query: dict[str, Any] = {"account_id": account_id, "last_activity_at": {"$ne": None}}
        if before is not None:
            query["last_activity_at"] = {"$lt": before}
        return await self._conversations.find(query).sort("last_activity_at", DESCENDING).to_list(limit)

    async def record_activity(self, conversation_id: str, *, message: dict, our_number: str | None = None) -> None:
        """Last activity and preview; concurrent activity may keep either message (cosmetic only)."""
        fields: dict[str, Any] = {
            "last_message": {
                "message_id": message["_id"],
                "direction": message["direction"],
                "body": message["body"][:160],
                "at": message["created_at"],
            }
        }
        if our_number:
            fields["our_number"] = our_number
        conversation = await self._conversations.find_one({"_id": conversation_id}, {"last_activity_at": 1})
        latest = conversation.get("last_activity_at") if conversation else None
        if latest is None or latest <= message["created_at"]:
            await self._conversations.update_one({"_id": conversation_id}, {"$set": {**fields, "last_activity_at": message["created_at"]}})

    async def mark_read(self, conversation_id: str, user_id: str) -> None:
        await self._reads.update_one({"_id": f"{conversation_id}:{user_id}"}, {"$set": {"at": now()}}, upsert=True)

    async def unread_counts(self, conversation_ids: list[str], user_id: str) -> dict[str, int]:
        """Replies this user has not read, per conversation (one pass over the replies)."""
        reads = await asyncio.gather(*(self._reads.find_one({"_id": f"{cid}:{user_id}"}) for cid in conversation_ids))
        read_at = {cid: read["at"] for cid, read in zip(conversation_ids, reads, strict=True) if read}
        counts = dict.fromkeys(conversation_ids, 0)
        replies = self._messages.find(
            {"conversation_id": {"$in": conversation_ids}, "direction": "inbound"}, {"conversation_id": 1, "created_at": 1}
        )
        async for reply in replies:
            if reply["conversation_id"] not in read_at or reply["created_at"] > read_at[reply["conversation_id"]]:
                counts[reply["conversation_id"]] += 1
        return counts

    # messages: written once, with the event their arrival causes

    async def add_message(self, document: dict, events: list[Envelope]) -> dict:
        """Insert a message with its events; DuplicateMessage when its idempotency key is taken."""
        if not await self._insert_with_events(MESSAGES, document, events):
            raise DuplicateMessage(document["idempotency_key"])
        return document

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

    async def message_by_key(self, account_id: str, idempotency_key: str) -> dict | None:
        return await self.message(account_id, message_id_for(account_id, idempotency_key))

    async def message(self, account_id: str, message_id: str) -> dict | None:
        return _in_account(await self.message_by_id(message_id), account_id)

    async def message_by_id(self, message_id: str) -> dict | None:
        return await self._messages.find_one({"_id": message_id}, WITHOUT_EVENTS)

    async def conversation_messages(self, conversation_id: str, *, limit: int, after: datetime | None) -> list[dict]:
        query: dict[str, Any] = {"conversation_id": conversation_id}
        if after is not None:
            query["created_at"] = {"$gt": after}
        return await self._messages.find(query).sort([("created_at", ASCENDING), ("_id", ASCENDING)]).to_list(limit)

    # message_states: one insert per state reached

    async def add_state(self, message: dict, state: State, *, details: dict | None = None, events: list[Envelope] = ()) -> dict | None:
        """Record that `message` reached `state` (with its events); None if that state was recorded already."""
        document = {
            "_id": f"{message['_id']}:{state.key}",
            "message_id": message["_id"],
            "account_id": message["account_id"],
            "user_id": message["user_id"],
            "key": state.key,
            "status": state.status,
            "step": state.step,
            "at": now(),
            **(details or {}),
        }
        return document if await self._insert_with_events(MESSAGE_STATES, document, list(events)) else None

    async def states_of(self, message_id: str) -> list[dict]:
        """The states that decide where the message stands, in order: looked up by id (see the
        module's note), skipping rounds that cannot matter (waiting before any sending state,
        takeovers only while it is being sent)."""
        fixed = [state for state in await asyncio.gather(*(self._state(f"{message_id}:{key}") for key in _FIXED_STATES)) if state]
        keys = {state["key"] for state in fixed}
        if not keys:
            rounds = await asyncio.gather(self._rounds(message_id, "waiting"), self._rounds(message_id, "released"))
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

    async def waiting_states(self, user_id: str) -> list[dict]:
        return await self._states.find({"user_id": user_id, "status": "waiting_for_number"}, WITHOUT_EVENTS).to_list(None)

    async def remember_carrier_sid(self, carrier_sid: str, message_id: str) -> str:
        """Which message a carrier sid belongs to; returns the message it was first remembered for."""
        try:
            await self._carrier_sids.insert_one({"_id": carrier_sid, "message_id": message_id, "at": now()})
            return message_id
        except DuplicateKeyError:
            return await self.message_id_of_sid(carrier_sid)

    async def message_id_of_sid(self, carrier_sid: str) -> str | None:
        found = await self._carrier_sids.find_one({"_id": carrier_sid})
        return found["message_id"] if found else None

    async def extend_lease(self, state_id: str, until: datetime) -> bool:
        """Extend a claim's lease, unless it has run out already (then another worker may take
        the message over, and the claim's holder must not call the carrier again)."""
        extended = await self._states.update_one(
            {"_id": state_id, "lease.until": {"$gt": now()}}, {"$set": {"lease.until": until}}
        )
        return extended.modified_count == 1

    # logs of webhooks that matched nothing here

    async def log_unknown_number(self, carrier_sid: str, params: dict) -> None:
        try:
            await self._unknown_numbers.insert_one({"_id": carrier_sid, "params": params, "at": now()})
        except DuplicateKeyError:
            pass

    async def log_unmatched_status(self, carrier_sid: str, params: dict) -> None:
        await self._unmatched_statuses.insert_one({"carrier_sid": carrier_sid, "params": params, "at": now()})

    async def unmatched_statuses(self, carrier_sid: str) -> list[dict]:
        return await self._unmatched_statuses.find({"carrier_sid": carrier_sid}).sort("at", ASCENDING).to_list(None)

    async def forget_unmatched_statuses(self, carrier_sid: str) -> None:
        await self._unmatched_statuses.delete_many({"carrier_sid": carrier_sid})


def _contact_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:{contact_id}"
