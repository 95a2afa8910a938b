"""The profile timeline fed by other services' events (texted, replied, called), the
tag catalogue (create, rename, recolour, delete) and the account's phone region."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from shared import topics
from shared.events import CallCompleted, Envelope, MessageReceived, MessageSent
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("contacts_runtime")


async def create(http, headers, **body):
    response = await http.post("/v1/contacts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def subscribed(http, headers, producer, account) -> None:
    """The service reads these topics from their end once it has joined; until then, probe."""
    probe = await create(http, headers, first_name="Probe")

    async def seen():
        for topic_event in (
            MessageSent(message_id=uuid4().hex, conversation_id="c-0", contact_id=probe["id"], user_id="u",
                        from_number="+15125550000", to_number="+12025550100", carrier_sid="SM0", segments=1),
            CallCompleted(call_sid=uuid4().hex, user_id="u", direction="inbound", their_number="+12025550100",
                          our_number="+15125550000", contact_id=probe["id"], outcome="busy"),
        ):
            await producer.publish(Envelope.wrap(topic_event, account_id=account, subject=probe["id"]), key=probe["id"])
        profile = (await http.get(f"/v1/contacts/{probe['id']}", headers=headers)).json()
        return {"texted", "called"} <= {entry["kind"] for entry in profile["timeline"]}

    await eventually(seen, timeout=60, interval=1.0, what="the activity subscriptions to join")


async def test_texts_replies_and_calls_go_on_the_timeline_once_each(http, producer, account, as_user):
    headers = as_user(account, "user-3")
    ada = await create(http, headers, first_name="Ada", phones=[{"number": "2025550123", "type": "cell"}])
    sent = Envelope.wrap(MessageSent(
        message_id="m-1", conversation_id="c-1", contact_id=ada["id"], user_id="user-3", from_number="+15125550000",
        to_number="+12025550123", carrier_sid="SM1", segments=1), account_id=account, subject=ada["id"])
    reply = Envelope.wrap(MessageReceived(
        message_id="m-2", conversation_id="c-1", contact_id=ada["id"], from_number="+12025550123",
        to_number="+15125550000", body="hi back", carrier_sid="SM2"), account_id=account, subject="c-1")
    call = Envelope.wrap(CallCompleted(
        call_sid="CA1", user_id="user-3", direction="outbound", their_number="(202) 555-0123", our_number="+15125550000",
        outcome="completed", duration_seconds=42), account_id=account, subject="CA1")
    stranger = Envelope.wrap(MessageSent(
        message_id="m-3", conversation_id="c-2", contact_id=ada["id"], user_id="user-3", from_number="+15125550000",
        to_number="+12025550123", carrier_sid="SM3", segments=1), account_id=account + "-other", subject=ada["id"])
    await subscribed(http, as_user(account + "-probe"), producer, account + "-probe")
    for envelope, key in ((sent, ada["id"]), (reply, "c-1"), (call, "CA1"), (sent, ada["id"]), (stranger, ada["id"])):
        await producer.publish(envelope, key=key)

    async def all_three():
        profile = (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()
        kinds = [entry["kind"] for entry in profile["timeline"]]
        return profile if {"texted", "replied", "called"} <= set(kinds) else None

    profile = await eventually(all_three, timeout=90, interval=0.2, what="texted, replied and called on the timeline")
    entries = {entry["kind"]: entry for entry in profile["timeline"]}
    assert [entry["kind"] for entry in profile["timeline"]].count("texted") == 1, "a redelivered event counts once"
    assert entries["texted"]["by_user_id"] == "user-3" and entries["texted"]["detail"]["message_id"] == "m-1"
    assert entries["called"]["detail"]["duration_seconds"] == 42 and entries["called"]["detail"]["outcome"] == "completed"
    assert profile["last_contacted_at"] is not None
    since = datetime.now(UTC).replace(year=2020).isoformat()
    listed = (await http.get("/v1/contacts", params={"last_contacted_from": since}, headers=headers)).json()["items"]
    assert [item["id"] for item in listed] == [ada["id"]]
    by_contact = (await http.get("/v1/contacts", params={"sort": "-last_contacted"}, headers=headers)).json()["items"]
    assert by_contact[0]["id"] == ada["id"]


async def test_tags_are_created_renamed_recoloured_and_deleted_with_their_contacts(http, tap, account, as_user):
    headers = as_user(account, "user-4", role="admin")
    listed = (await http.get("/v1/tags", headers=headers)).json()
    assert [(tag["name"], tag["system"]) for tag in listed] == [
        ("Do Not Contact", True), ("Wrong Number", True), ("Opt-In", True)]
    created = await http.post("/v1/tags", json={"name": "Precinct 12", "color": "#1A2B3C"}, headers=headers)
    assert created.status_code == 201 and created.json()["color"] == "#1a2b3c"
    tag_id = created.json()["id"]
    assert (await http.post("/v1/tags", json={"name": "precinct 12"}, headers=headers)).status_code == 409
    assert (await http.post("/v1/tags", json={"name": "DNC"}, headers=headers)).status_code == 422
    assert (await http.post("/v1/tags", json={"name": "X", "color": "red"}, headers=headers)).status_code == 422

    ada = await create(http, headers, first_name="Ada", tags=["precinct 12"])
    assert ada["tags"] == ["Precinct 12"], "a tag is spelled as the account spells it"
    renamed = await http.patch(f"/v1/tags/{tag_id}", json={"name": "Precinct 7", "color": None}, headers=headers)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Precinct 7" and renamed.json()["color"] is None and renamed.json()["contacts_changed"] == 1
    profile = (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()
    assert profile["tags"] == ["Precinct 7"]
    [updated] = await tap.wait_for(account, topics.CONTACT_UPDATED)
    assert updated.data.changed == ["tags"] and updated.data.contact.tags == ["Precinct 7"]

    other = as_user(account + "-other", role="admin")
    assert (await http.patch(f"/v1/tags/{tag_id}", json={"name": "Mine"}, headers=other)).status_code == 404
    assert (await http.delete(f"/v1/tags/{tag_id}", headers=other)).status_code == 404
    assert (await http.delete(f"/v1/tags/{tag_id}", headers=headers)).status_code == 204
    [untagged] = await tap.wait_for(account, topics.CONTACT_UNTAGGED)
    assert untagged.data.tag == "Precinct 7" and untagged.data.contact.tags == [] and untagged.data.by_user_id == "user-4"
    assert [tag["name"] for tag in (await http.get("/v1/tags", headers=headers)).json() if not tag["system"]] == []


async def test_numbers_without_a_country_code_use_the_accounts_region(http, account, as_user):
    headers = as_user(account, role="admin")
    assert (await http.get("/v1/contacts/settings", headers=headers)).json() == {"default_phone_region": "US"}
    assert (await http.put("/v1/contacts/settings", json={"default_phone_region": "xx"}, headers=headers)).status_code == 422
    assert (await http.put("/v1/contacts/settings", json={"default_phone_region": "gb"}, headers=headers)).status_code == 200
    london = await create(http, headers, first_name="Ada", phones=[{"number": "020 7946 0958", "type": "work"}])
    phone = london["phones"][0]
    assert phone["e164"] == "+442079460958" and phone["time_zone"] == "Europe/London" and phone["region"] == "London"
    bad = await http.post("/v1/contacts", json={"first_name": "B", "phones": [{"number": "2025550123"}]}, headers=headers)
    assert bad.status_code == 422, "a US number without +1 is not a valid GB number"
    assert (await http.get("/v1/contacts/settings", headers=as_user(account + "-x"))).json()["default_phone_region"] == "US"
    unused = uuid4().hex
    assert (await http.get(f"/v1/contacts/{unused}", headers=headers)).status_code == 404
