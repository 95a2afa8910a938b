"""Kafka subscriptions: users (for names, emails and roles) and the events people are told about."""

from faststream.kafka import KafkaBroker

from services.notifications.service_layer import handlers
from services.notifications.service_layer.ports import NotificationsPorts, UserRecord
from shared import topics
from shared.consumers import subscribe
from shared.events import (
    Envelope,
    MessageFailed,
    MessageReceived,
    NumberProvisioned,
    NumberPurchaseFailed,
    RegistrationUpdated,
    UserCreated,
    UserSignUpAttempted,
    UserSnapshot,
    UserUpdated,
)


def register_consumers(broker: KafkaBroker, *, group_id: str, ports: NotificationsPorts) -> None:
    async def on_user_created(envelope: Envelope[UserCreated]) -> None:
        """Keeps the user's name, email and role; sends emails that waited for the address."""
        user = _user_record(envelope.account_id, envelope.data.user)
        await handlers.record_user(ports=ports, user=user, as_of=envelope.time)

    async def on_user_updated(envelope: Envelope[UserUpdated]) -> None:
        """Keeps the user's newest name, email, role and active flag."""
        user = _user_record(envelope.account_id, envelope.data.user)
        await handlers.record_user(ports=ports, user=user, as_of=envelope.time)

    async def on_sign_up_attempted(envelope: Envelope[UserSignUpAttempted]) -> None:
        """Tells a user someone signed up with their email (once per event)."""
        await handlers.notify_sign_up_attempted(ports=ports, event=envelope)

    async def on_message_received(envelope: Envelope[MessageReceived]) -> None:
        """Notifies the user whose number a reply reached (once per event)."""
        await handlers.notify_message_received(ports=ports, event=envelope)

    async def on_message_failed(envelope: Envelope[MessageFailed]) -> None:
        """Notifies the sender that a text could not be sent (once per event)."""
        await handlers.notify_message_failed(ports=ports, event=envelope)

    async def on_number_provisioned(envelope: Envelope[NumberProvisioned]) -> None:
        """Tells the user their new number, in the portal and by email (once per event)."""
        await handlers.notify_number_provisioned(ports=ports, event=envelope)

    async def on_number_purchase_failed(envelope: Envelope[NumberPurchaseFailed]) -> None:
        """Tells the user their number could not be bought yet, and what happens next (once per event)."""
        await handlers.notify_number_purchase_failed(ports=ports, event=envelope)

    async def on_registration_updated(envelope: Envelope[RegistrationUpdated]) -> None:
        """Tells the account's owners how their A2P 10DLC registration stands (once per event)."""
        await handlers.notify_registration_updated(ports=ports, event=envelope)

    subscribe(broker, topics.USER_CREATED, group_id=group_id, handler=on_user_created)
    subscribe(broker, topics.USER_UPDATED, group_id=group_id, handler=on_user_updated)
    subscribe(broker, topics.USER_SIGN_UP_ATTEMPTED, group_id=group_id, handler=on_sign_up_attempted)
    subscribe(broker, topics.MESSAGE_RECEIVED, group_id=group_id, handler=on_message_received)
    subscribe(broker, topics.MESSAGE_FAILED, group_id=group_id, handler=on_message_failed)
    subscribe(broker, topics.NUMBER_PROVISIONED, group_id=group_id, handler=on_number_provisioned)
    subscribe(broker, topics.NUMBER_PURCHASE_FAILED, group_id=group_id, handler=on_number_purchase_failed)
    subscribe(broker, topics.REGISTRATION_UPDATED, group_id=group_id, handler=on_registration_updated)


def _user_record(account_id: str, user: UserSnapshot) -> UserRecord:
    return UserRecord(
        account_id=account_id, user_id=user.user_id, email=user.email, name=user.name, role=user.role, active=user.active
    )
