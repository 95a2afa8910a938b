"""Nothing is lost between the database write and its event: a contact written while
no relay runs (the process "dies" before publishing) is published by the next
process, exactly once."""

from services.contacts.bootstrap import build_contacts_runtime, build_ports
from services.contacts.domain.commands import CreateContact
from services.contacts.domain.model import Actor
from services.contacts.domain.phones import PhoneInput
from services.contacts.service_layer import handlers
from shared import topics
from shared.outbox import PENDING_FIELD
from tests.contacts.cleanup import remove_test_data
from tests.support.waiting import eventually


async def test_an_event_written_but_never_relayed_is_published_once_after_restart(contacts_settings, tap, account):
    settings = contacts_settings.model_copy(update={"database": f"{contacts_settings.database}_crash"})

    crashed = build_contacts_runtime(settings)  # built, never started: no relay, no consumers
    contact = await handlers.create_contact(
        CreateContact(account_id=account, actor=Actor(user_id="user-1"), first_name="Ada",
                      phones=[PhoneInput("2025550123", type="cell")]),
        ports=build_ports(crashed, settings),
    )
    stored = await crashed.db["contacts"].find_one({"_id": contact.contact_id})
    assert stored[PENDING_FIELD] is True and [event["type"] for event in stored["outbox"]] == [topics.CONTACT_CREATED]
    await crashed.mongo.close()  # the process dies here
    await tap.caught_up()
    assert tap.of(account) == [], "nothing may be published before a relay runs"

    restarted = build_contacts_runtime(settings)
    await restarted.start(consume=False)
    try:
        [event] = await tap.wait_for(account, topics.CONTACT_CREATED)
        assert event.id == stored["outbox"][0]["id"] and event.data.contact.contact_id == contact.contact_id

        async def outbox_drained():
            document = await restarted.db["contacts"].find_one({"_id": contact.contact_id})
            return PENDING_FIELD not in document and "outbox" not in document

        await eventually(outbox_drained, what="the relay to acknowledge the published event")
        await tap.caught_up()
        assert [e.id for e in tap.of(account)] == [event.id], "published exactly once"
    finally:
        await remove_test_data(restarted)
        await restarted.stop()
