"""Canned replies: kept per account and per user, sent by id with their merge fields, their
actions announced with the text (contacts applies tags and consent) and the thread closed."""

from uuid import uuid4

from shared import topics
from tests.messaging.conftest import phone
from tests.support.waiting import eventually

THANKS = {
    "name": "Thanks for volunteering",
    "body": "Thanks {first_name|friend}! We will be in touch about shifts.",
    "shortcut": "thanks",
    "actions": {"add_tags": ["Volunteer", "Door knocker"], "opt_in_method": "replied YES to volunteer ask", "close_conversation": True},
}


async def create(messaging, headers, reply=None, **changes):
    return await messaging.api.post("/v1/canned-replies", json={**(reply or THANKS), **changes}, headers=headers)


async def listed(messaging, headers) -> list[dict]:
    answer = await messaging.api.get("/v1/canned-replies", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["canned_replies"]


async def test_shared_replies_are_kept_by_admins_and_own_replies_by_each_user(messaging, account):
    owner = account.headers
    texter_id, other_texter_id = uuid4().hex, uuid4().hex
    texter, other_texter = account.headers_of(texter_id, "texter"), account.headers_of(other_texter_id, "texter")

    shared = await create(messaging, owner)
    refused = await create(messaging, texter, name="Mine for all", shortcut="mine")
    own = await create(messaging, texter, name="My sign-off", body="Talk soon, {first_name}", shortcut="bye", personal=True, actions={})

    assert shared.status_code == 201, shared.text
    assert refused.status_code == 403 and "personal" in refused.json()["detail"]
    assert own.status_code == 201, own.text
    assert (shared.json()["personal"], own.json()["personal"], own.json()["owner_user_id"]) == (False, True, texter_id)
    assert shared.json()["actions"] == {**THANKS["actions"], "opt_in_note": None}
    assert [reply["name"] for reply in await listed(messaging, texter)] == ["Thanks for volunteering", "My sign-off"]
    assert [reply["name"] for reply in await listed(messaging, other_texter)] == ["Thanks for volunteering"]
    elsewhere = messaging.account()
    assert await listed(messaging, elsewhere.headers) == []
    own_id, shared_id = own.json()["canned_reply_id"], shared.json()["canned_reply_id"]
    assert (await messaging.api.get(f"/v1/canned-replies/{own_id}", headers=other_texter)).status_code == 404
    assert (await messaging.api.get(f"/v1/canned-replies/{shared_id}", headers=elsewhere.headers)).status_code == 404

    texter_edits_shared = await messaging.api.patch(f"/v1/canned-replies/{shared_id}", json={"name": "Mine now"}, headers=texter)
    edited = await messaging.api.patch(
        f"/v1/canned-replies/{own_id}", json={"body": "Bye {first_name|there}", "actions": {"add_tags": ["Friendly"]}}, headers=texter
    )
    assert texter_edits_shared.status_code == 403
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["body"], edited.json()["shortcut"]) == ("My sign-off", "Bye {first_name|there}", "bye")
    assert edited.json()["actions"] == {"add_tags": ["Friendly"], "opt_in_method": None, "opt_in_note": None, "close_conversation": False}

    assert (await messaging.api.delete(f"/v1/canned-replies/{own_id}", headers=other_texter)).status_code == 404
    assert (await messaging.api.delete(f"/v1/canned-replies/{own_id}", headers=texter)).status_code == 204
    assert [reply["name"] for reply in await listed(messaging, texter)] == ["Thanks for volunteering"]


async def test_a_bad_canned_reply_is_refused_with_its_field_and_nothing_is_written(messaging, account):
    await create(messaging, account.headers)
    cases = {
        "name": {"name": "   "},
        "body": {"body": "Hi {first_name, see you"},
        "shortcut": {"shortcut": "Two words"},
        "actions.add_tags.0": {"actions": {"add_tags": ["DNC"]}},
        "actions.add_tags.1": {"actions": {"add_tags": ["Volunteer", "opt in"]}},
        "body.actions.add_tags": {"actions": {"add_tags": [f"tag {n}" for n in range(6)]}},
        "actions.opt_in_method": {"actions": {"opt_in_note": "at the door"}},
        "body.actions.close": {"actions": {"close": True}},
    }
    for field, change in cases.items():
        answer = await create(messaging, account.headers, **{"shortcut": f"s{uuid4().hex[:8]}", **change})
        assert answer.status_code == 422, (field, answer.text)
        assert [error["field"] for error in answer.json()["errors"]] == [field], answer.text
    taken = await create(messaging, account.headers, name="Another")
    assert taken.status_code == 422 and taken.json()["errors"] == [{"field": "shortcut", "problem": "/thanks is taken by another reply"}]
    too_long = await create(messaging, account.headers, body="x" * 1601, shortcut="long")
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body"

    assert [reply["name"] for reply in await listed(messaging, account.headers)] == ["Thanks for volunteering"]


async def test_a_text_sent_with_a_canned_reply_is_merged_and_announces_its_actions_and_closes_the_thread(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    reply = (await create(messaging, account.headers)).json()

    answer = await account.send(contact.contact_id, body="", canned_reply_id=reply["canned_reply_id"])

    assert answer.status_code == 202, answer.text
    [message] = answer.json()["messages"]
    assert message["body"] == "Thanks Pat! We will be in touch about shifts."
    await account.message_reaches(message["message_id"], "delivered")
    [at_carrier] = await messaging.carrier_log(cell.e164)
    assert (at_carrier["from"], at_carrier["body"]) == (our_number, message["body"])

    [sent] = await messaging.events.wait_for(account.account_id, topics.CANNED_REPLY_SENT, canned_reply_id=reply["canned_reply_id"])
    assert sent["_key"] == contact.contact_id
    data = sent["data"]
    assert (data["contact_id"], data["user_id"], data["message_ids"], data["phone_ids"]) == (
        contact.contact_id, account.user_id, [message["message_id"]], [cell.phone_id]
    )
    assert (data["add_tags"], data["opt_in_method"], data["close_conversation"]) == (
        ["Volunteer", "Door knocker"], "replied YES to volunteer ask", True
    )

    conversation_id = message["conversation_id"]
    thread = (await account.get(f"/v1/conversations/{conversation_id}")).json()
    assert thread["closed_at"] is not None
    assert [c["conversation_id"] for c in (await account.get("/v1/conversations", status="closed")).json()["conversations"]] == [conversation_id]
    assert (await account.get("/v1/conversations", status="open")).json()["conversations"] == []

    inbound = {"MessageSid": f"SM{uuid4().hex}", "From": cell.e164, "To": our_number, "Body": "Great, thanks!"}
    assert (await messaging.system_post("/v1/webhooks/inbound", inbound)).status_code == 200

    async def reopened():
        return (await account.get(f"/v1/conversations/{conversation_id}")).json()["closed_at"] is None

    await eventually(reopened, timeout=10, what="the reply to reopen the thread")
    assert [c["conversation_id"] for c in (await account.get("/v1/conversations", status="open")).json()["conversations"]] == [conversation_id]


async def test_an_edited_body_goes_out_with_the_replys_actions(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    reply = (await create(messaging, account.headers, actions={"add_tags": ["Volunteer"]})).json()

    answer = await account.send(contact.contact_id, body="Thanks {first_name}, see you Saturday", canned_reply_id=reply["canned_reply_id"])

    assert answer.status_code == 202, answer.text
    [message] = answer.json()["messages"]
    assert message["body"] == "Thanks Pat, see you Saturday"
    [sent] = await messaging.events.wait_for(account.account_id, topics.CANNED_REPLY_SENT, canned_reply_id=reply["canned_reply_id"])
    assert (sent["data"]["add_tags"], sent["data"]["close_conversation"]) == (["Volunteer"], False)
    assert (await account.get(f"/v1/conversations/{message['conversation_id']}")).json()["closed_at"] is None


async def test_an_unknown_or_someone_elses_canned_reply_is_refused_and_nothing_is_sent(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    someone_else = uuid4().hex
    theirs = (await create(messaging, account.headers_of(someone_else, "texter"), personal=True)).json()
    other_account = messaging.account()
    elsewhere = (await create(messaging, other_account.headers)).json()

    for canned_reply_id in ("no-such-reply", theirs["canned_reply_id"], elsewhere["canned_reply_id"]):
        answer = await account.send(contact.contact_id, body="", canned_reply_id=canned_reply_id)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"] == [{"field": "canned_reply_id", "problem": f"no canned reply {canned_reply_id} in this account"}]

    assert (await account.get("/v1/conversations")).json()["conversations"] == []
    assert await messaging.carrier_log(cell.e164) == []
    assert messaging.events.of(account.account_id, topics.MESSAGE_SEND_REQUESTED) == []
