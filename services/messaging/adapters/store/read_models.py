"""Read models of other services' data: the newest snapshot of each contact (from contacts' events),
each user's own number (from numbers' events) and each user's role and active flag (the gateway's)."""

import contextlib
from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import Indexes, StoreBase, in_account, now

CONTACTS_VIEW = "contacts_view"
SENDER_NUMBERS = "sender_numbers"
USERS_VIEW = "users_view"

INDEXES: Indexes = [
    (CONTACTS_VIEW, IndexModel([("account_id", ASCENDING), ("phones.e164", ASCENDING)], name="phone")),
    (SENDER_NUMBERS, IndexModel([("phone_number", ASCENDING)], name="phone_number")),
    (USERS_VIEW, IndexModel([("account_id", ASCENDING)], name="account")),
]


class ReadModelStore(StoreBase):
    @cached_property
    def _contacts(self):
        return self._db[CONTACTS_VIEW]

    @cached_property
    def _senders(self):
        return self._db[SENDER_NUMBERS]

    @cached_property
    def _users(self):
        return self._db[USERS_VIEW]

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

    async def contact_snapshots(self, contacts: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Contacts by (account id, contact id)."""
        found = await self._by_ids(self._contacts, [_contact_key(account_id, contact_id) for account_id, contact_id in contacts])
        return {(contact["account_id"], contact["contact_id"]): contact for contact in found.values()}

    async def contacts_with_number(self, account_id: str, e164: str) -> list[dict]:
        cursor = self._contacts.find({"account_id": account_id, "phones.e164": e164, "deleted": {"$ne": True}})
        return await cursor.sort("updated_at", DESCENDING).to_list(20)

    # sender_numbers: each user's own number (one consumer per user)

    async def sender_number(self, user_id: str) -> dict | None:
        return await self._senders.find_one({"_id": user_id})

    async def sender_numbers(self, user_ids: list[str]) -> dict[str, dict]:
        return await self._by_ids(self._senders, user_ids)

    async def owner_of_number(self, phone_number: str) -> dict | None:
        found = await self._senders.find({"phone_number": phone_number}).sort("updated_at", DESCENDING).to_list(1)
        return found[0] if found else None

    async def save_sender_number(self, *, user_id: str, account_id: str, phone_number: str, number_id: str) -> None:
        fields = {"account_id": account_id, "phone_number": phone_number, "number_id": number_id, "updated_at": now()}
        await self._senders.update_one({"_id": user_id}, {"$set": fields}, upsert=True)

    async def remove_sender_number(self, *, user_id: str, phone_number: str) -> None:
        await self._senders.delete_one({"_id": user_id, "phone_number": phone_number})


    # users_view: each user's role and active flag (one consumer per user)

    async def save_user(self, account_id: str, *, user_id: str, role: str, active: bool, as_of: datetime) -> None:
        """Keep the user as of `as_of` unless a newer view is kept already."""
        fields = {"account_id": account_id, "role": role, "active": active, "as_of": as_of}
        updated = await self._users.update_one(
            {"_id": user_id, "$or": [{"as_of": None}, {"as_of": {"$lte": as_of}}]},
            {"$set": fields},
        )
        if updated.matched_count == 0:
            with contextlib.suppress(DuplicateKeyError):
                await self._users.insert_one({"_id": user_id, **fields, "created_at": as_of})

    async def user(self, account_id: str, user_id: str) -> dict | None:
        return in_account(await self._users.find_one({"_id": user_id}), account_id)

    async def users_of_account(self, account_id: str) -> list[dict]:
        return await self._users.find({"account_id": account_id}).to_list(None)


def _contact_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:{contact_id}"
