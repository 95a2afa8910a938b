"""Several send workers share the work, and each text still goes out exactly once."""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from shared import topics
from tests.messaging.conftest import phone, settle
from tests.messaging.test_bulk import _bulk, _job_reaches
from tests.support.waiting import eventually

REPO_ROOT = Path(__file__).resolve().parents[2]

CONTACTS = 12
CELLS_PER_CONTACT = 5  # 60 messages


async def test_two_workers_send_many_texts_each_exactly_once(messaging, account, second_worker):
    our_number = await account.provision_number()
    contacts = [
        await account.create_contact(*(phone("cell") for _ in range(CELLS_PER_CONTACT)), wait=False) for _ in range(CONTACTS)
    ]
    for contact in contacts:
        await messaging.wait_for_contact_revision(account.account_id, contact.contact_id, 1)

    async with second_worker("worker-b") as worker_b:
        await settle(worker_b.runtime.broker)
        answers = await asyncio.gather(*(account.send(contact.contact_id, "Polls are open until 8pm") for contact in contacts))
        assert all(answer.status_code == 202 for answer in answers)
        messages = [message for answer in answers for message in answer.json()["messages"]]
        assert len(messages) == CONTACTS * CELLS_PER_CONTACT

        # Kafka redelivers: every request again, while the workers are busy with the first ones.
        requested = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, count=len(messages), timeout=60)
        await asyncio.gather(*(messaging.produce_raw(event) for event in requested))

        async def all_sent():
            return len(await messaging.carrier_log(from_=our_number)) >= len(messages) or None

        # Generous: on a busy two-core machine FerretDB (SQLite) alone can take minutes for this.
        await eventually(all_sent, timeout=600, what="every text at the carrier")
        ids = [message["message_id"] for message in messages]
        states = await messaging.store.states_of_many(ids)

    at_carrier = await messaging.carrier_log(from_=our_number)
    per_recipient = Counter(sent["to"] for sent in at_carrier)
    assert sorted(per_recipient) == sorted(message["to_number"] for message in messages)
    assert set(per_recipient.values()) == {1}
    senders = Counter(next(s for s in states[i] if s["key"] == "sending")["lease"]["by"] for i in ids)
    assert set(senders) == {"worker-a", "worker-b"}, senders  # both took a share
    sent_events = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SENT, count=len(messages), timeout=60)
    assert Counter(event["data"]["message_id"] for event in sent_events) == Counter(ids)



def _send_consumers(worker) -> list:
    consumers = []
    for subscriber in worker.runtime.broker.subscribers:
        consumers += [c for c in getattr(subscriber, "consumer_subgroup", None) or [subscriber.consumer] if c is not None]
    return [c for c in consumers if any(topic.endswith(topics.MESSAGE_SEND_REQUESTED) for topic in c.subscription())]


async def _shares_partitions(worker, *, members: int) -> bool | None:
    """Whether the send workers' group has settled with `members` members (the group coordinator's
    word, not a member's possibly stale view) and this in-process worker holds only part of it."""
    consumers = _send_consumers(worker)
    admin = AIOKafkaAdminClient(bootstrap_servers=worker.settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_consumer_groups([consumers[0]._group_id])
    finally:
        await admin.close()
    group = described[0].to_object()["groups"][0]
    owned = {p for consumer in consumers for p in consumer.assignment() if p.topic.endswith(topics.MESSAGE_SEND_REQUESTED)}
    return (group["state"] == "Stable" and len(group["members"]) == members and 0 < len(owned) < topics.PARTITIONS) or None


async def test_a_worker_killed_mid_bulk_leaves_every_text_sent_exactly_once(messaging, account):
    our_number = await account.provision_number()
    contacts = [await account.create_contact(phone("cell"), wait=False) for _ in range(30)]
    for contact in contacts:
        await messaging.wait_for_contact_revision(account.account_id, contact.contact_id, 1)
    environment = {**os.environ, **messaging.settings.as_environment(), "MESSAGING_LOG_LEVEL": "WARNING",
                   # it runs on the real clock, and the test must not depend on the hour
                   "MESSAGING_QUIET_HOURS_ENFORCED": "false"}
    # A plain child process, killed and reaped directly (not through asyncio's child watcher).
    doomed = subprocess.Popen(
        [sys.executable, "-m", "services.messaging", "worker"], env=environment, cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        await eventually(
            lambda: _shares_partitions(messaging.workers[0], members=2), timeout=120,
            what="the worker process to join the send workers",
        )
        job = (await _bulk(account, body="Exactly once", contact_ids=[c.contact_id for c in contacts])).json()

        async def doomed_is_sending():
            found = await messaging.store.states_by_worker(f"-{doomed.pid}-")
            return found or None

        await eventually(doomed_is_sending, timeout=120, what="the worker process to take a share")
    finally:
        doomed.kill()
        doomed.wait(timeout=30)

    await _job_reaches(account, job["job_id"], "completed", timeout=180, delivered=30)
    per_recipient = Counter(sent["to"] for sent in await messaging.carrier_log(from_=our_number))
    assert sorted(per_recipient) == sorted(contact.phones[0].e164 for contact in contacts)
    assert set(per_recipient.values()) == {1}
