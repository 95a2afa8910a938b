"""A change and its event survive the process dying between the write and the publish."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid

from aiokafka import AIOKafkaConsumer

from shared.events import Envelope, NumberNeeded
from shared.kafka import create_broker, declare_publishers, ensure_topics
from shared.mongo import connect
from shared.outbox import OutboxRelay
from tests.conftest import REPO_ROOT
from tests.support.waiting import eventually

# Writes one document with its event, says so, then waits to be killed before any relay runs.
WRITER = """
import asyncio, sys
from shared.events import Envelope, NumberNeeded
from shared.mongo import connect
from shared.outbox import new_document_with_events

async def main(mongo_url, database, user_id):
    client = connect(mongo_url)
    event = Envelope.wrap(NumberNeeded(user_id=user_id), account_id="crash-test", subject=user_id)
    await client[database]["lines"].insert_one(new_document_with_events({"_id": user_id, "state": "wanted"}, [event]))
    print(event.id, flush=True)
    await asyncio.sleep(3600)

asyncio.run(main(*sys.argv[1:]))
"""


async def _events_on(bootstrap: str, topic: str, user_id: str, seconds: float) -> list[dict]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"crash-{uuid.uuid4().hex}", auto_offset_reset="earliest")
    await consumer.start()
    found = []
    try:
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    if event["subject"] == user_id:
                        found.append(event)
    finally:
        await consumer.stop()
    return found


async def test_an_event_written_by_a_killed_process_is_published_once_by_the_next(infra, run_id):
    database, user_id, namespace = f"outbox_crash_{run_id}", uuid.uuid4().hex, f"crash-{run_id}."
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, infra["MONGO_URL"], database, user_id],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    event_id = writer.stdout.readline().strip()
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()

    client = connect(infra["MONGO_URL"])
    lines = client[database]["lines"]
    stored = await lines.find_one({"_id": user_id})
    assert stored["state"] == "wanted" and [event["id"] for event in stored["outbox"]] == [event_id]

    await ensure_topics(infra["KAFKA_BOOTSTRAP_SERVERS"], namespace)
    broker = create_broker(infra["KAFKA_BOOTSTRAP_SERVERS"], client_id="crash-test", topic_namespace=namespace)
    relay = OutboxRelay(client[database], ["lines"], declare_publishers(broker, [NumberNeeded]))
    await broker.connect()
    await relay.start()
    try:
        async def relayed():
            return "outbox" not in await lines.find_one({"_id": user_id})
        await eventually(relayed, what="the relay to publish the dead writer's event")
    finally:
        await relay.stop()
        await broker.stop()

    published = await _events_on(infra["KAFKA_BOOTSTRAP_SERVERS"], namespace + "number.needed", user_id, seconds=3)
    assert [event["id"] for event in published] == [event_id]
    assert Envelope[NumberNeeded].model_validate(published[0]).data.user_id == user_id
    await client.drop_database(database)
    await client.close()
