"""MongoDB persistence of review items: replies a texter judges (maybe a revocation, maybe a wrong number).

An item and its decision are each inserted once, with the event their insert causes (relayed
like messages' events, adapters/outbox.py); the decision's `_id` is the item's, so an item is
decided once however many people click at the same moment. The item document also carries its
decision afterwards (`decided`, and `open_until` removed) for listing and for the sweep."""

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.messaging.adapters.outbox import EVENTS_FIELD, RECORDED_AT_FIELD, RecordedEvents
from services.messaging.adapters.store.common import StoreBase, derived_id, in_account
from services.messaging.adapters.store.messages import HOLDS
from services.messaging.adapters.store.phone_flags import PHONE_FLAGS, _flag_key as phone_flag_key
from shared.events import Envelope
from shared.mongo import CollectionIndexes

REVIEW_ITEMS = "review_items"
REVIEW_DECISIONS = "review_decisions"
REVIEW_HOLDS = "review_holds"  # messages held until an item is decided

REVIEW_EVENT_SOURCES = [REVIEW_ITEMS, REVIEW_DECISIONS]
REVIEW_INDEXES = [
    CollectionIndexes(REVIEW_ITEMS, [IndexModel([("conversation_id", ASCENDING), ("raised_at", ASCENDING)], name="conversation_items")]),
    CollectionIndexes(REVIEW_ITEMS, [IndexModel([("open_until", ASCENDING)], name="open_until", sparse=True)]),
    CollectionIndexes(REVIEW_HOLDS, [IndexModel([("review_item_id", ASCENDING)], name="review_item")]),
    *(CollectionIndexes(source, [IndexModel([(RECORDED_AT_FIELD, ASCENDING)], name="events_at", sparse=True)]) for source in REVIEW_EVENT_SOURCES),
]
_WITHOUT_EVENTS = {EVENTS_FIELD: 0, RECORDED_AT_FIELD: 0}


def review_item_id_for(message_id: str, kind: str) -> str:
    return derived_id("review", message_id, kind)


class ReviewStore(StoreBase):
    def __init__(self, db: AsyncDatabase, recorded: RecordedEvents) -> None:
        super().__init__(db, recorded)
        self._items = db[REVIEW_ITEMS]
        self._decisions = db[REVIEW_DECISIONS]
        self._review_holds = db[REVIEW_HOLDS]
        self._holds = db[HOLDS]
        self._flags = db[PHONE_FLAGS]

    async def add_item(self, item: dict, events: list[Envelope]) -> dict:
        """Insert the item with its events, once; the item as stored."""
        await self._insert_with_events(REVIEW_ITEMS, item, events)
        return await self.item_by_id(item["_id"])

    async def item(self, account_id: str, item_id: str) -> dict | None:
        return in_account(await self.item_by_id(item_id), account_id)

    async def item_by_id(self, item_id: str) -> dict | None:
        return await self._items.find_one({"_id": item_id}, _WITHOUT_EVENTS)

    async def items_of_conversation(self, conversation_id: str, *, limit: int = 200) -> list[dict]:
        cursor = self._items.find({"conversation_id": conversation_id}, _WITHOUT_EVENTS).sort("raised_at", ASCENDING).limit(limit)
        return await cursor.to_list()

    async def items_due(self, at: datetime, *, limit: int = 200) -> list[dict]:
        """Open items whose deadline has come."""
        return await self._items.find({"open_until": {"$lte": at}}, _WITHOUT_EVENTS).limit(limit).to_list()

    async def add_decision(self, decision: dict, events: list[Envelope]) -> tuple[dict, bool]:
        """Record the item's decision, once; (the decision that stands, whether this one is it)."""
        mine = await self._insert_with_events(REVIEW_DECISIONS, decision, events)
        standing = await self._decisions.find_one({"_id": decision["_id"]}, _WITHOUT_EVENTS)
        fields = {name: standing[name] for name in ("decision", "decided_by", "decided_at", "user_id")}
        await self._items.update_one({"_id": decision["_id"]}, {"$set": {"decided": fields}, "$unset": {"open_until": ""}})
        return standing, mine

    # a phone waiting on an item: marked in its flags, cleared only by that item's decision

    async def mark_phone_waiting(self, account_id: str, e164: str, *, item_id: str, deadline: datetime) -> None:
        fields = {"account_id": account_id, "review_item_id": item_id, "review_deadline": deadline}
        await self._flags.update_one({"_id": phone_flag_key(account_id, e164)}, {"$set": fields}, upsert=True)

    async def clear_phone_waiting(self, account_id: str, e164: str, *, item_id: str) -> None:
        await self._flags.update_one(
            {"_id": phone_flag_key(account_id, e164), "review_item_id": item_id},
            {"$unset": {"review_item_id": "", "review_deadline": ""}},
        )

    # messages held until an item is decided (their holds are released early by the decision)

    async def note_held_message(self, *, item_id: str, hold_id: str, message_id: str) -> None:
        document = {"_id": hold_id, "review_item_id": item_id, "message_id": message_id}
        await self._review_holds.update_one({"_id": hold_id}, {"$setOnInsert": document}, upsert=True)

    async def release_held_messages(self, item_id: str, *, at: datetime) -> int:
        """Bring the holds of the item's messages forward to `at`; returns how many."""
        hold_ids = [held["_id"] for held in await self._review_holds.find({"review_item_id": item_id}).to_list()]
        if not hold_ids:
            return 0
        moved = await self._holds.update_many({"_id": {"$in": hold_ids}}, {"$set": {"release_at": at}})
        await self._review_holds.delete_many({"_id": {"$in": hold_ids}})
        return moved.modified_count
