"""The account's A2P registration: one document per account, carrying its own outbox."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.numbers.domain.registration import Registration, RegistrationDraft
from shared.events import Envelope
from shared.mongo import CollectionIndexes
from shared.outbox import new_document_with_events, update_with_events

REGISTRATIONS = "registrations"
REGISTRATION_INDEXES = [CollectionIndexes(REGISTRATIONS, [IndexModel([("state", ASCENDING)], name="by_state")])]


class MongoRegistrations:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[REGISTRATIONS]

    async def get(self, account_id: str) -> Registration | None:
        document = await self._collection.find_one({"_id": account_id})
        return _registration_from(document) if document else None

    async def create(self, registration: Registration, *, now: datetime, events: list[Envelope]) -> bool:
        document = {"_id": registration.account_id, **_fields(registration), "created_at": now, "updated_at": now, "lease": None}
        try:
            await self._collection.insert_one(new_document_with_events(document, events))
        except DuplicateKeyError:
            return False
        return True

    async def update(self, account_id: str, *, from_states: frozenset[str] | set[str], changes: dict[str, Any],
                     now: datetime, events: list[Envelope] = ()) -> bool:
        """Compare-and-set on the state: the change applies only if the registration is still in `from_states`."""
        stored = {key: asdict(value) if isinstance(value, RegistrationDraft) else value for key, value in changes.items()}
        update = update_with_events({"$set": {**stored, "updated_at": now}}, events)
        result = await self._collection.update_one({"_id": account_id, "state": {"$in": sorted(from_states)}}, update)
        return result.matched_count == 1

    async def take(self, account_id: str, *, worker: str, now: datetime, until: datetime) -> Registration | None:
        document = await self._collection.find_one_and_update(
            {"_id": account_id, "$or": [{"lease": None}, {"lease.until": {"$lt": now}}]},
            {"$set": {"lease": {"worker": worker, "until": until}}},
            return_document=ReturnDocument.AFTER,
        )
        return _registration_from(document) if document else None

    async def let_go(self, account_id: str, *, worker: str) -> None:
        await self._collection.update_one({"_id": account_id, "lease.worker": worker}, {"$set": {"lease": None}})

    async def in_states(self, states: set[str], *, limit: int = 100) -> list[Registration]:
        documents = await self._collection.find({"state": {"$in": sorted(states)}}).limit(limit).to_list(None)
        return [_registration_from(doc) for doc in documents]


def _fields(registration: Registration) -> dict[str, Any]:
    fields = asdict(registration)
    fields.pop("account_id")
    return fields


def _registration_from(document: dict[str, Any]) -> Registration:
    return Registration(
        account_id=document["_id"],
        registration_id=document["registration_id"],
        state=document["state"],
        draft=RegistrationDraft(**document.get("draft", {})),
        reason=document.get("reason"),
        brand_sid=document.get("brand_sid"),
        service_sid=document.get("service_sid"),
        campaign_sid=document.get("campaign_sid"),
        creating=document.get("creating"),
    )
