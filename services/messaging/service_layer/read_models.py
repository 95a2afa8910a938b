"""Keeping local copies of what other services own: contacts, users' numbers, users' roles."""

from services.messaging.adapters.store import MessagingStore
from services.messaging.service_layer.delivery import release_waiting_messages
from shared.events.contacts import ContactDeleted, ContactSnapshot
from shared.events.numbers import NumberProvisioned, NumberReleased
from shared.events.users import UserSnapshot


async def keep_contact_snapshot(snapshot: ContactSnapshot, *, account_id: str, store: MessagingStore) -> None:
    """Any contact.* event carrying a snapshot: keep it if it is the newest revision seen."""
    await store.save_contact_snapshot(account_id, snapshot.model_dump(mode="json"), snapshot.revision, deleted=False)


async def forget_contact(event: ContactDeleted, *, account_id: str, store: MessagingStore) -> None:
    await store.save_contact_snapshot(account_id, {"contact_id": event.contact_id}, event.revision, deleted=True)


async def keep_sender_number(event: NumberProvisioned, *, account_id: str, store: MessagingStore) -> int:
    """Record the user's number, then send what was waiting for it; returns how many were released."""
    await store.save_sender_number(
        user_id=event.user_id, account_id=account_id, phone_number=event.phone_number, number_id=event.number_id
    )
    return await release_waiting_messages(store, event.user_id)


async def keep_user(user: UserSnapshot, *, account_id: str, as_of, store: MessagingStore) -> None:
    """Who may reassign threads, and whose replies go to an admin because they were deactivated."""
    await store.save_user(account_id, user_id=user.user_id, role=user.role, active=user.active, as_of=as_of)


async def drop_sender_number(event: NumberReleased, *, store: MessagingStore) -> None:
    await store.remove_sender_number(user_id=event.user_id, phone_number=event.phone_number)
