"""Contacts in MongoDB (FerretDB-compatible): one document per contact, its pending
events riding inside it (outbox), derived search keys under `search`."""

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from services.contacts.domain import search
from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord
from services.contacts.domain.grid import NEVER, Criteria, Cursor, SortOrder
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import CLAIM_FIELD, OUTBOX_FIELD, PENDING_FIELD, TAIL_FIELD, new_document_with_events, update_with_events

CONTACTS = "contacts"
# Dedupe keys: `_id` "<account>:phone:<e164>", "<account>:email:<casefolded>" or
# "<account>:row:<imported contact id>" -> the contact that had it when it was written.
# Keyed lookups are the one query shape every store serves from an index (FerretDB v1
# pushes down only a bare `_id`); a key may be stale (the contact since lost the number
# or was deleted), so readers check it against the contact before trusting it.
CONTACT_KEYS = "contact_keys"
# The created events of imported contacts, one document per contact until published
# (ContactsRelay), held as one JSON text (IMPORTED_EVENTS_FIELD): FerretDB's cost of
# writing and reading a document grows with its number of fields. FerretDB v1 rewrites
# a document it updates at a cost of tens of milliseconds, while inserts and deletes are
# cheap: queueing these events beside the contacts, rather than in them, spares every
# imported contact two updates (the relay's claim and acknowledgement). A crash between the contacts and their queue entries is
# repaired by the import itself: the unfinished batch runs again and queues the events
# of the contacts it finds it created, under the same event ids.
IMPORTED_EVENTS = "imported_contact_events"
IMPORTED_EVENTS_FIELD = "events_json"
DUPLICATE_KEY = 11000
OPT_OUTS = "opt_out_registry"
LOOKUP_CONCURRENCY = 8

_NOT_DOMAIN = {OUTBOX_FIELD: 0, PENDING_FIELD: 0, CLAIM_FIELD: 0, TAIL_FIELD: 0, "search": 0}
_LIST_PROJECTION = {**_NOT_DOMAIN, "timeline": 0, "applied_event_ids": 0}
_LIVE = [("account_id", ASCENDING), ("deleted", ASCENDING)]
_BY_NAME = [("search.last", ASCENDING), ("search.first", ASCENDING), ("_id", ASCENDING)]

# Every grid query is equality on the account (and `deleted`), then equality on what it
# filters by, then the sort keys: a page is one index range read in order, a count one
# index scan. FerretDB v1 scans whatever is declared; MongoDB serves each from these.
INDEXES = [
    CollectionIndexes(
        CONTACTS,
        [
            IndexModel([*_LIVE, *_BY_NAME], name="grid_by_last_name"),
            IndexModel([*_LIVE, ("search.first", ASCENDING), ("search.last", ASCENDING), ("_id", ASCENDING)], name="grid_by_first_name"),
            IndexModel([*_LIVE, ("created_at", ASCENDING), ("_id", ASCENDING)], name="grid_by_created"),
            IndexModel([*_LIVE, ("search.last_contacted", ASCENDING), ("_id", ASCENDING)], name="grid_by_last_contacted"),
            IndexModel([*_LIVE, ("tags", ASCENDING), *_BY_NAME], name="grid_tag_by_name"),
            IndexModel([*_LIVE, ("address.state", ASCENDING), ("tags", ASCENDING), *_BY_NAME], name="grid_state_tag_by_name"),
            IndexModel([*_LIVE, ("search.name_prefixes", ASCENDING), *_BY_NAME], name="grid_name_prefix_by_name"),
            IndexModel([*_LIVE, ("search.phone_digits", ASCENDING), *_BY_NAME], name="grid_phone_digits_by_name"),
            IndexModel([*_LIVE, ("_id", ASCENDING)], name="selection_by_id"),
            IndexModel([("account_id", ASCENDING), ("search.emails", ASCENDING)], name="by_email"),
            IndexModel([("account_id", ASCENDING), ("phones.e164", ASCENDING)], name="by_number"),
        ],
    ),
    CollectionIndexes(CONTACT_KEYS, [IndexModel([("contact_id", ASCENDING)], name="by_contact")]),
]


def to_document(contact: Contact) -> dict[str, Any]:
    document = contact.model_dump(exclude={"contact_id"})
    last, first = search.sort_keys(contact.first_name, contact.last_name)
    address = contact.address or {}
    document["search"] = {
        "last": last,
        "first": first,
        "name_prefixes": search.name_prefixes(contact.first_name, contact.last_name),
        "phone_digits": search.phone_digit_prefixes(contact.phones),
        "emails": [email.casefold() for email in contact.emails],
        "city": search.fold(address["city"]) if address.get("city") else None,
        "zip5": address["zip"][:5] if address.get("zip") else None,
        "last_contacted": contact.last_contacted_at or NEVER,
        "has_cell": any(phone.type == "cell" for phone in contact.phones),
    }
    return document


def from_document(document: dict[str, Any]) -> Contact:
    return Contact.model_validate({**document, "contact_id": document["_id"]})


def phone_key(account_id: str, e164: str) -> str:
    return f"{account_id}:phone:{e164}"


def email_key(account_id: str, email: str) -> str:
    return f"{account_id}:email:{email.casefold()}"


def row_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:row:{contact_id}"


def keys_of(contact: Contact) -> list[str]:
    """The dedupe keys a contact answers to: its numbers and emails."""
    return [
        *(phone_key(contact.account_id, phone.e164) for phone in contact.phones),
        *(email_key(contact.account_id, email) for email in contact.emails),
    ]


def answers_to(contact: Contact, key: str) -> bool:
    """Whether the contact (still) has what the key names."""
    return key == row_key(contact.account_id, contact.contact_id) or key in keys_of(contact)


async def write_keys(keys_collection, owners: dict[str, str]) -> set[str]:
    """Insert key -> contact id for the keys not taken yet; returns the keys that were taken."""
    if not owners:
        return set()
    try:
        await keys_collection.insert_many([{"_id": key, "contact_id": owner} for key, owner in owners.items()], ordered=False)
    except BulkWriteError as error:
        failures = error.details.get("writeErrors", [])
        if any(failure.get("code") != DUPLICATE_KEY for failure in failures):
            raise
        return {failure["op"]["_id"] for failure in failures}
    return set()


async def _bounded(calls, limit: int = LOOKUP_CONCURRENCY) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call):
        async with gate:
            return await call

    return await asyncio.gather(*(one(call) for call in calls))


async def live_contact(contacts, account_id: str, contact_id: str) -> dict[str, Any] | None:
    """The live contact document of the account, read by its bare `_id` (a keyed read on
    any store); the account and liveness are checked here rather than in the filter."""
    document = await contacts.find_one({"_id": contact_id}, _NOT_DOMAIN)
    if document is None or document.get("account_id") != account_id or document.get("deleted"):
        return None
    return document


class MongoContactRepository:
    def __init__(self, db: AsyncDatabase, *, after_write: Callable[[], None] = lambda: None) -> None:
        self._contacts = db[CONTACTS]
        self._keys = db[CONTACT_KEYS]
        self._after_write = after_write

    async def add(self, contact: Contact, events: list[Envelope]) -> None:
        # Keys first: a contact is never stored with a number or email its keys do not name.
        await write_keys(self._keys, dict.fromkeys(keys_of(contact), contact.contact_id))
        await self._contacts.insert_one(new_document_with_events({"_id": contact.contact_id, **to_document(contact)}, events))
        self._after_write()

    async def get(self, account_id: str, contact_id: str) -> Contact | None:
        document = await live_contact(self._contacts, account_id, contact_id)
        return from_document(document) if document else None

    async def save(self, contact: Contact, *, expected_revision: int, events: list[Envelope]) -> bool:
        await write_keys(self._keys, dict.fromkeys(keys_of(contact), contact.contact_id))
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
        self, account_id: str, criteria: Criteria, order: SortOrder, *, after: Cursor | None, limit: int
    ) -> list[Contact]:
        query = grid_query(account_id, criteria)
        if after is not None:
            query = {"$and": [query, after_condition(order, after)]}
        direction = DESCENDING if order.descending else ASCENDING
        cursor = self._contacts.find(query, _LIST_PROJECTION).sort([(key, direction) for key in order.keys]).limit(limit)
        return [from_document(document) async for document in cursor]

    async def count(self, account_id: str, criteria: Criteria) -> int:
        return await self._contacts.count_documents(grid_query(account_id, criteria))

    async def select_ids(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int) -> list[str]:
        query = grid_query(account_id, criteria)
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        cursor = self._contacts.find(query, {"_id": 1}).sort("_id", ASCENDING).limit(limit)
        return [document["_id"] async for document in cursor]

    async def in_id_order(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int) -> list[Contact]:
        """Whole contacts in id order (exports)."""
        query = grid_query(account_id, criteria)
        if after is not None:
            query = {"$and": [query, {"_id": {"$gt": after}}]}
        cursor = self._contacts.find(query, _LIST_PROJECTION).sort("_id", ASCENDING).limit(limit)
        return [from_document(document) async for document in cursor]

    async def explain_page(self, account_id: str, criteria: Criteria, order: SortOrder, limit: int) -> dict[str, Any]:
        """What the server says it does for the first page of this query."""
        direction = DESCENDING if order.descending else ASCENDING
        return await self._contacts.find(grid_query(account_id, criteria), _LIST_PROJECTION).sort(
            [(key, direction) for key in order.keys]
        ).limit(limit).explain()


def grid_query(account_id: str, criteria: Criteria) -> dict[str, Any]:
    """The MongoDB filter of a grid query: account and liveness first, as the indexes are."""
    query: dict[str, Any] = {"account_id": account_id, "deleted": False}
    terms = criteria.terms
    if terms.name_prefixes:
        prefixes = list(terms.name_prefixes)
        query["search.name_prefixes"] = prefixes[0] if len(prefixes) == 1 else {"$all": prefixes}
    if terms.phone_digits:
        query["search.phone_digits"] = terms.phone_digits
    if criteria.email:
        query["search.emails"] = criteria.email
    tags: dict[str, Any] = {}
    if len(criteria.tags_all) == 1 and not (criteria.tags_any or criteria.tags_none):
        tags = criteria.tags_all[0]
    else:
        if criteria.tags_all:
            tags["$all"] = list(criteria.tags_all)
        if criteria.tags_any:
            tags["$in"] = list(criteria.tags_any)
        if criteria.tags_none:
            tags["$nin"] = list(criteria.tags_none)
    if tags:
        query["tags"] = tags
    if criteria.has_cell is not None:
        query["search.has_cell"] = criteria.has_cell
    for key, value in (
        ("search.city", criteria.city),
        ("address.state", criteria.state),
        ("search.zip5", criteria.zip),
        ("owner_user_id", criteria.owner),
    ):
        if value is not None:
            query[key] = value
    for key, start, end in (
        ("created_at", criteria.created_from, criteria.created_to),
        ("search.last_contacted", criteria.last_contacted_from, criteria.last_contacted_to),
    ):
        bounds = {operator: value for operator, value in (("$gte", start), ("$lte", end)) if value is not None}
        if bounds:
            query[key] = bounds
    return query


def after_condition(order: SortOrder, after: Cursor) -> dict[str, Any]:
    """Rows strictly after the cursor in `order`: (k1 > v1) or (k1 = v1 and k2 > v2) or ..."""
    operator = "$lt" if order.descending else "$gt"
    ladder = []
    for depth, key in enumerate(order.keys):
        step = {order.keys[i]: after.values[i] for i in range(depth)}
        step[key] = {operator: after.values[depth]}
        ladder.append(step)
    return {"$or": ladder}


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


class MongoImportContacts:
    """The contact writes and reads an import batch needs, all keyed: claim the batch's
    dedupe keys, read the owners of the keys already taken, insert the new contacts."""

    def __init__(self, db: AsyncDatabase, *, after_write: Callable[[], None] = lambda: None) -> None:
        self._contacts = db[CONTACTS]
        self._keys = db[CONTACT_KEYS]
        self._events = db[IMPORTED_EVENTS]
        self._after_write = after_write

    async def claim_keys(self, owners: dict[str, str]) -> set[str]:
        """Record key -> contact id for every key not taken yet; returns the taken ones."""
        return await write_keys(self._keys, owners)

    async def owners(self, keys: set[str]) -> dict[str, str]:
        """The contact id each of these (taken) keys names."""
        found = await _bounded(self._keys.find_one({"_id": key}) for key in sorted(keys))
        return {document["_id"]: document["contact_id"] for document in found if document}

    async def repoint(self, owners: dict[str, str]) -> None:
        """Make these keys name these contacts (the batch's final owners, or a stale key's new one)."""
        await _bounded(
            self._keys.update_one({"_id": key}, {"$set": {"contact_id": owner}}, upsert=True) for key, owner in owners.items()
        )

    async def live(self, account_id: str, ids: set[str]) -> list[tuple[Contact, str | None]]:
        """These live contacts of the account, with the import job that created each."""
        found = await _bounded(live_contact(self._contacts, account_id, contact_id) for contact_id in sorted(ids))
        return [(from_document(document), document.get("imported_by")) for document in found if document]

    async def add_many(self, contacts: list[tuple[Contact, list[Envelope]]], *, job_id: str) -> None:
        """Insert new contacts, then queue their events; ids already present (an earlier
        attempt at this batch) are left as they are."""
        if not contacts:
            return
        await _insert_new(self._contacts, [
            {"_id": contact.contact_id, **to_document(contact), "imported_by": job_id} for contact, _ in contacts
        ])
        await self.queue_events(contacts)

    async def queue_events(self, contacts: list[tuple[Contact, list[Envelope]]]) -> None:
        """Queue these contacts' events for the relay; a contact's queued events stay as they are."""
        await _insert_new(self._events, [
            {"_id": contact.contact_id, IMPORTED_EVENTS_FIELD: json.dumps([event.to_document() for event in events])}
            for contact, events in contacts if events
        ])
        self._after_write()


async def _insert_new(collection, documents: list[dict[str, Any]]) -> None:
    """Insert the documents whose `_id` is not there yet."""
    if not documents:
        return
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        if any(failure.get("code") != DUPLICATE_KEY for failure in error.details.get("writeErrors", [])):
            raise
