"""Canned replies: one document each, for the account (owner_user_id None) or one user."""

from functools import cached_property

from pymongo import ASCENDING, IndexModel

from services.messaging.adapters.store.common import Indexes, StoreBase, in_account, now

CANNED_REPLIES = "canned_replies"

INDEXES: Indexes = [
    (CANNED_REPLIES, IndexModel([("account_id", ASCENDING), ("owner_user_id", ASCENDING), ("name", ASCENDING)], name="scope_name")),
]


class CannedReplyStore(StoreBase):
    @cached_property
    def _canned_replies(self):
        return self._db[CANNED_REPLIES]

    async def canned_reply(self, account_id: str, canned_reply_id: str) -> dict | None:
        return in_account(await self._canned_replies.find_one({"_id": canned_reply_id}), account_id)

    async def canned_replies_of(self, account_id: str, owner_user_id: str | None) -> list[dict]:
        """The account's shared replies (owner None) or one user's own."""
        query = {"account_id": account_id, "owner_user_id": owner_user_id}
        return await self._canned_replies.find(query).sort("name", ASCENDING).to_list(None)

    async def add_canned_reply(self, document: dict) -> dict:
        await self._canned_replies.insert_one(document)
        return document

    async def update_canned_reply(self, account_id: str, canned_reply_id: str, fields: dict) -> dict | None:
        await self._canned_replies.update_one(
            {"_id": canned_reply_id, "account_id": account_id}, {"$set": {**fields, "updated_at": now()}}
        )
        return await self.canned_reply(account_id, canned_reply_id)

    async def delete_canned_reply(self, account_id: str, canned_reply_id: str) -> bool:
        deleted = await self._canned_replies.delete_one({"_id": canned_reply_id, "account_id": account_id})
        return deleted.deleted_count == 1
