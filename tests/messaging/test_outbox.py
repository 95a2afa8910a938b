"""Nothing is lost between recording a change and publishing its events, even across a crash."""

from uuid import uuid4

from pymongo import AsyncMongoClient

from services.messaging.adapters.outbox import OUTBOX, PUBLISHED, with_events
from services.messaging.adapters.repository import NUMBER_REQUESTS, now
from shared import topics
from shared.events import Envelope
from shared.events.messaging import NumberNeeded
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
