"""Real Kafka for service tests: produce envelopes, watch topics, start a consumer group "now"."""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.events import Envelope
from shared.consumers import consumer_group_name
from shared.kafka import ensure_topics


async def produce(bootstrap_servers: str, *envelopes: Envelope, namespace: str = "") -> None:
    """Publish envelopes as a service would: JSON, keyed by subject (on the topics of `namespace`)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        for envelope in envelopes:
            await producer.send_and_wait(
                namespace + envelope.type,
                value=envelope.model_dump_json().encode(),
                key=envelope.subject.encode(),
                headers=[("content-type", b"application/json"), ("correlation_id", envelope.correlation_id.encode())],
            )
    finally:
        await producer.stop()


async def start_group_at_end(
    bootstrap_servers: str, group_id: str, topics: Iterable[str], *, per_topic: bool = True, namespace: str = ""
) -> None:
    """Commit the current end of every partition for `group_id`, so a fresh test group
    handles only what is produced from now on, not every earlier run's events (`namespace`:
    the topics and groups of a service running under that topic namespace)."""
    topics = tuple(namespace + topic for topic in topics)
    await ensure_topics(bootstrap_servers, namespace)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    for topic in described:
        partitions = [TopicPartition(topic["topic"], p["partition"]) for p in topic["partitions"]]
        plain_topic = topic["topic"].removeprefix(namespace)
        group = consumer_group_name(group_id, plain_topic, namespace) if per_topic else namespace + group_id
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(partitions)
            await consumer.commit(await consumer.end_offsets(partitions))
        finally:
            await consumer.stop()


class EventLog:
    """Every event on some topics since the start of time, decoded; tests filter by account."""

    def __init__(self, consumer: AIOKafkaConsumer | None = None) -> None:
        self.events: list[dict] = []
        self._consumer = consumer

    async def read_to_end(self, timeout: float = 20.0) -> None:
        """Return once every event on the topics as of now is in `events`."""
        partitions = list(self._consumer.assignment())
        ends = await self._consumer.end_offsets(partitions)
        async with asyncio.timeout(timeout):
            for partition, end in ends.items():
                while await self._consumer.position(partition) < end:
                    await asyncio.sleep(0.05)

    def of(self, event_type: str, account_id: str) -> list[dict]:
        return [event for event in self.events if event.get("type") == event_type and event.get("account_id") == account_id]


@contextlib.asynccontextmanager
async def watching(bootstrap_servers: str, topics: Iterable[str]) -> AsyncIterator[EventLog]:
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=f"test-watch-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    log = EventLog(consumer)
    await consumer.start()

    async def collect() -> None:
        async for record in consumer:
            with contextlib.suppress(ValueError):
                log.events.append(json.loads(record.value))

    task = asyncio.create_task(collect())
    try:
        yield log
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()
