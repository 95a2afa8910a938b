"""Conversations: the account's one thread with each number, and what each user has read of it."""

import asyncio
from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.messaging.adapters.store.common import Indexes, StoreBase, derived_id, in_account, now
from services.messaging.adapters.store.messages import MESSAGES

CONVERSATIONS = "conversations"
CONVERSATION_READS = "conversation_reads"

INDEXES: Indexes = [
    (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("their_number", ASCENDING)], name="thread_number", unique=True)),
    (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("last_activity_at", DESCENDING)], name="latest_activity")),
    (
        CONVERSATIONS,
        IndexModel([("account_id", ASCENDING), ("contact_id", ASCENDING), ("last_activity_at", DESCENDING)], name="inbox"),
    ),
]


def conversation_id_for(account_id: str, their_number: str) -> str:
    return derived_id("conversation", account_id, their_number)


class ConversationStore(StoreBase):
    @cached_property
    def _conversations(self):
        return self._db[CONVERSATIONS]

    @cached_property
    def _reads(self):
        return self._db[CONVERSATION_READS]

    @cached_property
    def _replies(self):
        """The messages, read for the replies a user has not read."""
        return self._db[MESSAGES]

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
                "assigned_user_id": user_id,
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
                "assigned_user_id": user_id,
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
        return in_account(await self._conversations.find_one({"_id": conversation_id}), account_id)

    async def conversations(
        self,
        account_id: str,
        *,
        limit: int,
        before: datetime | None,
        unknown_senders_only: bool = False,
        contact_id: str | None = None,
        closed: bool | None = None,
        assignees: dict[str, Any] | None = None,
    ) -> list[dict]:
        """`assignees`: a condition on who threads belong to (see service_layer/assignment.py)."""
        query: dict[str, Any] = {"account_id": account_id, "last_activity_at": {"$ne": None}, **(assignees or {})}
        if closed is not None:
            query["closed_at"] = {"$ne": None} if closed else None
        if before is not None:
            query["last_activity_at"] = {"$lt": before}
        if unknown_senders_only:
            query["contact_id"] = None
        elif contact_id is not None:
            query["contact_id"] = contact_id
        return await self._conversations.find(query).sort("last_activity_at", DESCENDING).to_list(limit)

    async def record_activity(self, conversation_id: str, *, message: dict, our_number: str | None = None) -> None:
        """Last activity and preview; concurrent activity may keep either message (cosmetic only)."""
        fields: dict[str, Any] = {"last_message": _last_message(message)}
        if our_number:
            fields["our_number"] = our_number
        if message["direction"] == "outbound":
            fields["user_id"] = message["user_id"]
        fields["closed_at"] = None  # new activity reopens a closed thread
        conversation = await self._conversations.find_one({"_id": conversation_id}, {"last_activity_at": 1})
        latest = conversation.get("last_activity_at") if conversation else None
        if latest is None or latest <= message["created_at"]:
            await self._conversations.update_one({"_id": conversation_id}, {"$set": {**fields, "last_activity_at": message["created_at"]}})

    async def close_conversations(self, account_id: str, conversation_ids: list[str], *, by_user_id: str) -> None:
        """Closed threads leave the open inbox until the next text in them."""
        await self._conversations.update_many(
            {"_id": {"$in": conversation_ids}, "account_id": account_id}, {"$set": {"closed_at": now(), "closed_by": by_user_id}}
        )

    async def mark_read(self, conversation_id: str, user_id: str) -> None:
        await self._reads.update_one({"_id": f"{conversation_id}:{user_id}"}, {"$set": {"at": now()}}, upsert=True)

    async def unread_counts(self, conversation_ids: list[str], user_id: str) -> dict[str, int]:
        """Replies this user has not read, per conversation (one pass over the replies)."""
        reads = await asyncio.gather(*(self._reads.find_one({"_id": f"{cid}:{user_id}"}) for cid in conversation_ids))
        read_at = {cid: read["at"] for cid, read in zip(conversation_ids, reads, strict=True) if read}
        counts = dict.fromkeys(conversation_ids, 0)
        replies = self._replies.find(
            {"conversation_id": {"$in": conversation_ids}, "direction": "inbound"}, {"conversation_id": 1, "created_at": 1}
        )
        async for reply in replies:
            if reply["conversation_id"] not in read_at or reply["created_at"] > read_at[reply["conversation_id"]]:
                counts[reply["conversation_id"]] += 1
        return counts


def _last_message(message: dict) -> dict:
    return {
        "message_id": message["_id"],
        "direction": message["direction"],
        "body": message["body"][:160],
        "at": message["created_at"],
    }
