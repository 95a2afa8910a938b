"""Nothing is lost between recording a change and publishing its events, even across a crash."""

from uuid import uuid4

from pymongo import AsyncMongoClient

from services.messaging.adapters.outbox import OUTBOX, PUBLISHED, RecordedEvents, with_events
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.messages import MESSAGES
from services.messaging.adapters.store.number_requests import NUMBER_REQUESTS
from shared import topics
from shared.events import Envelope
from shared.events.messaging import NumberNeeded
from tests.messaging.conftest import phone
from tests.support.waiting import eventually


async def test_events_a_crash_left_unqueued_are_published_when_a_process_starts(messaging, account, second_worker):
    # The insert that records the change and its event happened; the process died before queueing it.
    event = Envelope.wrap(NumberNeeded(user_id=account.user_id), account_id=account.account_id, subject=account.user_id)
    source_id = f"{account.user_id}:crashed"
    client = AsyncMongoClient(messaging.settings.mongo_url, tz_aware=True)
    db = client[messaging.settings.database]
    try:
        await db[NUMBER_REQUESTS].insert_one(with_events({"_id": source_id, "user_id": account.user_id, "at": now()}, [event]))
        assert await db[OUTBOX].find_one({"_id": f"{NUMBER_REQUESTS}:{source_id}"}) is None

        async with second_worker(f"restarted-{uuid4().hex[:6]}"):  # any messaging process, starting up
            [published] = await messaging.events.wait_for(account.account_id, topics.NUMBER_NEEDED)

        assert published["id"] == event.id

        async def swept():
            entry = await db[OUTBOX].find_one({"_id": f"{NUMBER_REQUESTS}:{source_id}"})
            noted = await db[PUBLISHED].find_one({"_id": f"{NUMBER_REQUESTS}:{source_id}"})
            return entry is None and noted is not None

        await eventually(swept, timeout=30, what="the outbox entry swept and noted as published")
    finally:
        await client.close()


async def test_a_restart_does_not_publish_again_what_was_published(messaging, account, second_worker):
    event = Envelope.wrap(NumberNeeded(user_id=account.user_id), account_id=account.account_id, subject=account.user_id)
    source_id = f"{account.user_id}:published"
    client = AsyncMongoClient(messaging.settings.mongo_url, tz_aware=True)
    db = client[messaging.settings.database]
    try:
        await db[NUMBER_REQUESTS].insert_one(with_events({"_id": source_id, "user_id": account.user_id, "at": now()}, [event]))
        await db[PUBLISHED].insert_one({"_id": f"{NUMBER_REQUESTS}:{source_id}", "at": now()})

        async with second_worker(f"restarted-{uuid4().hex[:6]}"):
            assert await db[OUTBOX].find_one({"_id": f"{NUMBER_REQUESTS}:{source_id}"}) is None
    finally:
        await client.close()


async def test_a_bulk_sends_requests_are_on_kafka_when_it_is_answered_and_noted_published(messaging, account):
    contacts = [await account.create_contact(phone("cell")) for _ in range(3)]

    answer = await account.harness.api.post(
        "/v1/bulk-sends", json={"body": "Polls open at 7", "contact_ids": [c.contact_id for c in contacts]}, headers=account.headers
    )

    assert answer.status_code == 202, answer.text
    requested = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, count=3, bulk_job_id=answer.json()["job_id"])
    assert {event["data"]["contact_id"] for event in requested} == {c.contact_id for c in contacts}
    client = AsyncMongoClient(messaging.settings.mongo_url, tz_aware=True)
    db = client[messaging.settings.database]
    try:
        entry_ids = [f"{MESSAGES}:{event['data']['message_id']}" for event in requested]
        assert await db[PUBLISHED].count_documents({"_id": {"$in": entry_ids}}) == 3
        assert await db[OUTBOX].count_documents({"_id": {"$in": entry_ids}}) == 0
    finally:
        await client.close()


async def test_events_that_cannot_be_published_straight_away_go_through_the_outbox(messaging, account):
    async def kafka_down(event: dict) -> None:
        raise ConnectionError("broker unreachable")

    client = AsyncMongoClient(messaging.settings.mongo_url, tz_aware=True)
    db = client[messaging.settings.database]
    recorded = RecordedEvents(db, [NUMBER_REQUESTS], publish=kafka_down)
    event = Envelope.wrap(NumberNeeded(user_id=account.user_id), account_id=account.account_id, subject=account.user_id)
    document = with_events({"_id": f"{account.user_id}:unpublished", "user_id": account.user_id, "at": now()}, [event])
    try:
        await db[NUMBER_REQUESTS].insert_one(document)
        await recorded.publish_now(NUMBER_REQUESTS, [document])

        assert await db[PUBLISHED].find_one({"_id": f"{NUMBER_REQUESTS}:{document['_id']}"}) is None
        [published] = await messaging.events.wait_for(account.account_id, topics.NUMBER_NEEDED, user_id=account.user_id)
        assert published["id"] == event.id  # relayed from the outbox by the running api
    finally:
        await client.close()
