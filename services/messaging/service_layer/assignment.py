"""Conversation assignment and routing: replies go to the user whose number was texted (to the
account's admin when that user is deactivated), unopened ones are freed for any texter after the
account's N minutes, texters claim free threads and admins reassign any; each change is recorded
with its conversation.assigned event."""

from datetime import datetime

from services.messaging.adapters.store import MessagingStore
from services.messaging.domain import assignment as rules
from shared.caller import Caller
from shared.events import ConversationAssigned, Envelope


class ConversationNotFound(Exception):
    pass


class NotAllowed(Exception):
    pass


class AlreadyAssigned(Exception):
    pass


class UnknownUser(Exception):
    pass


def assignee_condition(view: str, *, user_id: str, role: str, now: datetime, settings: dict) -> dict:
    """The threads a list shows: `mine`, `unassigned` (no assignee, or a reply left unopened past
    the account's N minutes), or `all` (for a texter: theirs and the unassigned ones)."""
    mine = {"assigned_user_id": user_id}
    unassigned = [{"assigned_user_id": None}, {"awaiting_since": {"$lte": rules.cutoff(now, settings)}}]
    if view == "mine":
        return mine
    if view == "unassigned":
        return {"$or": unassigned}
    return {} if role in rules.REASSIGNERS else {"$or": [mine, *unassigned]}


def with_assignment(conversation: dict, *, now: datetime, settings: dict) -> dict:
    return {**conversation, "unassigned": rules.is_unassigned(conversation, now=now, settings=settings)}


async def visible_conversation(caller: Caller, conversation_id: str, *, store: MessagingStore, now: datetime) -> dict:
    """The thread, if the caller may see it (see domain.assignment.is_visible_to)."""
    conversation = await store.settled(await store.conversation(caller.account_id, conversation_id))
    settings = await store.account_settings(caller.account_id)
    if conversation is None or not rules.is_visible_to(conversation, user_id=caller.user_id, role=caller.role, now=now, settings=settings):
        raise ConversationNotFound(f"conversation {conversation_id} not found")
    return conversation


async def claim(caller: Caller, conversation_id: str, *, store: MessagingStore, now: datetime) -> dict:
    """Take an unassigned thread (or one whose reply waited unopened too long) as one's own."""
    for _ in range(3):
        conversation = await visible_conversation(caller, conversation_id, store=store, now=now)
        if conversation.get("assigned_user_id") == caller.user_id:
            return conversation
        settings = await store.account_settings(caller.account_id)
        if not rules.is_unassigned(conversation, now=now, settings=settings):
            raise AlreadyAssigned(f"conversation {conversation_id} is assigned to {conversation['assigned_user_id']}")
        changed = await _change(store, conversation, caller.user_id, reason="claimed", by_user_id=caller.user_id, awaiting_since=None)
        if changed is not None:
            return changed
    raise AlreadyAssigned(f"conversation {conversation_id} changed hands meanwhile; look again")


async def reassign(caller: Caller, conversation_id: str, to_user_id: str | None, *, store: MessagingStore, now: datetime) -> dict:
    """An owner or admin gives the thread to an active user of the account (None: unassigned)."""
    if caller.role not in rules.REASSIGNERS:
        raise NotAllowed("only owners and admins reassign conversations; claim an unassigned one instead")
    if to_user_id is not None:
        user = await store.user(caller.account_id, to_user_id)
        if user is None or not user.get("active", True):
            raise UnknownUser(f"no active user {to_user_id} in this account")
    for _ in range(3):
        conversation = await visible_conversation(caller, conversation_id, store=store, now=now)
        if conversation.get("assigned_user_id") == to_user_id:
            return conversation
        waiting = now if conversation.get("awaiting_since") else None  # the new assignee's N minutes start now
        changed = await _change(store, conversation, to_user_id, reason="reassigned", by_user_id=caller.user_id, awaiting_since=waiting)
        if changed is not None:
            return changed
    raise AlreadyAssigned(f"conversation {conversation_id} changed hands meanwhile; look again")


async def route_reply(conversation: dict, *, store: MessagingStore, at: datetime) -> dict:
    """A reply arrived in the thread: its assignee's N minutes start, and a thread whose assignee
    was deactivated goes to the account's admin (or stays unassigned for every texter)."""
    conversation = await store.settled(conversation) or conversation
    await store.note_waiting_reply(conversation["_id"], at)
    assignee = conversation.get("assigned_user_id")
    user = await store.user(conversation["account_id"], assignee) if assignee else None
    if user is None or user.get("active", True):
        return conversation
    admin = rules.first_admin(await store.users_of_account(conversation["account_id"]))
    to_user_id = admin["_id"] if admin else None
    changed = await _change(
        store, conversation, to_user_id, reason="owner_deactivated", by_user_id=None, awaiting_since=at
    )
    return changed or conversation


async def _change(
    store: MessagingStore, conversation: dict, to_user_id: str | None, *, reason: str, by_user_id: str | None, awaiting_since
) -> dict | None:
    previous = conversation.get("assigned_user_id")
    data = ConversationAssigned(
        conversation_id=conversation["_id"],
        contact_id=conversation.get("contact_id"),
        their_number=conversation["their_number"],
        assigned_user_id=to_user_id,
        previous_user_id=previous,
        reason=reason,
        by_user_id=by_user_id,
    )
    event = Envelope.wrap(data, account_id=conversation["account_id"], subject=conversation["_id"])
    record = {"previous_user_id": previous, "reason": reason, "by_user_id": by_user_id}
    return await store.change_assignee(conversation, to_user_id=to_user_id, awaiting_since=awaiting_since, record=record, event=event)
