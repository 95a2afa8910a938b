"""A user without a number of their own: texts wait, a number is asked for, then they go out once."""

from datetime import UTC, datetime, timedelta

from services.messaging.domain import lifecycle
from services.messaging.adapters.store.messages import message_id_for
from services.messaging.service_layer.sending import new_id, send_requested_event
from shared import topics
from tests.messaging.conftest import phone


async def test_texts_wait_for_a_number_then_go_out_exactly_once(messaging, account):
    cells = [phone("cell"), phone("cell")]
    contacts = [await account.create_contact(cell) for cell in cells]

    answers = [await account.send(contact.contact_id) for contact in contacts]

    assert all(answer.status_code == 202 for answer in answers)
    assert (
        "you have no texting number yet: one is being set up and these messages will go out once it is ready"
        in answers[0].json()["warnings"]
    )
    messages = [answer.json()["messages"][0] for answer in answers]
    for message in messages:
        await account.message_reaches(message["message_id"], "waiting_for_number")
    [needed] = await messaging.events.wait_for(account.account_id, topics.NUMBER_NEEDED)
    assert (needed["data"]["user_id"], needed["_key"]) == (account.user_id, account.user_id)
    for message in messages:
        await messaging.events.wait_for(
            account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=message["message_id"], status="waiting_for_number"
        )

    our_number = await account.provision_number()

    for message, cell in zip(messages, cells, strict=True):
        delivered = await account.message_reaches(message["message_id"], "delivered")
        assert delivered["from_number"] == our_number
        assert [sent["from"] for sent in await messaging.carrier_log(cell.e164)] == [our_number]
        await messaging.events.wait_for(account.account_id, topics.MESSAGE_SENT, message_id=message["message_id"])
    assert len(messaging.events.of(account.account_id, topics.NUMBER_NEEDED)) == 1  # asked once for both texts


async def test_a_number_provisioned_twice_still_sends_once(messaging, account):
    cell = phone("cell")
    contact = await account.create_contact(cell)
    message = (await account.send(contact.contact_id)).json()["messages"][0]
    await account.message_reaches(message["message_id"], "waiting_for_number")

    our_number = await account.provision_number()
    await account.release_number(our_number)
    await account.provision_number()  # e.g. a redelivered or repeated number.provisioned

    await account.message_reaches(message["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 1


async def test_after_the_number_is_released_texts_wait_again(messaging, account):
    our_number = await account.provision_number()
    await account.release_number(our_number)
    contact = await account.create_contact(phone("cell"))

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    await account.message_reaches(message["message_id"], "waiting_for_number")
    new_number = await account.provision_number()
    delivered = await account.message_reaches(message["message_id"], "delivered")
    assert delivered["from_number"] == new_number


async def test_a_redelivered_send_request_changes_nothing(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    message = (await account.send(contact.contact_id)).json()["messages"][0]
    await account.message_reaches(message["message_id"], "delivered")
    [requested] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, message_id=message["message_id"])

    for _ in range(3):
        await messaging.produce_raw(requested)
    # A fence: a new text on the same contact's partition goes out after the redeliveries were handled.
    fence = (await account.send(contact.contact_id, "second text")).json()["messages"][0]
    await account.message_reaches(fence["message_id"], "delivered")

    assert [sent["body"] for sent in await messaging.carrier_log(cell.e164)] == [message["body"], "second text"]


async def _crashed_mid_call(messaging, account, *, lease_by: str, lease_left: timedelta, body: str) -> tuple[dict, str, str]:
    """A message some worker claimed (`sending`) and then died on, as the store would hold it."""
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    store = messaging.store
    conversation = await store.conversation_for(
        account_id=account.account_id, user_id=account.user_id, their_number=cell.e164,
        contact_id=contact.contact_id, phone_id=cell.phone_id,
    )
    key = new_id()
    message = await store.add_message(
        {
            "_id": message_id_for(account.account_id, key), "account_id": account.account_id, "direction": "outbound", "user_id": account.user_id,
            "contact_id": contact.contact_id, "phone_id": cell.phone_id, "conversation_id": conversation["_id"],
            "to_number": cell.e164, "body": body, "idempotency_key": key, "created_at": datetime.now(UTC),
        },
        [],
    )
    started = datetime.now(UTC) - timedelta(seconds=5)
    lease = {"by": lease_by, "until": datetime.now(UTC) + lease_left, "started_at": started}
    await store.add_state(message, lifecycle.SENDING, details={"from_number": our_number, "lease": lease})
    return message, our_number, cell.e164


async def test_a_message_left_sending_by_a_crash_after_the_call_is_recorded_not_resent(messaging, account):
    message, our_number, to = await _crashed_mid_call(
        messaging, account, lease_by="worker-that-died", lease_left=timedelta(seconds=-1), body="Sent just before the crash"
    )
    at_carrier = await messaging.send_at_carrier(to=to, from_=our_number, body=message["body"])

    await messaging.produce(send_requested_event(message))  # Kafka redelivers the uncommitted request

    delivered = await account.message_reaches(message["_id"], "delivered")
    assert delivered["carrier_sid"] == at_carrier["sid"]
    assert [sent["sid"] for sent in await messaging.carrier_log(to)] == [at_carrier["sid"]]


async def test_a_message_left_sending_by_a_crash_before_the_call_is_sent_once(messaging, account):
    message, _, to = await _crashed_mid_call(
        messaging, account, lease_by="worker-that-died", lease_left=timedelta(seconds=-1), body="Never reached the carrier"
    )

    await messaging.produce(send_requested_event(message))

    await account.message_reaches(message["_id"], "delivered")
    assert len(await messaging.carrier_log(to)) == 1


async def test_a_live_lease_of_another_worker_is_waited_out_before_reconciling(messaging, account):
    message, _, to = await _crashed_mid_call(
        messaging, account, lease_by="worker-still-busy", lease_left=timedelta(seconds=2), body="Wait for the lease"
    )

    await messaging.produce(send_requested_event(message))

    await account.message_reaches(message["_id"], "delivered", timeout=30)
    assert len(await messaging.carrier_log(to)) == 1
    states = {state["key"]: state for state in (await messaging.store.states_of_many([message["_id"]]))[message["_id"]]}
    assert states["takeover:1"]["lease"]["by"] == "worker-a"
    assert states["takeover:1"]["at"] >= states["sending"]["lease"]["until"]  # not before the lease ran out
