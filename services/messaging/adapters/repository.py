"""MongoDB persistence for messaging: messages, their states, conversations, bulk jobs, read models.

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
import contextlib
import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.messaging.adapters.outbox import EVENTS_FIELD, OUTBOX, PUBLISHED, RECORDED_AT_FIELD, RecordedEvents, with_events
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
BULK_JOBS = "bulk_jobs"
ACCOUNT_SETTINGS = "account_settings"
PHONE_FLAGS = "phone_flags"
SENDER_RATES = "sender_rates"
HOLDS = "holds"

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
        (HOLDS, IndexModel([("release_at", ASCENDING)], name="release_at")),
        (MESSAGE_STATES, IndexModel([("status", ASCENDING), ("at", ASCENDING)], name="status_age")),
        (MESSAGES, IndexModel([("bulk_job_id", ASCENDING)], name="bulk_job", sparse=True)),
        (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("their_number", ASCENDING)], name="thread_number", unique=True)),
        (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("last_activity_at", DESCENDING)], name="latest_activity")),
        (
            CONVERSATIONS,
            IndexModel([("account_id", ASCENDING), ("contact_id", ASCENDING), ("last_activity_at", DESCENDING)], name="inbox"),
        ),
        (PUBLISHED, IndexModel([("at", ASCENDING)], name="published_at")),
        *((source, IndexModel([(RECORDED_AT_FIELD, ASCENDING)], name="events_at", sparse=True)) for source in (MESSAGES, MESSAGE_STATES, NUMBER_REQUESTS)),
        (BULK_JOBS, IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)], name="account_jobs")),
        (CONTACTS_VIEW, IndexModel([("account_id", ASCENDING), ("phones.e164", ASCENDING)], name="phone")),
        (SENDER_NUMBERS, IndexModel([("phone_number", ASCENDING)], name="phone_number")),
        (UNMATCHED_STATUS_LOG, IndexModel([("carrier_sid", ASCENDING)], name="carrier_sid")),
    )
]


WITHOUT_EVENTS = {EVENTS_FIELD: 0, RECORDED_AT_FIELD: 0}
_FIXED_STATES = ("sending", "queued", "sent", "final")
# Long id lists are read in chunks, a few at once: FerretDB checks each document it reads against
# the whole `$in` list, so one list of thousands of ids costs more than several short ones.
ID_LIST_CHUNK = 500
CONCURRENT_ID_READS = 4


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
        self._jobs = db[BULK_JOBS]
        self._settings = db[ACCOUNT_SETTINGS]
        self._flags = db[PHONE_FLAGS]
        self._rates = db[SENDER_RATES]
        self._holds = db[HOLDS]

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

    async def contacts_by_ids(self, account_id: str, contact_ids: list[str]) -> dict[str, dict]:
        """Many contacts of one account at once (deleted ones left out)."""
        found = await self._by_ids(self._contacts, [_contact_key(account_id, contact_id) for contact_id in contact_ids])
        return {
            contact["contact_id"]: contact
            for contact in found.values()
            if contact.get("account_id") == account_id and not contact.get("deleted")
        }

    async def contacts_with_number(self, account_id: str, e164: str) -> list[dict]:
        cursor = self._contacts.find({"account_id": account_id, "phones.e164": e164, "deleted": {"$ne": True}})
        return await cursor.sort("updated_at", DESCENDING).to_list(20)

    # many documents by id at once (the send worker's batches)

    async def _by_ids(self, collection, ids, projection: dict | None = None) -> dict[str, dict]:
        wanted = list(dict.fromkeys(ids))
        chunks = [wanted[start : start + ID_LIST_CHUNK] for start in range(0, len(wanted), ID_LIST_CHUNK)]
        reads = asyncio.Semaphore(CONCURRENT_ID_READS)

        async def read(chunk: list[str]) -> list[dict]:
            async with reads:
                return await collection.find({"_id": {"$in": chunk}}, projection).to_list(None)

        return {document["_id"]: document for found in await asyncio.gather(*map(read, chunks)) for document in found}

    async def messages_by_ids(self, message_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._messages, message_ids, WITHOUT_EVENTS)

    async def messages_with_states(self, message_ids: list[str]) -> set[str]:
        """Which of these messages have moved on from `accepted` (have any state recorded)."""
        state_ids = [f"{message_id}:{key}" for message_id in message_ids for key in (*_FIXED_STATES, "pause:1")]
        return {state["message_id"] for state in (await self._by_ids(self._states, state_ids, {"message_id": 1})).values()}

    async def contact_snapshots(self, contacts: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Contacts by (account id, contact id)."""
        found = await self._by_ids(self._contacts, [_contact_key(account_id, contact_id) for account_id, contact_id in contacts])
        return {(contact["account_id"], contact["contact_id"]): contact for contact in found.values()}

    async def flags_of_recipients(self, recipients: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], dict]:
        """`phone_flags` for many (account id, number, contact id) at once."""
        keys = [key for account_id, e164, contact_id in recipients for key in (_flag_key(account_id, e164), _person_key(account_id, contact_id))]
        found = await self._by_ids(self._flags, keys)
        return {recipient: self.merged_flags(found, *recipient) for recipient in recipients}

    async def jobs_by_ids(self, job_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._jobs, job_ids)

    async def settings_of_accounts(self, account_ids: list[str]) -> dict[str, dict]:
        found = await self._by_ids(self._settings, account_ids)
        return {account_id: found.get(account_id) or {"_id": account_id} for account_id in account_ids}

    async def sender_numbers(self, user_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._senders, user_ids)

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
        """The account's one thread with that number (a contact's phone), created on first use."""
        key = {"account_id": account_id, "their_number": their_number}
        conversation_id = conversation_id_for(account_id, their_number)
        for _ in range(3):
            found = await self._conversations.find_one({"_id": conversation_id})
            if found is not None:
                if contact_id and found.get("contact_id") != contact_id:
                    fields = {"contact_id": contact_id, "phone_id": phone_id}
                    await self._conversations.update_one({"_id": found["_id"]}, {"$set": fields})
                    found.update(fields)
                return found
            document = {
                "_id": conversation_id,
                **key,
                "user_id": user_id,
                "contact_id": contact_id,
                "phone_id": phone_id,
                "created_at": now(),
            }
            try:
                await self._conversations.insert_one(document)
                return document
            except DuplicateKeyError:
                continue  # another request created it at the same moment; now it exists
        raise RuntimeError(f"could not create or find the conversation {key}")

    async def touch_conversations(self, *, account_id: str, user_id: str, messages: list[dict]) -> None:
        """The threads of many new outbound messages (a bulk send): created where missing, each
        showing its message as the latest activity."""
        documents = {
            message["conversation_id"]: {
                "_id": message["conversation_id"],
                "account_id": account_id,
                "their_number": message["to_number"],
                "user_id": user_id,
                "contact_id": message["contact_id"],
                "phone_id": message["phone_id"],
                "created_at": message["created_at"],
                "last_activity_at": message["created_at"],
                "last_message": _last_message(message),
            }
            for message in messages
        }
        if not documents:
            return
        existing: set[str] = set()
        try:
            await self._conversations.insert_many(list(documents.values()), ordered=False)
        except BulkWriteError as error:
            existing = {list(documents)[item["index"]] for item in error.details.get("writeErrors", [])}
        for conversation_id in existing:
            fields = {name: documents[conversation_id][name] for name in ("user_id", "last_activity_at", "last_message")}
            await self._conversations.update_one({"_id": conversation_id}, {"$set": fields})

    async def conversation_for_number(self, *, account_id: str, their_number: str) -> dict | None:
        return await self._conversations.find_one({"_id": conversation_id_for(account_id, their_number)})

    async def conversation(self, account_id: str, conversation_id: str) -> dict | None:
        return _in_account(await self._conversations.find_one({"_id": conversation_id}), account_id)

    async def conversations(
        self, account_id: str, *, limit: int, before: datetime | None, unknown_senders_only: bool = False
    ) -> list[dict]:
        query: dict[str, Any] = {"account_id": account_id, "last_activity_at": {"$ne": None}}
        if before is not None:
            query["last_activity_at"] = {"$lt": before}
        if unknown_senders_only:
            query["contact_id"] = None
        return await self._conversations.find(query).sort("last_activity_at", DESCENDING).to_list(limit)

    async def record_activity(self, conversation_id: str, *, message: dict, our_number: str | None = None) -> None:
        """Last activity and preview; concurrent activity may keep either message (cosmetic only)."""
        fields: dict[str, Any] = {"last_message": _last_message(message)}
        if our_number:
            fields["our_number"] = our_number
        if message["direction"] == "outbound":
            fields["user_id"] = message["user_id"]
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
        document = _state_document(message, state, details)
        if not await self._insert_with_events(MESSAGE_STATES, document, list(events)):
            return None
        if message.get("bulk_job_id"):
            counters = job_counters(state.status, document)
            if counters:
                await self._jobs.update_one({"_id": message["bulk_job_id"]}, {"$inc": counters})
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
            if document.get("bulk_job_id"):
                totals = per_job.setdefault(document["bulk_job_id"], {})
                for name, count in job_counters(document["status"], document).items():
                    totals[name] = totals.get(name, 0) + count
        for job_id, counters in per_job.items():
            if counters:
                await self._jobs.update_one({"_id": job_id}, {"$inc": counters})
        return {document["message_id"]: document for document in inserted}

    async def states_of(self, message_id: str) -> list[dict]:
        """The states that decide where the message stands, in order: looked up by id (see the
        module's note), skipping rounds that cannot matter (waiting before any sending state,
        takeovers only while it is being sent)."""
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

    async def waiting_states(self, user_id: str) -> list[dict]:
        return await self._states.find({"user_id": user_id, "status": "waiting_for_number"}, WITHOUT_EVENTS).to_list(None)

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

    async def extend_lease(self, state_id: str, until: datetime) -> bool:
        """Extend a claim's lease, unless it has run out already (then another worker may take
        the message over, and the claim's holder must not call the carrier again)."""
        extended = await self._states.update_one(
            {"_id": state_id, "lease.until": {"$gt": now()}}, {"$set": {"lease.until": until}}
        )
        return extended.modified_count == 1

    async def states_by_worker(self, worker_marker: str, limit: int = 10) -> list[dict]:
        """Sending states claimed by workers whose id contains `worker_marker` (for operators and tests)."""
        query = {"status": "sending", "lease.by": {"$regex": re.escape(worker_marker)}}
        return await self._states.find(query, WITHOUT_EVENTS).to_list(limit)

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

    async def states_older_than(self, statuses: list[str], before: datetime, limit: int = 200) -> list[dict]:
        query = {"status": {"$in": statuses}, "at": {"$lte": before}, "reconciled_at": None}
        return await self._states.find(query, WITHOUT_EVENTS).to_list(limit)

    async def mark_reconciled(self, state_id: str) -> None:
        await self._states.update_one({"_id": state_id}, {"$set": {"reconciled_at": now()}})

    # messages of a bulk job, inserted many at a time

    async def add_messages(self, documents: list[dict], events: list[Envelope], *, chunk: int = 1000) -> int:
        """Insert messages (one event each) `chunk` at a time, publishing each chunk's events while the
        next is written; ids taken already are skipped. Returns how many are new."""
        recorded = [with_events(document, [event]) for document, event in zip(documents, events, strict=True)]
        publishing, added = [], 0
        try:
            for start in range(0, len(recorded), chunk):
                inserted = await self._insert_new(self._messages, recorded[start : start + chunk])
                publishing.append(asyncio.create_task(self._recorded.publish_now(MESSAGES, inserted)))
                added += len(inserted)
        finally:
            await asyncio.gather(*publishing)
        return added

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

    # bulk jobs: counters moved by atomic $inc

    async def add_job(self, job: dict) -> dict:
        try:
            await self._jobs.insert_one(job)
            return job
        except DuplicateKeyError:
            return await self._jobs.find_one({"_id": job["_id"]})

    async def job(self, account_id: str, job_id: str) -> dict | None:
        return _in_account(await self._jobs.find_one({"_id": job_id}), account_id)

    async def job_by_id(self, job_id: str) -> dict | None:
        return await self._jobs.find_one({"_id": job_id})

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

    async def job_states(self, job_id: str) -> list[dict]:
        """Every state the job's messages reached: what its counters count, and when."""
        projection = {"status": 1, "skip_reason": 1, "rejected": 1, "at": 1}
        return await self._states.find({"bulk_job_id": job_id}, projection).to_list(None)

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

    # account settings and the account's A2P registration state

    async def account_settings(self, account_id: str) -> dict:
        return await self._settings.find_one({"_id": account_id}) or {"_id": account_id}

    async def save_account_settings(self, account_id: str, fields: dict) -> dict:
        await self._settings.update_one({"_id": account_id}, {"$set": {**fields, "updated_at": now()}}, upsert=True)
        return await self.account_settings(account_id)

    async def save_registration(self, account_id: str, *, state: str, at: datetime) -> None:
        """Keep the newest registration state (events may arrive out of order)."""
        fields = {"registration_state": state, "registration_at": at}
        updated = await self._settings.update_one(
            {"_id": account_id, "$or": [{"registration_at": None}, {"registration_at": {"$lte": at}}]}, {"$set": fields}
        )
        if updated.matched_count == 0:
            with contextlib.suppress(DuplicateKeyError):
                await self._settings.insert_one({"_id": account_id, **fields})

    # phone flags: what messaging learnt itself about a number or a person (opt-outs, carrier errors)

    async def phone_flags(self, account_id: str, e164: str, contact_id: str | None) -> dict:
        keys = [_flag_key(account_id, e164)] + ([_person_key(account_id, contact_id)] if contact_id else [])
        found = await asyncio.gather(*(self._flags.find_one({"_id": key}) for key in keys))
        merged: dict[str, Any] = {}
        for flags in found:
            merged.update({name: value for name, value in (flags or {}).items() if value not in (None, False)})
        return merged

    async def flags_of_contacts(self, account_id: str, contacts: list[dict]) -> dict[str, dict]:
        """`phone_flags` for every phone and person of many contacts, in one read (keyed by flag id)."""
        keys = [_person_key(account_id, contact["contact_id"]) for contact in contacts]
        keys += [_flag_key(account_id, phone["e164"]) for contact in contacts for phone in contact.get("phones", [])]
        if not keys:
            return {}
        found = await self._by_ids(self._flags, keys)
        return {key: flags for key, flags in found.items() if flags.get("account_id") == account_id}

    @staticmethod
    def merged_flags(found: dict[str, dict], account_id: str, e164: str, contact_id: str) -> dict:
        merged: dict[str, Any] = {}
        for key in (_flag_key(account_id, e164), _person_key(account_id, contact_id)):
            merged.update({name: value for name, value in (found.get(key) or {}).items() if value not in (None, False)})
        return merged

    async def flag_phone(self, account_id: str, e164: str, **fields) -> None:
        fields = {**fields, "account_id": account_id, "at": now()}
        await self._flags.update_one({"_id": _flag_key(account_id, e164)}, {"$set": fields}, upsert=True)

    async def flag_person(self, account_id: str, contact_id: str, **fields) -> None:
        fields = {**fields, "account_id": account_id, "at": now()}
        await self._flags.update_one({"_id": _person_key(account_id, contact_id)}, {"$set": fields}, upsert=True)

    # sender rates: the next free moment of each sender number, moved by compare-and-set

    async def reserve_send_slot(self, phone_number: str, *, at: datetime, cost: timedelta, horizon: timedelta) -> datetime:
        """The moment this number may send `cost` worth of segments: reserved if within `horizon` of `at`,
        else only reported (a message that must wait that long is held rather than reserving)."""
        while True:
            found = await self._rates.find_one({"_id": phone_number})
            free_at = max(found["next_at"].replace(tzinfo=UTC), at) if found else at
            if free_at - at > horizon:
                return free_at
            if found is None:
                try:
                    await self._rates.insert_one({"_id": phone_number, "next_at": free_at + cost})
                    return free_at
                except DuplicateKeyError:
                    continue
            moved = await self._rates.update_one(
                {"_id": phone_number, "next_at": found["next_at"]}, {"$set": {"next_at": free_at + cost}}
            )
            if moved.modified_count == 1:
                return free_at

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

    async def sids_with_unmatched_statuses(self, carrier_sids: list[str]) -> set[str]:
        """Which of these sids had status callbacks arrive before their message's sid was recorded."""
        if not carrier_sids:
            return set()
        logged = self._unmatched_statuses.find({"carrier_sid": {"$in": carrier_sids}}, {"carrier_sid": 1})
        return {entry["carrier_sid"] async for entry in logged}

    async def forget_unmatched_statuses(self, carrier_sid: str) -> None:
        await self._unmatched_statuses.delete_many({"carrier_sid": carrier_sid})


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


def conversation_id_for(account_id: str, their_number: str) -> str:
    return derived_id("conversation", account_id, their_number)


def _last_message(message: dict) -> dict:
    return {
        "message_id": message["_id"],
        "direction": message["direction"],
        "body": message["body"][:160],
        "at": message["created_at"],
    }


def _flag_key(account_id: str, e164: str) -> str:
    return f"{account_id}:{e164}"


def _person_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:contact:{contact_id}"


def _contact_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:{contact_id}"
