"""MongoDB repositories beyond lines: the contacts read model, account settings, and calls."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.numbers.domain.calls import CallRecord, ContactCard, ContactPhone
from services.numbers.domain.lines import DeactivationPolicy
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import new_document_with_events, update_with_events

CONTACTS_VIEW = "contacts_view"
# Contacts by `account_id:e164`, so a caller is recognised by `_id` alone.
CONTACT_NUMBERS = "contact_numbers"
ACCOUNT_SETTINGS = "account_settings"
CALLS = "calls"

RECORD_INDEXES = [
    CollectionIndexes(CONTACTS_VIEW, [IndexModel([("account_id", ASCENDING), ("numbers", ASCENDING)], name="by_account_number")]),
    CollectionIndexes(
        CALLS,
        [
            IndexModel([("call_sid", ASCENDING)], name="by_call_sid"),
            IndexModel([("our_number", ASCENDING), ("call_sid", ASCENDING), ("created_at", DESCENDING)], name="by_our_number_placing"),
        ],
    ),
]


class MongoContactsView:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[CONTACTS_VIEW]
        self._numbers = db[CONTACT_NUMBERS]

    async def save(self, card: ContactCard, *, revision: int, deleted: bool = False) -> bool:
        """Keep the card unless a newer revision is stored; a deletion is a revision too."""
        document = {
            "account_id": card.account_id,
            "contact_id": card.contact_id,
            "name": card.name,
            "dnc": card.dnc,
            "phones": [asdict(phone) for phone in card.phones],
            "numbers": [phone.e164 for phone in card.phones],
            "revision": revision,
            "deleted": deleted,
        }
        try:
            before = await self._collection.find_one_and_update(
                {"_id": _contact_key(card.account_id, card.contact_id), "revision": {"$lt": revision}},
                {"$set": document},
                upsert=True,
                return_document=ReturnDocument.BEFORE,
            )
        except DuplicateKeyError:
            return False
        current = set() if deleted else set(document["numbers"])
        await self._index_numbers(card, current=current, previous=set(before.get("numbers", [])) if before else set())
        return True

    async def _index_numbers(self, card: ContactCard, *, current: set[str], previous: set[str]) -> None:
        field = f"contacts.{card.contact_id}"
        for e164 in previous - current:
            await self._numbers.update_one({"_id": _number_key(card.account_id, e164)}, {"$unset": {field: ""}})
        for e164 in current:
            await self._numbers.update_one(
                {"_id": _number_key(card.account_id, e164)}, {"$set": {field: card.name}}, upsert=True,
            )

    async def index_numbers(self) -> None:
        """Builds the by-number read model for contacts stored before it existed."""
        async for document in self._collection.find({"deleted": False}):
            await self._index_numbers(_card_from(document), current=set(document.get("numbers", [])), previous=set())

    async def get(self, account_id: str, contact_id: str) -> ContactCard | None:
        document = await self._collection.find_one({"_id": _contact_key(account_id, contact_id)})
        return _card_from(document) if document and not document.get("deleted") else None

    async def with_number(self, account_id: str, e164: str) -> ContactCard | None:
        entry = await self._numbers.find_one({"_id": _number_key(account_id, e164)})
        contacts = (entry or {}).get("contacts", {})
        # A named contact first: it is the one worth announcing.
        for contact_id in sorted(contacts, key=lambda cid: not contacts[cid]):
            card = await self.get(account_id, contact_id)
            if card is not None and card.phone_with_number(e164):
                return card
        return None

    async def name_for_number(self, account_id: str, e164: str) -> str | None:
        """The name of a contact with this number, from the by-number read model alone (the voice path)."""
        entry = await self._numbers.find_one({"_id": _number_key(account_id, e164)})
        return next((name for name in (entry or {}).get("contacts", {}).values() if name), None)


class MongoAccountSettings:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[ACCOUNT_SETTINGS]

    async def deactivation_policy(self, account_id: str) -> DeactivationPolicy:
        document = await self._collection.find_one({"_id": account_id})
        return DeactivationPolicy(document["on_deactivation"]) if document else DeactivationPolicy.RELEASE

    async def set_deactivation_policy(self, account_id: str, policy: DeactivationPolicy) -> None:
        await self._collection.update_one({"_id": account_id}, {"$set": {"on_deactivation": str(policy)}}, upsert=True)


class MongoCalls:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[CALLS]

    async def add(self, record: CallRecord) -> None:
        await self._collection.insert_one({"_id": record.id, **_call_fields(record)})

    async def set_call_sid(self, record_id: str, call_sid: str) -> None:
        await self._collection.update_one({"_id": record_id}, {"$set": {"call_sid": call_sid}})

    async def forget(self, record_id: str) -> None:
        await self._collection.delete_one({"_id": record_id, "call_sid": None})

    async def by_call_sid(self, call_sid: str) -> CallRecord | None:
        document = await self._collection.find_one({"call_sid": call_sid})
        return _call_from(document) if document else None

    async def placing(self, *, our_number: str, user_phone: str) -> CallRecord | None:
        """The newest click-to-call whose SID is not recorded yet (its callback may beat the recording)."""
        documents = await self._collection.find(
            {"our_number": our_number, "user_phone": user_phone, "call_sid": None}
        ).sort([("created_at", DESCENDING)]).limit(1).to_list(None)
        return _call_from(documents[0]) if documents else None

    async def complete(self, record: CallRecord, *, call_sid: str, outcome: str, duration_seconds: int,
                       now: datetime, events: list[Envelope]) -> bool:
        """Record how a placed call ended, once (a repeated callback changes nothing)."""
        update = {"$set": {"call_sid": call_sid, "outcome": outcome, "duration_seconds": duration_seconds, "completed_at": now}}
        result = await self._collection.update_one(
            {"_id": record.id, "completed_at": None}, update_with_events(update, events)
        )
        return result.matched_count == 1

    async def add_completed(self, record: CallRecord, events: list[Envelope]) -> bool:
        """An inbound call that ended: stored once per CallSid, with its event."""
        try:
            await self._collection.insert_one(new_document_with_events({"_id": record.id, **_call_fields(record)}, events))
        except DuplicateKeyError:
            return False
        return True


def _contact_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:{contact_id}"


def _number_key(account_id: str, e164: str) -> str:
    return f"{account_id}:{e164}"


def _card_from(document: dict[str, Any]) -> ContactCard:
    return ContactCard(
        account_id=document["account_id"],
        contact_id=document["contact_id"],
        name=document.get("name", ""),
        dnc=bool(document.get("dnc")),
        phones=tuple(ContactPhone(**phone) for phone in document.get("phones", [])),
    )


def _call_fields(record: CallRecord) -> dict[str, Any]:
    fields = asdict(record)
    fields.pop("id")
    fields.pop("extra")
    return fields


def _call_from(document: dict[str, Any]) -> CallRecord:
    names = set(CallRecord.__dataclass_fields__) - {"id", "extra"}
    return CallRecord(id=document["_id"], **{name: document.get(name) for name in names if name in document})
