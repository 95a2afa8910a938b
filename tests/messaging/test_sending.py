"""Sending texts: one message per textable cell phone, sent exactly once at the carrier."""

import asyncio
from uuid import uuid4

from shared import topics
from tests.messaging.conftest import phone


async def test_a_text_to_a_contact_goes_out_once_and_is_delivered(messaging, account):
    await account.set_registration("approved")
    our_number = await account.provision_number()
    cell, home = phone("cell"), phone("home")
    contact = await account.create_contact(cell, home)

    answer = await account.send(contact.contact_id, "  Hi Pat, can we count on your vote?  ")

    assert answer.status_code == 202, answer.text
    result = answer.json()
    assert result["skipped"] == [{"phone_id": home.phone_id, "reason": "not_cell"}]
    assert result["warnings"] == []
    [message] = result["messages"]
    assert message["status"] == "accepted"
    assert message["body"] == "Hi Pat, can we count on your vote?"
    assert (message["to_number"], message["phone_id"], message["user_id"]) == (cell.e164, cell.phone_id, account.user_id)

    delivered = await account.message_reaches(message["message_id"], "delivered")
    assert delivered["from_number"] == our_number
    [at_carrier] = await messaging.carrier_log(cell.e164)
    assert (at_carrier["from"], at_carrier["body"], at_carrier["sid"]) == (our_number, message["body"], delivered["carrier_sid"])
    assert at_carrier["status_callback"] == messaging.settings.gateway_public_url + "/webhooks/twilio/messages/status"
    assert messaging.gateway.badly_signed == 0  # the callbacks reached the gateway's URL, signed for it

    events = messaging.events
    [requested] = await events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, message_id=message["message_id"])
    assert requested["_key"] == contact.contact_id
    [sent] = await events.wait_for(account.account_id, topics.MESSAGE_SENT, message_id=message["message_id"])
    assert (sent["data"]["carrier_sid"], sent["data"]["from_number"]) == (delivered["carrier_sid"], our_number)
    assert sent["_key"] == contact.contact_id
    updates = await events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, count=2, message_id=message["message_id"])
    assert sorted(update["data"]["status"] for update in updates) == ["delivered", "sent"]
    assert {update["_key"] for update in updates} == {message["conversation_id"]}


async def test_every_textable_cell_gets_its_own_message(messaging, account):
    await account.provision_number()
    first, second = phone("cell", primary=True), phone("cell")
    contact = await account.create_contact(first, second)

    answer = await account.send(contact.contact_id)

    assert answer.status_code == 202, answer.text
    messages = answer.json()["messages"]
    assert sorted(m["phone_id"] for m in messages) == sorted([first.phone_id, second.phone_id])
    assert len({m["conversation_id"] for m in messages}) == 2  # one thread per number
    for message in messages:
        await account.message_reaches(message["message_id"], "delivered")
        assert len(await messaging.carrier_log(message["to_number"])) == 1


async def test_phones_that_may_not_be_texted_are_skipped_with_the_reason(messaging, account):
    await account.provision_number()
    good = phone("cell")
    landline, wrong, opted_out = phone("landline"), phone("cell", wrong_number=True), phone("cell", opted_out=True)
    contact = await account.create_contact(landline, wrong, good, opted_out)

    answer = await account.send(contact.contact_id)

    assert answer.status_code == 202, answer.text
    assert [m["phone_id"] for m in answer.json()["messages"]] == [good.phone_id]
    assert answer.json()["skipped"] == [
        {"phone_id": landline.phone_id, "reason": "not_cell"},
        {"phone_id": wrong.phone_id, "reason": "wrong_number"},
        {"phone_id": opted_out.phone_id, "reason": "opted_out"},
    ]
    for skipped in (landline, wrong, opted_out):
        assert await messaging.carrier_log(skipped.e164) == []


async def test_nothing_textable_is_a_422_with_the_reasons_and_creates_nothing(messaging, account):
    cell, home = phone("cell"), phone("home")
    do_not_contact = await account.create_contact(cell, home, dnc=True)

    answer = await account.send(do_not_contact.contact_id)

    assert answer.status_code == 422
    assert answer.json()["skipped"] == [
        {"phone_id": cell.phone_id, "reason": "dnc"},
        {"phone_id": home.phone_id, "reason": "not_cell"},
    ]
    listed = await account.get("/v1/conversations")
    assert listed.json()["conversations"] == []


async def test_the_body_must_have_text_and_at_most_1600_characters(messaging, account):
    contact = await account.create_contact(phone("cell"))

    for body, field, problem in (
        ("   ", "body", "body is empty"),
        ("x" * 1601, "body.body", "String should have at most 1600 characters"),
    ):
        answer = await account.send(contact.contact_id, body)
        assert answer.status_code == 422
        assert answer.json()["errors"] == [{"field": field, "problem": problem}]
    for body, problem in (("   ", "body is empty"), ("x" * 1601, "body is 1601 characters; the most is 1600")):
        preview = await account.harness.api.post("/v1/messages/preview", json={"body": body}, headers=account.headers)
        assert preview.status_code == 422 and preview.json()["errors"] == [{"field": "body", "problem": problem}]
    fits = await account.harness.api.post("/v1/messages/preview", json={"body": "x" * 1600}, headers=account.headers)
    assert fits.status_code == 200 and fits.json()["segments"] == 11
    missing = await account.harness.api.post("/v1/messages", json={"body": "hi"}, headers=account.headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.contact_id"
    assert (await account.get("/v1/conversations")).json()["conversations"] == []


async def test_a_contact_created_a_moment_ago_is_waited_for(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell, wait=False)

    answer = await account.send(contact.contact_id)  # the read model may not have it yet

    assert answer.status_code == 202, answer.text
    await account.message_reaches(answer.json()["messages"][0]["message_id"], "delivered")


async def test_an_unknown_or_deleted_contact_is_a_404(messaging, account):
    contact = await account.create_contact(phone("cell"))
    await account.delete_contact(contact)

    assert (await account.send(contact.contact_id)).status_code == 404
    assert (await account.send(uuid4().hex)).status_code == 404


async def test_the_newest_revision_of_a_contact_wins_whatever_the_arrival_order(messaging, account):
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await account.publish_snapshot(contact.model_copy(update={"revision": 3, "dnc": True}))
    await account.publish_snapshot(contact.model_copy(update={"revision": 2}), wait=False)  # late
    # A fence: an event with the same key lands on the same partition, after the late one.
    await messaging.account().create_contact(phone("cell"), contact_id=contact.contact_id)

    answer = await account.send(contact.contact_id)

    assert answer.status_code == 422
    assert answer.json()["skipped"] == [{"phone_id": cell.phone_id, "reason": "dnc"}]


async def test_a_retried_request_with_the_same_idempotency_key_creates_nothing_new(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)

    first = await account.send(contact.contact_id, idempotency_key="click-42")
    again = await account.send(contact.contact_id, idempotency_key="click-42")
    other = await account.send(contact.contact_id, idempotency_key="click-43", confirm_duplicate=True)  # knowingly again

    assert first.status_code == again.status_code == other.status_code == 202
    [message] = first.json()["messages"]
    assert [m["message_id"] for m in again.json()["messages"]] == [message["message_id"]]
    assert other.json()["messages"][0]["message_id"] != message["message_id"]
    await account.message_reaches(message["message_id"], "delivered")
    await account.message_reaches(other.json()["messages"][0]["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 2


async def test_the_same_idempotency_key_in_another_account_is_another_request(messaging, account):
    other = messaging.account()
    for who in (account, other):
        await who.provision_number()
    mine, theirs = await account.create_contact(phone("cell")), await other.create_contact(phone("cell"))

    assert (await account.send(mine.contact_id, idempotency_key="same")).status_code == 202
    answer = await other.send(theirs.contact_id, idempotency_key="same")

    assert answer.status_code == 202
    assert answer.json()["messages"][0]["contact_id"] == theirs.contact_id


async def test_eligibility_is_checked_again_when_the_text_is_sent(messaging, account):
    """A DNC tag recorded while the message waited stops it, as for a message queued in a bulk send."""
    cell = phone("cell")
    contact = await account.create_contact(cell)
    answer = await account.send(contact.contact_id)
    message = answer.json()["messages"][0]
    await account.message_reaches(message["message_id"], "waiting_for_number")

    await account.update_contact(contact, dnc=True)
    await account.provision_number()

    skipped = await account.message_reaches(message["message_id"], "skipped")
    assert skipped["skip_reason"] == "dnc"
    assert await messaging.carrier_log(cell.e164) == []
    await messaging.events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=message["message_id"], status="skipped")


async def test_a_carrier_rejection_fails_the_message_with_its_error_code(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    await messaging.carrier_behaviour(cell.e164, 21610)  # the person replied STOP to the carrier itself
    contact = await account.create_contact(cell)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    failed = await account.message_reaches(message["message_id"], "failed")
    assert failed["error_code"] == 21610
    [event] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_FAILED, message_id=message["message_id"])
    assert (event["data"]["error_code"], event["data"]["phone_id"], event["data"]["user_id"]) == (21610, cell.phone_id, account.user_id)
    assert await messaging.carrier_log(cell.e164) == []


async def test_an_undelivered_text_reports_the_carriers_error(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    await messaging.carrier_behaviour(cell.e164, 30003)
    contact = await account.create_contact(cell)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    undelivered = await account.message_reaches(message["message_id"], "undelivered")
    assert undelivered["error_code"] == 30003
    [event] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_FAILED, message_id=message["message_id"])
    assert event["data"]["error_code"] == 30003
    assert len(await messaging.carrier_log(cell.e164)) == 1


async def test_too_many_requests_and_server_errors_are_retried_and_the_text_goes_out_once(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(http_status=429, count=2)
    await messaging.carrier_fault(http_status=500, count=1)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    await account.message_reaches(message["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 1


async def test_a_carrier_down_for_longer_than_the_retries_is_reconciled_on_redelivery(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(http_status=503, count=messaging.settings.send_attempts * 2 + 1)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    await account.message_reaches(message["message_id"], "delivered", timeout=40)
    assert len(await messaging.carrier_log(cell.e164)) == 1
    assert (await messaging.carrier.get("/sandbox/faults")).json()["faults"] == []


async def test_texts_to_one_person_keep_their_order_through_a_carrier_outage(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(http_status=503, count=messaging.settings.send_attempts * 2 + 1)

    first, second, third = [(await account.send(contact.contact_id, body=f"Text {n}")).json()["messages"][0] for n in (1, 2, 3)]

    for message in (first, second, third):
        await account.message_reaches(message["message_id"], "delivered", timeout=60)
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == ["Text 1", "Text 2", "Text 3"]


async def test_a_timeout_after_the_carrier_took_the_text_is_reconciled_not_resent(messaging, account):
    """The carrier creates the text, then never answers: the worker must find it, not send again.
    Its status callbacks arrive before the worker knows the sid, and are applied once it does."""
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(mode="timeout", hold_seconds=5, message_created=True)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    delivered = await account.message_reaches(message["message_id"], "delivered")
    [at_carrier] = await messaging.carrier_log(cell.e164)
    assert at_carrier["sid"] == delivered["carrier_sid"]
    [sent] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SENT, message_id=message["message_id"])
    assert sent["data"]["carrier_sid"] == at_carrier["sid"]


async def test_a_timeout_before_the_carrier_took_the_text_sends_it_once(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await messaging.carrier_fault(mode="timeout", hold_seconds=5, message_created=False)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    await account.message_reaches(message["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 1


async def test_many_texts_in_a_row_each_go_out_once(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(5)]

    answers = await asyncio.gather(*(account.send(contact.contact_id) for contact in contacts))

    for answer in answers:
        await account.message_reaches(answer.json()["messages"][0]["message_id"], "delivered")
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1
