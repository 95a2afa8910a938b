"""The carrier's list of messages (read before a timed-out text is sent again) fails like any other
call: a 429 there is mapped as the carrier asking us to slow down and retried, never an unmapped
error, and the text still goes out once."""

from datetime import UTC, datetime

import pytest

from services.messaging.adapters.carrier import CarrierUnavailable
from tests.messaging.conftest import phone


async def test_a_429_on_the_messages_list_in_the_send_retry_path_is_retried_and_the_text_goes_once(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(mode="timeout", hold_seconds=5, message_created=False)
    await messaging.carrier_fault(http_status=429, count=2, operation="list_messages")

    message = (await account.send(contact.contact_id, "Looked up, then sent")).json()["messages"][0]

    await account.message_reaches(message["message_id"], "delivered", timeout=40)
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == ["Looked up, then sent"]
    assert (await messaging.carrier.get("/sandbox/faults")).json()["faults"] == []  # both 429s were met


async def test_the_carrier_adapter_maps_a_429_on_the_messages_list_as_worth_retrying(messaging, account):
    [worker] = messaging.workers
    our_number = await account.provision_number()
    await messaging.carrier_fault(http_status=429, count=1, operation="list_messages")

    with pytest.raises(CarrierUnavailable) as raised:
        await worker.courier.carrier.messages_between(to=phone("cell").e164, from_=our_number, sent_after=datetime.now(UTC))

    assert (raised.value.http_status, raised.value.code, raised.value.may_have_gone_out) == (429, 20429, False)
    assert str(raised.value) == "the carrier asked us to slow down (too many requests) (carrier error 20429)"
    assert await worker.courier.carrier.messages_between(to=phone("cell").e164, from_=our_number, sent_after=datetime.now(UTC)) == []
