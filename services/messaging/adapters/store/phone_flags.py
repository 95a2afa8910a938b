"""Phone flags: what messaging learnt itself about a number or a person (opt-outs, carrier errors)."""

import asyncio
from functools import cached_property
from typing import Any

from services.messaging.adapters.store.common import StoreBase, now

PHONE_FLAGS = "phone_flags"


class PhoneFlagStore(StoreBase):
    @cached_property
    def _flags(self):
        return self._db[PHONE_FLAGS]

    async def phone_flags(self, account_id: str, e164: str, contact_id: str | None) -> dict:
        keys = [_flag_key(account_id, e164)] + ([_person_key(account_id, contact_id)] if contact_id else [])
        found = await asyncio.gather(*(self._flags.find_one({"_id": key}) for key in keys))
        merged: dict[str, Any] = {}
        for flags in found:
            merged.update({name: value for name, value in (flags or {}).items() if value not in (None, False)})
        return merged

    async def flags_of_recipients(self, recipients: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], dict]:
        """`phone_flags` for many (account id, number, contact id) at once."""
        keys = [key for account_id, e164, contact_id in recipients for key in (_flag_key(account_id, e164), _person_key(account_id, contact_id))]
        found = await self._by_ids(self._flags, keys)
        return {recipient: self.merged_flags(found, *recipient) for recipient in recipients}

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


def _flag_key(account_id: str, e164: str) -> str:
    return f"{account_id}:{e164}"


def _person_key(account_id: str, contact_id: str) -> str:
    return f"{account_id}:contact:{contact_id}"
