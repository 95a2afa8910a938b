"""Opt-outs and opt-ins that arrive as events: STOP/START keywords (message.received)
and carrier error 21610 (message.failed), produced to the real Kafka."""

from uuid import uuid4

import pytest

from shared import topics
from shared.events import Envelope, MessageFailed, MessageReceived
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("contacts_runtime")

OUR_NUMBER = "+12025550100"


def received(account: str, from_number: str, body: str, keyword: str | None, conversation: str) -> Envelope:
    data = MessageReceived(
        message_id=uuid4().hex,
        conversation_id=conversation,
        from_number=from_number,
        to_number=OUR_NUMBER,
        body=body,
        carrier_sid=f"SM{uuid4().hex}",
        keyword=keyword,
        matched_keyword=body.strip().upper() if keyword else None,
    )
    return Envelope.wrap(data, account_id=account, subject=conversation)


def failed(account: str, to_number: str, error_code: int, conversation: str) -> Envelope:
    data = MessageFailed(
        message_id=uuid4().hex,
        conversation_id=conversation,
        contact_id="unknown-to-contacts",
        user_id="user-1",
        to_number=to_number,
        reason="Attempt to send to unsubscribed recipient",
        error_code=error_code,
    )
    return Envelope.wrap(data, account_id=account, subject=conversation)


async def create(http, headers, first, number, **extra):
    body = {"first_name": first, "last_name": "Test", "phones": [{"number": number, "type": "cell"}], **extra}
    response = await http.post("/v1/contacts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def phone_of(http, headers, contact, index=0):
    return (await http.get(f"/v1/contacts/{contact['id']}", headers=headers)).json()["phones"][index]


async def test_stop_opts_out_every_contact_with_the_number_once(http, tap, producer, account, as_user):
    headers = as_user(account)
    ada = await create(http, headers, "Ada", "(202) 555-0123")
    twin = await create(http, headers, "Twin", "202.555.0123")
    other = await create(http, headers, "Other", "4155552671")
    elsewhere_account = f"{account}-elsewhere"
    elsewhere = await create(http, as_user(elsewhere_account), "Elsewhere", "2025550123")
    conversation = uuid4().hex

    stop = received(account, "+12025550123", "Stop", "opt_out", conversation)
    await producer.publish(stop, key=conversation)
    opted_out = await tap.wait_for(account, topics.CONTACT_OPTED_OUT, count=2)
    assert {event.subject for event in opted_out} == {ada["id"], twin["id"]}
    for event in opted_out:
        assert (event.data.source, event.data.keyword, event.data.e164) == ("keyword", "STOP", "+12025550123")
        assert event.data.contact.phones[0].opted_out and event.data.contact.revision == 2
    phone = await phone_of(http, headers, ada)
    assert phone["opted_out"] and phone["opt_out"]["source"] == "keyword" and phone["opt_out"]["keyword"] == "STOP"
    timeline = (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()["timeline"]
    assert timeline[-1]["kind"] == "opted_out" and timeline[-1]["source"] == "keyword"

    # Redelivery of the same event, then a marker on the same partition: once the
    # marker's effect shows, the duplicate before it has been handled too.
    await producer.publish(stop, key=conversation)
    await producer.publish(received(account, "+14155552671", "STOP", "opt_out", conversation), key=conversation)
    await tap.wait_for(account, topics.CONTACT_OPTED_OUT, lambda event: event.subject == other["id"])
    await tap.caught_up()
    assert len(tap.of(account, topics.CONTACT_OPTED_OUT)) == 3
    assert (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()["revision"] == 2
    assert not (await phone_of(http, as_user(elsewhere_account), elsewhere))["opted_out"]
    assert tap.of(elsewhere_account, topics.CONTACT_OPTED_OUT) == []

    # A user cannot opt the number back in; a new contact with it starts opted out.
    refused = await http.post(
        f"/v1/contacts/{ada['id']}/tags",
        json={"tag": "Opt-In", "phone_id": ada["phones"][0]["phone_id"], "consent": {"method": "verbal"}},
        headers=headers,
    )
    assert refused.status_code == 409 and "START" in refused.json()["detail"]
    later = await create(http, headers, "Later", "+1 202 555 0123")
    assert later["phones"][0]["opted_out"] and later["phones"][0]["opt_out"]["source"] == "keyword"


async def test_start_opts_the_number_back_in(http, tap, producer, account, as_user):
    headers = as_user(account)
    contact = await create(http, headers, "Ada", "6175551234")
    conversation = uuid4().hex
    await producer.publish(received(account, "+16175551234", "STOP", "opt_out", conversation), key=conversation)
    await tap.wait_for(account, topics.CONTACT_OPTED_OUT)
    await producer.publish(received(account, "+16175551234", "start", "opt_in", conversation), key=conversation)
    [event] = await tap.wait_for(account, topics.CONTACT_OPTED_IN)
    assert (event.data.source, event.data.keyword, event.subject) == ("keyword", "START", contact["id"])
    assert not event.data.contact.phones[0].opted_out and event.data.contact.phones[0].opted_in
    phone = await phone_of(http, headers, contact)
    assert not phone["opted_out"] and phone["opted_in"] and phone["opt_in"]["method"] == "keyword"
    assert phone["opt_in"]["by_user_id"] is None


async def test_carrier_error_21610_opts_out_and_other_failures_do_not(http, tap, producer, account, as_user):
    headers = as_user(account)
    unsubscribed = await create(http, headers, "Gone", "2125550000")
    unlucky = await create(http, headers, "Unlucky", "3125550142")
    conversation = uuid4().hex
    await producer.publish(failed(account, "+13125550142", 30003, conversation), key=conversation)
    await producer.publish(failed(account, "+12125550000", 21610, conversation), key=conversation)
    [event] = await tap.wait_for(account, topics.CONTACT_OPTED_OUT)
    assert (event.subject, event.data.source, event.data.keyword) == (unsubscribed["id"], "carrier", None)
    assert (await phone_of(http, headers, unsubscribed))["opt_out"]["source"] == "carrier"
    await tap.caught_up()
    assert not (await phone_of(http, headers, unlucky))["opted_out"], "30003 (unreachable) is not an opt-out"
    assert len(tap.of(account, topics.CONTACT_OPTED_OUT)) == 1


async def test_events_about_unknown_accounts_or_numbers_are_ignored(http, tap, producer, account, as_user):
    headers = as_user(account)
    contact = await create(http, headers, "Ada", "2025550199")
    conversation = uuid4().hex
    await producer.publish(received(f"{account}-nobody", "+12025550199", "STOP", "opt_out", conversation), key=conversation)
    await producer.publish(received(account, "+19999999999", "STOP", "opt_out", conversation), key=conversation)
    await producer.publish(received(account, "+12025550199", "hello there", None, conversation), key=conversation)
    await producer.publish(received(account, "+12025550199", "STOP", "opt_out", conversation), key=conversation)
    [event] = await tap.wait_for(account, topics.CONTACT_OPTED_OUT)
    assert event.subject == contact["id"]

    async def handled_in_order():
        return (await phone_of(http, headers, contact))["opted_out"]

    assert await eventually(handled_in_order, what="the STOP to be applied after the ignored events")
