"""Watch the topics the contacts service publishes, and produce events to it, on the real Kafka."""

import asyncio
import json
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.events import Envelope, parse_envelope
from tests.support.waiting import eventually


class EventTap:
    """Reads every event published on `topics` from the moment it starts (not history)."""

    def __init__(self, bootstrap_servers: str, topic_names: tuple[str, ...]) -> None:
        self._bootstrap = bootstrap_servers
        self._topics = topic_names
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task | None = None
        self._next_offset: dict[TopicPartition, int] = {}
        self.events: list[tuple[bytes | None, Envelope]] = []
        self.unreadable: list[tuple[str, int, str]] = []

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False, group_id=None)
        await self._consumer.start()
        partitions = await self._partitions()
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)
        for partition in partitions:
            self._next_offset[partition] = await self._consumer.position(partition)
        self._task = asyncio.create_task(self._collect())

    async def _partitions(self) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(list(self._topics))
        finally:
            await admin.close()
        return [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        ]

    async def _collect(self) -> None:
        async for record in self._consumer:
            self._next_offset[TopicPartition(record.topic, record.partition)] = record.offset + 1
            try:
                event = parse_envelope(json.loads(record.value))
            except (ValueError, KeyError, TypeError) as error:  # other suites share these topics
                self.unreadable.append((record.topic, record.offset, str(error)))
                continue
            self.events.append((record.key, event))

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._consumer:
            await self._consumer.stop()

    def of(self, account_id: str, event_type: str | None = None) -> list[Envelope]:
        return [
            event for _, event in self.events
            if event.account_id == account_id and (event_type is None or event.type == event_type)
        ]

    def keys_of(self, account_id: str) -> list[tuple[bytes | None, Envelope]]:
        return [(key, event) for key, event in self.events if event.account_id == account_id]

    async def wait_for(
        self, account_id: str, event_type: str, where: Callable[[Envelope], bool] = lambda _: True, *, count: int = 1
    ) -> list[Envelope]:
        async def found():
            self._check_alive()
            matching = [event for event in self.of(account_id, event_type) if where(event)]
            return matching if len(matching) >= count else None

        return await eventually(found, timeout=20, what=f"{count} {event_type} event(s) for {account_id}")

    def _check_alive(self) -> None:
        if self._task and self._task.done():
            self._task.result()  # raises what stopped it
            raise AssertionError("the event tap stopped reading")

    async def caught_up(self) -> None:
        """Wait until everything published so far on the watched topics has been read,
        so that a count taken afterwards is complete."""
        ends = await self._consumer.end_offsets(list(self._next_offset))

        async def read_to_end():
            self._check_alive()
            return all(self._next_offset[partition] >= end for partition, end in ends.items())

        await eventually(read_to_end, timeout=20, what="the tap to read to the end of its topics")


class EventProducer:
    def __init__(self, bootstrap_servers: str) -> None:
        self._producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def publish(self, envelope: Envelope, *, key: str) -> None:
        await self._producer.send_and_wait(
            envelope.type,
            json.dumps(envelope.model_dump(mode="json")).encode(),
            key=key.encode(),
            headers=[("content-type", b"application/json"), ("correlation_id", envelope.correlation_id.encode())],
        )
