"""Smoke tests of the local infrastructure that deploy/local/infra runs.

They assume it is up (`deploy/local/infra up`; `eval "$(deploy/local/infra env)"`)
and read KAFKA_BOOTSTRAP_SERVERS / MONGO_URL, defaulting to the script's default ports.
"""

import asyncio
import os
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient

from tests.support.waiting import eventually

KAFKA_BOOTSTRAP_SERVERS = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
MONGO_URL = os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27027/")


@pytest.fixture(autouse=True)
def _addresses_of_the_running_infrastructure(infra):
    """Inside the test suite, the addresses `deploy/local/infra` reports (its ports may be moved)."""
    global KAFKA_BOOTSTRAP_SERVERS, MONGO_URL
    KAFKA_BOOTSTRAP_SERVERS, MONGO_URL = infra["KAFKA_BOOTSTRAP_SERVERS"], infra["MONGO_URL"]


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def _consume(topic: str, expected: int) -> list:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=KAFKA_BOOTSTRAP_SERVERS,
        group_id=_unique("infra-smoke-group"),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        received = []

        async def collect() -> None:
            async for message in consumer:
                received.append(message)
                if len(received) == expected:
                    return

        await asyncio.wait_for(collect(), timeout=30)
        await consumer.commit()  # exercises the group coordinator / __consumer_offsets
        return received
    finally:
        await consumer.stop()


async def test_keyed_message_round_trips_through_a_fresh_six_partition_topic() -> None:
    topic = _unique("infra-smoke")
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP_SERVERS)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=6, replication_factor=1)])
        # The controller creates the topic; the broker's metadata catches up a moment later.
        async def partitions():
            [described] = await admin.describe_topics([topic])
            return len(described["partitions"]) or None

        assert await eventually(partitions, timeout=30, what=f"{topic} in the broker's metadata") == 6

        producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP_SERVERS, acks="all", enable_idempotence=True)
        await producer.start()
        try:
            first = await producer.send_and_wait(topic, key=b"contact-42", value=b"hello")
            second = await producer.send_and_wait(topic, key=b"contact-42", value=b"again")
        finally:
            await producer.stop()
        assert first.partition == second.partition, "one key must map to one partition"

        received = await _consume(topic, expected=2)
        assert [(m.key, m.value, m.partition) for m in received] == [
            (b"contact-42", b"hello", first.partition),
            (b"contact-42", b"again", first.partition),
        ]
    finally:
        await admin.delete_topics([topic])
        await admin.close()


async def test_topics_are_auto_created_with_six_partitions() -> None:
    topic = _unique("infra-auto")
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA_BOOTSTRAP_SERVERS)
    await producer.start()
    try:
        await producer.send_and_wait(topic, key=b"k", value=b"v")
        partitions = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    assert len(partitions) == 6
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA_BOOTSTRAP_SERVERS)
    await admin.start()
    try:
        await admin.delete_topics([topic])
    finally:
        await admin.close()


async def test_mongo_async_insert_and_find_round_trip() -> None:
    client = AsyncMongoClient(MONGO_URL, serverSelectionTimeoutMS=5000)
    database = client[_unique("infra_smoke").replace("-", "_")]
    try:
        inserted = await database.contacts.insert_one({"name": "Ada Lovelace", "phones": ["+15550100"]})
        found = await database.contacts.find_one({"_id": inserted.inserted_id})
        assert found == {"_id": inserted.inserted_id, "name": "Ada Lovelace", "phones": ["+15550100"]}
        assert await database.contacts.count_documents({"phones.0": {"$exists": True}}) == 1
    finally:
        await client.drop_database(database.name)
        await client.close()


async def test_concurrent_increments_of_one_document_are_all_kept() -> None:
    """Counters (job progress, quotas) rely on $inc being atomic, as it is in MongoDB."""
    clients = [AsyncMongoClient(MONGO_URL, serverSelectionTimeoutMS=5000) for _ in range(4)]
    name = _unique("infra_inc").replace("-", "_")
    try:
        await clients[0][name].counters.insert_one({"_id": "job", "done": 0})
        await asyncio.gather(
            *(clients[i % 4][name].counters.update_one({"_id": "job"}, {"$inc": {"done": 1}}) for i in range(100))
        )
        assert await clients[0][name].counters.find_one({"_id": "job"}) == {"_id": "job", "done": 100}
    finally:
        await clients[0].drop_database(name)
        for client in clients:
            await client.close()


async def test_one_compare_and_set_wins_among_concurrent_callers() -> None:
    """Claims (a send, a number purchase) rely on one findAndModify winning a race."""
    clients = [AsyncMongoClient(MONGO_URL, serverSelectionTimeoutMS=5000) for _ in range(4)]
    name = _unique("infra_cas").replace("-", "_")
    try:
        await clients[0][name].claims.insert_one({"_id": "message-1", "owner": None})
        results = await asyncio.gather(
            *(
                clients[i % 4][name].claims.find_one_and_update(
                    {"_id": "message-1", "owner": None}, {"$set": {"owner": f"worker-{i}"}}
                )
                for i in range(40)
            )
        )
        winners = [result for result in results if result is not None]
        assert len(winners) == 1
        assert (await clients[0][name].claims.find_one({"_id": "message-1"}))["owner"] is not None
    finally:
        await clients[0].drop_database(name)
        for client in clients:
            await client.close()
