"""Kafka subscriptions: the read models (api process) and the send worker."""

from collections.abc import Awaitable, Callable

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from services.messaging.adapters.store import MessagingStore
from services.messaging.service_layer import read_models
from services.messaging.service_layer.batch_delivery import deliver_batch
from services.messaging.service_layer.delivery import Courier
from shared import topics
from shared.consumers import EventHandler, consumer_group_name, subscribe_many
from shared.events import Envelope, MessageSendRequested
from shared.metrics.consuming import consuming
from shared.observability import bind_correlation_id
from shared.outbox import OutboxRelay
from shared.tracing import consumed_batch

CONTACT_SNAPSHOT_TOPICS = (
    topics.CONTACT_CREATED,
    topics.CONTACT_UPDATED,
    topics.CONTACT_TAGGED,
    topics.CONTACT_UNTAGGED,
    topics.CONTACT_OPTED_OUT,
    topics.CONTACT_OPTED_IN,
)


def register_read_models(
    broker: KafkaBroker, *, group_id: str, store: MessagingStore, relay: OutboxRelay,
    receive_texts_that_waited: Callable[[str], Awaitable[int]],
) -> None:
    async def keep_contact(envelope: Envelope) -> None:
        """Keep the newest snapshot of each contact (per account) to check who may be texted."""
        await read_models.keep_contact_snapshot(envelope.data.contact, account_id=envelope.account_id, store=store)

    async def forget_contact(envelope: Envelope) -> None:
        """Mark the contact deleted: nothing more is sent to it."""
        await read_models.forget_contact(envelope.data, account_id=envelope.account_id, store=store)

    async def keep_sender_number(envelope: Envelope) -> None:
        """Record the user's own number, send the texts that waited for it, and take in the texts
        that reached it before it was known here."""
        released = await read_models.keep_sender_number(envelope.data, account_id=envelope.account_id, store=store)
        if released + await receive_texts_that_waited(envelope.data.phone_number):
            relay.kick()

    async def drop_sender_number(envelope: Envelope) -> None:
        """Forget a released number."""
        await read_models.drop_sender_number(envelope.data, store=store)

    async def keep_user(envelope: Envelope) -> None:
        """Keep each user's role and active flag (threads of deactivated users go to an admin)."""
        await read_models.keep_user(envelope.data.user, account_id=envelope.account_id, as_of=envelope.time, store=store)

    async def keep_registration(envelope: Envelope) -> None:
        """Keep the account's A2P 10DLC registration state (sends warn until it is approved)."""
        await store.save_registration(envelope.account_id, state=envelope.data.state, at=envelope.time)

    async def keep_registration_brand(envelope: Envelope) -> None:
        """Keep the registered brand's name and contact details, which the HELP reply names."""
        brand = envelope.data.model_dump(include={"company_name", "website", "contact_email", "contact_phone"})
        await store.save_registration_brand(envelope.account_id, brand, at=envelope.time)

    async def keep_keyword_handling(envelope: Envelope) -> None:
        """Keep whether the carrier answers STOP, START and HELP to the number itself (then we do not)."""
        data = envelope.data
        await store.save_keyword_handling(
            data.number_id, account_id=envelope.account_id, phone_number=data.phone_number,
            carrier_answers=data.carrier_answers_keywords, at=envelope.time,
        )

    handlers: dict[str, EventHandler] = {topic: keep_contact for topic in CONTACT_SNAPSHOT_TOPICS}
    handlers[topics.NUMBER_OPT_OUT_HANDLING_CHANGED] = keep_keyword_handling
    handlers[topics.REGISTRATION_UPDATED] = keep_registration
    handlers[topics.REGISTRATION_SAVED] = keep_registration_brand
    handlers[topics.CONTACT_DELETED] = forget_contact
    handlers[topics.NUMBER_PROVISIONED] = keep_sender_number
    handlers[topics.NUMBER_RELEASED] = drop_sender_number
    handlers[topics.USER_CREATED] = keep_user
    handlers[topics.USER_UPDATED] = keep_user
    subscribe_many(
        broker,
        handlers,
        group_id=group_id,
        title=f"{group_id}:read-models",
        description="Contacts (newest snapshot per contact), users' own numbers and users' roles, kept locally: "
        + ", ".join(sorted(handlers))
        + " (and the account's A2P registration state and brand details)",
    )


def register_send_worker(
    broker: KafkaBroker,
    *,
    group_id: str,
    courier: Courier,
    relay: OutboxRelay,
    consumers: int = 1,
    batch_size: int = 100,
) -> None:
    """`consumers` Kafka consumers in this process, each owning its own partitions and taking up to
    `batch_size` send requests at a time: one contact's texts stay in order, and the offsets of a
    batch are committed only after its work is durable (a failed batch is read again)."""

    async def send(envelopes: list[Envelope[MessageSendRequested]], message: KafkaMessage) -> None:
        """Send each text once at the carrier (re-checking eligibility, quiet hours and the sender number first)."""
        if len(envelopes) == 1:
            bind_correlation_id(envelopes[0].correlation_id)
        traced = [(envelope.data.message_id, headers) for envelope, headers in zip(envelopes, message.batch_headers, strict=False)]
        with (
            consuming(topics.MESSAGE_SEND_REQUESTED, consumer_group_name(group_id, topics.MESSAGE_SEND_REQUESTED)),
            consumed_batch(f"{topics.MESSAGE_SEND_REQUESTED} deliver", traced),
        ):
            await deliver_batch([(envelope.account_id, envelope.data) for envelope in envelopes], courier=courier)
        relay.kick()

    namespace = getattr(broker, "topic_namespace", "")
    for consumer in range(consumers):
        broker.subscriber(
            namespace + topics.MESSAGE_SEND_REQUESTED,
            group_id=consumer_group_name(group_id, topics.MESSAGE_SEND_REQUESTED, namespace),
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            batch=True,
            max_records=batch_size,
            title=f"{group_id}:{topics.MESSAGE_SEND_REQUESTED}",
            description=send.__doc__,
            include_in_schema=consumer == 0,
        )(send)
