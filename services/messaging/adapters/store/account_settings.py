"""Each account's texting settings and its A2P registration state."""

import contextlib
from datetime import datetime
from functools import cached_property

from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import StoreBase, now

ACCOUNT_SETTINGS = "account_settings"


class AccountSettingsStore(StoreBase):
    @cached_property
    def _settings(self):
        return self._db[ACCOUNT_SETTINGS]

    async def account_settings(self, account_id: str) -> dict:
        return await self._settings.find_one({"_id": account_id}) or {"_id": account_id}

    async def settings_of_accounts(self, account_ids: list[str]) -> dict[str, dict]:
        found = await self._by_ids(self._settings, account_ids)
        return {account_id: found.get(account_id) or {"_id": account_id} for account_id in account_ids}

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

    async def save_registration_brand(self, account_id: str, brand: dict, *, at: datetime) -> None:
        """Keep the newest saved brand details (the HELP reply names them); older events change nothing."""
        fields = {"registration_brand": brand, "registration_brand_at": at}
        updated = await self._settings.update_one(
            {"_id": account_id, "$or": [{"registration_brand_at": None}, {"registration_brand_at": {"$lte": at}}]}, {"$set": fields}
        )
        if updated.matched_count == 0:
            with contextlib.suppress(DuplicateKeyError):
                await self._settings.insert_one({"_id": account_id, **fields})
