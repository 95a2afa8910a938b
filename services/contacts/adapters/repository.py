"""Contacts in MongoDB (FerretDB-compatible): one document per contact, its pending
events riding inside it (outbox), derived search keys under `search`."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.contacts.domain import search
from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord
from services.contacts.domain.search import Position, SearchTerms
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import CLAIM_FIELD, OUTBOX_FIELD, PENDING_FIELD, new_document_with_events, update_with_events

CONTACTS = "contacts"
OPT_OUTS = "opt_out_registry"

_NAME_ORDER = [("search.last", ASCENDING), ("search.first", ASCENDING), ("_id", ASCENDING)]
_NOT_DOMAIN = {OUTBOX_FIELD: 0, PENDING_FIELD: 0, CLAIM_FIELD: 0, "search": 0}
_LIST_PROJECTION = {**_NOT_DOMAIN, "timeline": 0, "applied_event_ids": 0}

# Every list query starts with the account, so every index does too; the name
# order follows so that a page is an index range, not a sort.
INDEXES = [
    CollectionIndexes(
        CONTACTS,
        [
            IndexModel([("account_id", ASCENDING), ("deleted", ASCENDING), *_NAME_ORDER], name="by_name"),
            IndexModel([("account_id", ASCENDING), ("search.name_prefixes", ASCENDING), *_NAME_ORDER], name="by_name_prefix"),
            IndexModel([("account_id", ASCENDING), ("search.phone_digits", ASCENDING), *_NAME_ORDER], name="by_phone_digits"),
            IndexModel([("account_id", ASCENDING), ("tags", ASCENDING), *_NAME_ORDER], name="by_tag"),
            IndexModel([("account_id", ASCENDING), ("phones.e164", ASCENDING)], name="by_number"),
        ],
    ),
]


def to_document(contact: Contact) -> dict[str, Any]:
    document = contact.model_dump(exclude={"contact_id"})
    last, first = search.sort_keys(contact.first_name, contact.last_name)
    document["search"] = {
        "last": last,
        "first": first,
        "name_prefixes": search.name_prefixes(contact.first_name, contact.last_name),
        "phone_digits": search.phone_digit_prefixes(contact.phones),
    }
    return document


def from_document(document: dict[str, Any]) -> Contact:
    return Contact.model_validate({**document, "contact_id": document["_id"]})


class MongoContactRepository:
    def __init__(self, db: AsyncDatabase, *, after_write: Callable[[], None] = lambda: None) -> None:
        self._contacts = db[CONTACTS]
        self._after_write = after_write

    async def add(self, contact: Contact, events: list[Envelope]) -> None:
        await self._contacts.insert_one(new_document_with_events({"_id": contact.contact_id, **to_document(contact)}, events))
        self._after_write()

    async def get(self, account_id: str, contact_id: str) -> Contact | None:
        document = await self._contacts.find_one(
            {"_id": contact_id, "account_id": account_id, "deleted": False}, _NOT_DOMAIN
        )
        return from_document(document) if document else None

    async def save(self, contact: Contact, *, expected_revision: int, events: list[Envelope]) -> bool:
        result = await self._contacts.update_one(
            {"_id": contact.contact_id, "account_id": contact.account_id, "revision": expected_revision, "deleted": False},
            update_with_events({"$set": to_document(contact)}, events),
        )
        if result.matched_count:
            self._after_write()
        return result.matched_count == 1

    async def ids_with_number(self, account_id: str, e164: str) -> list[str]:
        cursor = self._contacts.find({"account_id": account_id, "deleted": False, "phones.e164": e164}, {"_id": 1})
        return [document["_id"] async for document in cursor]

    async def page(
        self, account_id: str, *, terms: SearchTerms, tag: str | None, after: Position | None, limit: int
    ) -> list[Contact]:
        query: dict[str, Any] = {"account_id": account_id, "deleted": False}
        if terms.name_prefixes:
            query["search.name_prefixes"] = {"$all": list(terms.name_prefixes)}
        if terms.phone_digits:
            query["search.phone_digits"] = terms.phone_digits
        if tag is not None:
            query["tags"] = tag
        if after is not None:
            query["$or"] = [
                {"search.last": {"$gt": after.last}},
                {"search.last": after.last, "search.first": {"$gt": after.first}},
                {"search.last": after.last, "search.first": after.first, "_id": {"$gt": after.contact_id}},
            ]
        cursor = self._contacts.find(query, _LIST_PROJECTION).sort(_NAME_ORDER).limit(limit)
        return [from_document(document) async for document in cursor]


class MongoOptOutRegistry:
    def __init__(self, db: AsyncDatabase) -> None:
        self._numbers = db[OPT_OUTS]

    @staticmethod
    def _key(account_id: str, e164: str) -> str:
        return f"{account_id}:{e164}"

    async def opted_out(self, account_id: str, numbers: list[str]) -> dict[str, OptOutRecord]:
        cursor = self._numbers.find({"_id": {"$in": [self._key(account_id, number) for number in numbers]}})
        return {
            document["e164"]: OptOutRecord.model_validate(document["opt_out"])
            async for document in cursor
            if document.get("opt_out")
        }

    async def record(self, account_id: str, e164: str, *, opt_out: OptOutRecord | None, event_time: datetime) -> None:
        key = self._key(account_id, e164)
        current = await self._numbers.find_one({"_id": key}, {"decided_at": 1})
        if current and current["decided_at"] > event_time:
            return  # a newer decision of the person's already stands
        await self._numbers.update_one(
            {"_id": key},
            {
                "$set": {
                    "account_id": account_id,
                    "e164": e164,
                    "opt_out": opt_out.model_dump() if opt_out else None,
                    "decided_at": event_time,
                }
            },
            upsert=True,
        )
