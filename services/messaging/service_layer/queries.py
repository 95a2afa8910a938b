"""Reading messages and conversations (always within one account), and marking threads read."""

from datetime import datetime

from services.messaging.adapters.store import MessagingStore
from services.messaging.domain.commands import MarkConversationRead
from services.messaging.domain.lifecycle import message_view


class NotFound(Exception):
    pass


async def message(account_id: str, message_id: str, *, store: MessagingStore) -> dict:
    found = await store.message(account_id, message_id)
    if found is None:
        raise NotFound(f"message {message_id} not found")
    return message_view(found, await store.states_of(message_id))


async def conversations(
    account_id: str,
    user_id: str,
    *,
    store: MessagingStore,
    limit: int,
    before: datetime | None = None,
    unknown_senders_only: bool = False,
    contact_id: str | None = None,
    closed: bool | None = None,
    assignees: dict | None = None,
) -> list[dict]:
    """Latest activity first, each with how many replies this user has not read."""
    found = await store.conversations(
        account_id, limit=limit, before=before, unknown_senders_only=unknown_senders_only, contact_id=contact_id, closed=closed,
        assignees=assignees,
    )
    unread = await store.unread_counts([conversation["_id"] for conversation in found], user_id)
    return [{**conversation, "unread_count": unread[conversation["_id"]]} for conversation in found]


async def conversation(account_id: str, conversation_id: str, user_id: str, *, store: MessagingStore) -> dict:
    found = await store.conversation(account_id, conversation_id)
    if found is None:
        raise NotFound(f"conversation {conversation_id} not found")
    unread = await store.unread_counts([conversation_id], user_id)
    return {**found, "unread_count": unread[conversation_id]}


async def conversation_messages(
    account_id: str, conversation_id: str, *, store: MessagingStore, limit: int, after: datetime | None = None
) -> list[dict]:
    """Inbound and outbound, oldest first."""
    if await store.conversation(account_id, conversation_id) is None:
        raise NotFound(f"conversation {conversation_id} not found")
    found = await store.conversation_messages(conversation_id, limit=limit, after=after)
    states = await store.states_of_many([item["_id"] for item in found])
    return [message_view(item, states[item["_id"]]) for item in found]


async def mark_read(command: MarkConversationRead, *, store: MessagingStore) -> dict:
    if await store.conversation(command.account_id, command.conversation_id) is None:
        raise NotFound(f"conversation {command.conversation_id} not found")
    await store.mark_read(command.conversation_id, command.user_id)
    await store.mark_opened(command.conversation_id, command.user_id)
    return await conversation(command.account_id, command.conversation_id, command.user_id, store=store)
