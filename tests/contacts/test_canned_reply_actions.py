"""A saved reply's actions arrive as canned_reply.sent (from messaging, on the real Kafka): its
tags go on the contact and its consent on the texted phones, as the sending user, once."""

from uuid import uuid4

import pytest

from shared import topics
from shared.events import CannedReplySent, Envelope, MessageReceived
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("contacts_runtime")


def canned_reply_sent(account: str, contact: dict, phone_ids: list[str], **actions) -> Envelope:
    data = CannedReplySent(
        canned_reply_id=uuid4().hex,
        contact_id=contact["id"],
        user_id="user-7",
        message_ids=[uuid4().hex for _ in phone_ids],
        phone_ids=phone_ids,
        conversation_ids=[uuid4().hex for _ in phone_ids],
        **actions,
    )
    return Envelope.wrap(data, account_id=account, subject=contact["id"])


async def create(http, headers, first, number):
    body = {"first_name": first, "last_name": "Test", "phones": [{"number": number, "type": "cell"}]}
    response = await http.post("/v1/contacts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_sent_canned_reply_tags_the_contact_and_records_consent_once(http, tap, producer, account, as_user):
    headers = as_user(account)
    ada = await create(http, headers, "Ada", "(202) 555-0142")
    cell = ada["phones"][0]["phone_id"]
    sent = canned_reply_sent(
        account, ada, [cell], add_tags=["Volunteer", "Door knocker"], opt_in_method="replied YES to volunteer ask", opt_in_note="door 4"
    )

    await producer.publish(sent, key=ada["id"])
    await producer.publish(sent, key=ada["id"])  # redelivered

    tagged = await tap.wait_for(account, topics.CONTACT_TAGGED, count=3)
    assert sorted(event.data.tag for event in tagged) == ["Door knocker", "Opt-In", "Volunteer"]
    assert {event.data.by_user_id for event in tagged} == {"user-7"}
    [opted_in] = await tap.wait_for(account, topics.CONTACT_OPTED_IN)
    assert (opted_in.data.phone_id, opted_in.data.source) == (cell, "user")
    profile = (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()
    assert {"Volunteer", "Door knocker", "Opt-In"} <= set(profile["tags"])
    consent = profile["phones"][0]["opt_in"]
    assert (consent["method"], consent["note"], consent["by_user_id"]) == ("replied YES to volunteer ask", "door 4", "user-7")
    entries = [(entry["kind"], entry.get("by_user_id")) for entry in profile["timeline"]]
    assert entries.count(("tagged", "user-7")) == 3 and entries.count(("opted_in", "user-7")) == 1

    # A marker on the same partition: once it shows, the redelivery before it was handled too.
    marker = canned_reply_sent(account, ada, [cell], add_tags=["Marker"])
    await producer.publish(marker, key=ada["id"])
    await tap.wait_for(account, topics.CONTACT_TAGGED, lambda event: event.data.tag == "Marker")
    assert len(tap.of(account, topics.CONTACT_TAGGED)) == 4


async def test_a_canned_reply_cannot_opt_in_a_phone_that_opted_out_but_still_tags(http, tap, producer, account, as_user):
    headers = as_user(account)
    bo = await create(http, headers, "Bo", "(202) 555-0143")
    cell = bo["phones"][0]["phone_id"]
    stop = MessageReceived(
        message_id=uuid4().hex, conversation_id=uuid4().hex, from_number="+12025550143", to_number="+12025550100",
        body="STOP", carrier_sid=f"SM{uuid4().hex}", keyword="opt_out", matched_keyword="STOP",
    )
    await producer.publish(Envelope.wrap(stop, account_id=account, subject=stop.conversation_id), key=stop.conversation_id)
    await tap.wait_for(account, topics.CONTACT_OPTED_OUT)

    await producer.publish(canned_reply_sent(account, bo, [cell], add_tags=["Volunteer"], opt_in_method="verbal"), key=bo["id"])

    [tagged] = await tap.wait_for(account, topics.CONTACT_TAGGED)
    assert tagged.data.tag == "Volunteer"

    async def still_opted_out():
        profile = (await http.get(f"/v1/contacts/{bo['id']}", headers=headers)).json()
        return profile if "Volunteer" in profile["tags"] else None

    profile = await eventually(still_opted_out, timeout=20, what="the tag applied")
    assert profile["phones"][0]["opted_out"] and not profile["phones"][0]["opted_in"]
    assert tap.of(account, topics.CONTACT_OPTED_IN) == []
