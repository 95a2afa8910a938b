"""Consumer lag per group and partition, from the aiokafka consumers of this process's subscribers:
the partition's end offset less the group's committed offset (or the consumer's position before
its first commit). Each process reports the partitions it holds, so the sum over processes is the
group's lag."""

import asyncio
import logging

from aiokafka import AIOKafkaConsumer

from shared.metrics.families.kafka import KAFKA_CONSUMER_LAG

log = logging.getLogger(__name__)
POSITION_TIMEOUT_SECONDS = 2.0


def _consumers(broker) -> list[tuple[str, AIOKafkaConsumer]]:
    found = []
    for subscriber in broker.subscribers:
        group = getattr(subscriber, "group_id", None)
        consumers = getattr(subscriber, "consumer_subgroup", None) or [getattr(subscriber, "consumer", None)]
        found += [(group, consumer) for consumer in consumers if group and consumer is not None]
    return found


async def _committed_or_position(consumer: AIOKafkaConsumer, partition) -> int | None:
    committed = await consumer.committed(partition)
    if committed is not None:
        return committed
    try:
        return await asyncio.wait_for(consumer.position(partition), POSITION_TIMEOUT_SECONDS)
    except Exception:
        return None


class LagSampler:
    def __init__(self, broker) -> None:
        self._broker = broker
        self._reported: set[tuple[str, str, str]] = set()

    async def sample(self) -> None:
        namespace = getattr(self._broker, "topic_namespace", "")
        seen: set[tuple[str, str, str]] = set()
        for group, consumer in _consumers(self._broker):
            partitions = sorted(consumer.assignment())
            if not partitions:
                continue
            ends = await consumer.end_offsets(partitions)
            for partition in partitions:
                done = await _committed_or_position(consumer, partition)
                if done is None:
                    continue
                labels = (group.removeprefix(namespace), partition.topic.removeprefix(namespace), str(partition.partition))
                KAFKA_CONSUMER_LAG.labels(*labels).set(max(ends[partition] - done, 0))
                seen.add(labels)
        for gone in self._reported - seen:
            KAFKA_CONSUMER_LAG.remove(*gone)
        self._reported = seen
