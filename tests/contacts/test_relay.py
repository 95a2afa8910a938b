"""The contacts relay looks for pending contacts only when that can find something: after a
contact write, after a look that found some, or at a periodic look; an import batch wakes it
for the import queue alone."""

import json

from services.contacts.adapters.outbox_relay import ContactsRelay
from services.contacts.adapters.repository import CONTACTS, IMPORTED_EVENTS, IMPORTED_EVENTS_FIELD
from shared.events import Envelope, NumberNeeded
from shared.mongo import connect
from shared.outbox import OUTBOX_FIELD, new_document_with_events


def _event(subject: str) -> Envelope:
    return Envelope.wrap(NumberNeeded(user_id=subject), account_id="account-1", subject=subject)


async def test_an_import_wake_relays_the_queue_and_leaves_contacts_for_a_contact_write_or_a_periodic_look(infra, run_id):
    client = connect(infra["MONGO_URL"])
    db = client[f"contacts_relay_{run_id}"]
    published: list[str] = []

    async def publish(event: dict) -> None:
        published.append(event["subject"])

    relay = ContactsRelay(db, [CONTACTS], publish)
    try:
        assert await relay.relay_pending() == 0  # the first pass looks everywhere

        await db[CONTACTS].insert_one(new_document_with_events({"_id": "written-elsewhere"}, [_event("written-elsewhere")]))
        await db[IMPORTED_EVENTS].insert_many([
            {"_id": "imported", IMPORTED_EVENTS_FIELD: json.dumps([_event("imported").to_document()])},
            {"_id": "queued-as-a-list", OUTBOX_FIELD: [_event("queued-as-a-list").to_document()]},
        ])
        relay.kick_imports()
        assert await relay._wait_for_kick(0.01)  # as the relay's loop wakes
        assert await relay.relay_pending() == 2
        assert sorted(published) == ["imported", "queued-as-a-list"]
        assert await db[IMPORTED_EVENTS].count_documents({}) == 0

        assert not await relay._wait_for_kick(0.01)  # a periodic look
        assert await relay.relay_pending() == 1
        assert published[2:] == ["written-elsewhere"]

        await db[CONTACTS].insert_one(new_document_with_events({"_id": "written-here"}, [_event("written-here")]))
        relay.kick()
        assert await relay._wait_for_kick(0.01)
        assert await relay.relay_pending() == 1
        assert published[3:] == ["written-here"]
    finally:
        await client.drop_database(db.name)
        await client.close()
