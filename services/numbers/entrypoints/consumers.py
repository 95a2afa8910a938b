"""Kafka subscriptions: users arrive and change; someone needs a user's number; contacts change."""

from faststream.kafka import KafkaBroker

from services.numbers.service_layer import calls
from services.numbers.service_layer.ports import NumbersPorts, UserRecord
from services.numbers.service_layer.provisioning import ProvisioningPolicy, record_user, request_number
from shared import topics
from shared.consumers import subscribe, subscribe_many
from shared.events import ContactDeleted, Envelope, NumberNeeded, UserCreated, UserSnapshot, UserUpdated


def register_consumers(broker: KafkaBroker, *, group_id: str, ports: NumbersPorts, policy: ProvisioningPolicy) -> None:
    async def on_user_created(envelope: Envelope[UserCreated]) -> None:
        """Keeps the user's area code and primary cell; buys their number now if they asked for it early."""
        await record_user(
            ports=ports, policy=policy, account_id=envelope.account_id,
            user=_user_record(envelope.account_id, envelope.data.user), as_of=envelope.time, is_new=True,
        )

    async def on_user_updated(envelope: Envelope[UserUpdated]) -> None:
        """Keeps the newest primary cell and active flag; resumes a number that waited for the user."""
        await record_user(
            ports=ports, policy=policy, account_id=envelope.account_id,
            user=_user_record(envelope.account_id, envelope.data.user), as_of=envelope.time, is_new=False,
            changed=tuple(envelope.data.changed),
        )

    async def on_number_needed(envelope: Envelope[NumberNeeded]) -> None:
        """Gives the user exactly one number in their area code (or nearby), however often this arrives."""
        await request_number(
            ports=ports, policy=policy, account_id=envelope.account_id,
            user_id=envelope.data.user_id, reason=envelope.data.reason,
        )

    async def on_contact_changed(envelope: Envelope) -> None:
        await calls.record_contact(ports=ports, account_id=envelope.account_id, contact=envelope.data.contact)

    async def on_contact_deleted(envelope: Envelope[ContactDeleted]) -> None:
        await calls.forget_contact(
            ports=ports, account_id=envelope.account_id, contact_id=envelope.data.contact_id, revision=envelope.data.revision,
        )

    contact_topics = (
        topics.CONTACT_CREATED, topics.CONTACT_UPDATED, topics.CONTACT_TAGGED, topics.CONTACT_UNTAGGED,
        topics.CONTACT_OPTED_OUT, topics.CONTACT_OPTED_IN,
    )
    subscribe_many(
        broker,
        {**{topic: on_contact_changed for topic in contact_topics}, topics.CONTACT_DELETED: on_contact_deleted},
        group_id=f"{group_id}.contacts-view",
        title=f"{group_id}:contact.*",
        description="Keeps each contact's name, DNC tag and phones: who is calling, and who may be called.",
    )
    subscribe(broker, topics.USER_CREATED, group_id=group_id, handler=on_user_created)
    subscribe(broker, topics.USER_UPDATED, group_id=group_id, handler=on_user_updated)
    subscribe(broker, topics.NUMBER_NEEDED, group_id=group_id, handler=on_number_needed)


def _user_record(account_id: str, user: UserSnapshot) -> UserRecord:
    return UserRecord(
        account_id=account_id,
        user_id=user.user_id,
        email=user.email,
        name=user.name,
        role=user.role,
        primary_cell=user.primary_cell,
        primary_cell_area_code=user.primary_cell_area_code,
        active=user.active,
        eager_number_purchase=user.eager_number_purchase,
    )
