"""Conversation assignments: each change of a thread's assignee is a document written once with
its conversation.assigned event (`{conversation}:{version}`), then applied to the conversation.
A change whose application a crash cut short is applied by the next look at that thread."""

from datetime import datetime
from functools import cached_property
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from services.messaging.adapters.store.common import WITHOUT_EVENTS, Indexes, StoreBase, now
from services.messaging.adapters.store.conversations import CONVERSATIONS
from shared.events import Envelope

CONVERSATION_ASSIGNMENTS = "conversation_assignments"

INDEXES: Indexes = [
    (
        CONVERSATIONS,
        IndexModel(
            [("account_id", ASCENDING), ("assigned_user_id", ASCENDING), ("last_activity_at", DESCENDING)], name="assignee"
        ),
    ),
    (CONVERSATIONS, IndexModel([("account_id", ASCENDING), ("awaiting_since", ASCENDING)], name="awaiting")),
]


class AssignmentStore(StoreBase):
    @cached_property
    def _threads(self):
        return self._db[CONVERSATIONS]

    async def change_assignee(
        self, conversation: dict, *, to_user_id: str | None, awaiting_since: datetime | None, record: dict[str, Any], event: Envelope
    ) -> dict | None:
        """Record and apply a change from the assignment `conversation` shows; None when another
        change was recorded since (the caller reads the thread again and decides anew)."""
        version = conversation.get("assignment_version") or 0
        document = {
            "_id": f"{conversation['_id']}:{version + 1}",
            "conversation_id": conversation["_id"],
            "account_id": conversation["account_id"],
            "version": version + 1,
            "assigned_user_id": to_user_id,
            "awaiting_since": awaiting_since,
            "at": now(),
            **record,
        }
        if not await self._insert_with_events(CONVERSATION_ASSIGNMENTS, document, [event]):
            return None
        await self._apply(document)
        return await self._threads.find_one({"_id": conversation["_id"]})

    async def settled(self, conversation: dict | None) -> dict | None:
        """The thread with any recorded but unapplied assignment change applied."""
        if conversation is None:
            return None
        version = conversation.get("assignment_version") or 0
        pending = await self._db[CONVERSATION_ASSIGNMENTS].find_one({"_id": f"{conversation['_id']}:{version + 1}"}, WITHOUT_EVENTS)
        if pending is None:
            return conversation
        await self._apply(pending)
        return await self.settled(await self._threads.find_one({"_id": conversation["_id"]}))

    async def note_waiting_reply(self, conversation_id: str, at: datetime) -> None:
        """A reply came: the assignee's N minutes run from the first one they have not opened."""
        await self._threads.update_one({"_id": conversation_id, "awaiting_since": None}, {"$set": {"awaiting_since": at}})

    async def mark_opened(self, conversation_id: str, user_id: str) -> None:
        """The assignee opened the thread: nothing waits on them any more."""
        await self._threads.update_one(
            {"_id": conversation_id, "assigned_user_id": user_id}, {"$set": {"awaiting_since": None, "opened_at": now()}}
        )

    async def conversation_assignments(self, conversation_id: str) -> list[dict]:
        """Every recorded change of the thread's assignee, oldest first (for operators and tests)."""
        found = await self._db[CONVERSATION_ASSIGNMENTS].find({"conversation_id": conversation_id}, WITHOUT_EVENTS).to_list(None)
        return sorted(found, key=lambda change: change["version"])

    async def _apply(self, change: dict) -> None:
        previous = change["version"] - 1
        same_version: dict[str, Any] = {"assignment_version": previous} if previous else {"assignment_version": None}
        fields = {
            "assigned_user_id": change["assigned_user_id"],
            "assignment_version": change["version"],
            "assigned_at": change["at"],
            "awaiting_since": change["awaiting_since"],
        }
        await self._threads.update_one({"_id": change["conversation_id"], **same_version}, {"$set": fields})
