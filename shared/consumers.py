"""Subscribing to events: decode the envelope, carry its correlation id, commit
the offset only after the handler's work is durable (a failure re-delivers)."""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaRouter
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.events import EVENT_TYPES, Envelope, parse_envelope
from shared.metrics.consuming import consuming
from shared.observability import bind_correlation_id

log = logging.getLogger(__name__)

EventHandler = Callable[[Envelope], Awaitable[None]]


def subscribe(
    broker: KafkaBroker | KafkaRouter,
    topic: str,
    *,
    group_id: str,
    handler: EventHandler,
    title: str | None = None,
    description: str | None = None,
    from_beginning: bool = True,
) -> None:
    """Route `topic` to `handler` within consumer group `group_id`.

    A new group starts from the oldest event unless `from_beginning` is False
    (live fan-out, where only what happens from now on matters)."""

    envelope_model = Envelope[EVENT_TYPES[topic]]
    group = consumer_group_name(group_id, topic)

    async def on_message(envelope: envelope_model) -> None:
        bind_correlation_id(envelope.correlation_id)
        with consuming(topic, group):
            await handler(envelope)

    on_message.__name__ = f"on_{topic.replace('.', '_')}"
    namespace = getattr(broker, "topic_namespace", "")
    broker.subscriber(
        namespace + topic,
        # One group per topic: each subscriber is its own consumer, and sharing one
        # group across topics would make every start-up rebalance the others.
        group_id=consumer_group_name(group_id, topic, namespace),
        auto_offset_reset="earliest" if from_beginning else "latest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=title or f"{group_id}:{topic}",
        description=description or handler.__doc__,
    )(on_message)


def consumer_group_name(group_id: str, topic: str, namespace: str = "") -> str:
    """The Kafka consumer group of one service's subscription to one topic."""
    return f"{namespace}{group_id}.{topic}"


class ProcessedEvents:
    """Remembers which events a consumer has fully handled, for handlers whose
    work is not naturally idempotent (creating a notification, sending email)."""

    def __init__(self, db: AsyncDatabase, consumer: str) -> None:
        self._collection = db["processed_events"]
        self._consumer = consumer

    def _key(self, event_id: str) -> str:
        return f"{self._consumer}:{event_id}"

    async def seen(self, event_id: str) -> bool:
        return await self._collection.find_one({"_id": self._key(event_id)}, {"_id": 1}) is not None

    async def remember(self, event_id: str) -> None:
        try:
            await self._collection.insert_one({"_id": self._key(event_id), "at": datetime.now(UTC)})
        except DuplicateKeyError:
            pass


def subscribe_many(
    broker: KafkaBroker | KafkaRouter,
    handlers: dict[str, EventHandler],
    *,
    group_id: str,
    title: str,
    description: str,
    from_beginning: bool = True,
) -> None:
    """One consumer for several topics (e.g. every event feeding one read model), otherwise
    like `subscribe`: offsets committed after the handler, a failure re-delivers."""

    async def on_event(body: dict) -> None:
        envelope = parse_envelope(body)
        bind_correlation_id(envelope.correlation_id)
        with consuming(envelope.type, group_id):
            await handlers[envelope.type](envelope)

    namespace = getattr(broker, "topic_namespace", "")
    broker.subscriber(
        *(namespace + topic for topic in handlers),
        group_id=namespace + group_id,
        auto_offset_reset="earliest" if from_beginning else "latest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=title,
        description=description,
    )(on_event)
