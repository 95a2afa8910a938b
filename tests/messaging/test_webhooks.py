"""The carrier's webhooks, as the gateway forwards them: status callbacks and inbound texts."""

import random
from uuid import uuid4

from shared import topics
from tests.messaging.conftest import phone, random_us_number
from tests.support.waiting import eventually


def sid() -> str:
    return "SM" + uuid4().hex


async def _queued_text_with_held_callbacks(messaging, account) -> tuple[dict, list[dict]]:
    """A text the carrier took, whose status callbacks the stand-in gateway keeps for the test."""
    await account.provision_number()
    cell = phone("cell")
    messaging.gateway.holding.add(cell.e164)
    contact = await account.create_contact(cell)
    message = (await account.send(contact.contact_id)).json()["messages"][0]
    queued = await account.message_reaches(message["message_id"], "queued")

    async def held():
        return [params for params in messaging.gateway.held if params["MessageSid"] == queued["carrier_sid"]]

    return queued, await eventually(held, what="the carrier's callbacks")


async def test_status_only_moves_forward_whatever_the_order_and_repeats(messaging, account):
    queued, carrier_callbacks = await _queued_text_with_held_callbacks(messaging, account)
    assert [params["MessageStatus"] for params in carrier_callbacks][0] == "sent"
    params = carrier_callbacks[0]
    callbacks = [{**params, "MessageStatus": status} for status in ("delivered", "sent", "queued", "sending", "sent", "delivered")]
    callbacks += [{**params, "MessageStatus": "undelivered", "ErrorCode": "30003"}]
    random.Random(7).shuffle(callbacks[1:])

    answers = [await messaging.system_post("/v1/webhooks/status", callback) for callback in callbacks]

    assert all(answer.status_code == 200 for answer in answers)
    assert [answer.json()["applied"] for answer in answers].count(True) == 1  # 'delivered', first: the rest are no-ops
    final = await account.message_reaches(queued["message_id"], "delivered")
    assert final["error_code"] is None
    [update] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=queued["message_id"])
    assert (update["data"]["status"], update["data"]["carrier_sid"]) == ("delivered", queued["carrier_sid"])
    # Events are only ever recorded with a state, so no other status event can exist or follow:
    states = await messaging.store.states_of(queued["message_id"])
    assert [(state["key"], state["status"]) for state in states] == [("sending", "sending"), ("queued", "queued"), ("final", "delivered")]


async def test_sent_then_undelivered_reports_the_failure_once(messaging, account):
    queued, [params, *_] = await _queued_text_with_held_callbacks(messaging, account)
    statuses = [("sent", None), ("sent", None), ("undelivered", "30007"), ("undelivered", "30007"), ("delivered", None)]

    for status, error_code in statuses:
        callback = {**params, "MessageStatus": status} | ({"ErrorCode": error_code} if error_code else {})
        assert (await messaging.system_post("/v1/webhooks/status", callback)).status_code == 200

    undelivered = await account.message_reaches(queued["message_id"], "undelivered")
    assert undelivered["error_code"] == 30007
    [failed] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_FAILED, message_id=queued["message_id"])
    assert failed["data"]["error_code"] == 30007
    updates = await messaging.events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, count=2, message_id=queued["message_id"])
    assert sorted(update["data"]["status"] for update in updates) == ["sent", "undelivered"]


async def test_a_status_for_an_unknown_sid_is_acknowledged_and_ignored(messaging):
    answer = await messaging.system_post("/v1/webhooks/status", {"MessageSid": sid(), "MessageStatus": "delivered"})

    assert answer.status_code == 200
    assert answer.json() == {"ignored": True, "applied": False}


async def test_webhooks_need_the_gateway_and_their_parameters(messaging, account):
    as_a_user = await messaging.api.post(
        "/v1/webhooks/status", json={"MessageSid": sid(), "MessageStatus": "sent"}, headers=account.headers
    )
    anonymous = await messaging.api.post("/v1/webhooks/inbound", json={"MessageSid": sid()})
    incomplete = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "Body": "hi"})

    assert (as_a_user.status_code, anonymous.status_code) == (403, 401)
    assert incomplete.status_code == 422
    assert {error["field"] for error in incomplete.json()["errors"]} == {"body.From", "body.To"}


async def test_a_reply_is_stored_once_threaded_with_the_text_and_announced(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    sent = (await account.send(contact.contact_id, "Will you vote on Tuesday?")).json()["messages"][0]
    await account.message_reaches(sent["message_id"], "delivered")
    reply = {"MessageSid": sid(), "AccountSid": "AC1", "From": cell.e164, "To": our_number, "Body": "Yes, see you there"}

    first = await messaging.system_post("/v1/webhooks/inbound", reply)
    retried = await messaging.system_post("/v1/webhooks/inbound", reply)

    assert first.status_code == retried.status_code == 200
    assert first.json()["reply"] is None
    assert first.json()["conversation_id"] == sent["conversation_id"]
    assert retried.json()["message_id"] == first.json()["message_id"]
    thread = (await account.get(f"/v1/conversations/{sent['conversation_id']}/messages")).json()["messages"]
    assert [(m["direction"], m["body"]) for m in thread] == [("outbound", "Will you vote on Tuesday?"), ("inbound", "Yes, see you there")]
    assert thread[0]["user_id"] == account.user_id and thread[0]["status"] == "delivered"
    [received] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_RECEIVED)
    assert received["_key"] == sent["conversation_id"]
    assert {name: received["data"][name] for name in ("contact_id", "phone_id", "user_id", "from_number", "to_number", "body", "carrier_sid", "keyword")} == {
        "contact_id": contact.contact_id,
        "phone_id": cell.phone_id,
        "user_id": account.user_id,
        "from_number": cell.e164,
        "to_number": our_number,
        "body": "Yes, see you there",
        "carrier_sid": reply["MessageSid"],
        "keyword": None,
    }


async def test_keywords_are_detected_in_replies(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    bodies = {"Stop.": ("opt_out", "STOP"), " unsubscribe ": ("opt_out", "UNSUBSCRIBE"), "start": ("opt_in", "START"),
              "HELP!": ("help", "HELP"), "Opt-Out": ("opt_out", "OPT OUT"),
              "stop texting me please": ("opt_out", "stop texting me please"), "see you at the rally": (None, None)}

    for body, (keyword, word) in bodies.items():
        answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "From": cell.e164, "To": our_number, "Body": body})
        assert answer.json()["keyword"] == keyword
        [event] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_RECEIVED, message_id=answer.json()["message_id"])
        assert (event["data"]["keyword"], event["data"]["matched_keyword"]) == (keyword, word)


async def test_a_reply_from_an_unknown_number_gets_its_own_thread_without_a_contact(messaging, account):
    our_number = await account.provision_number()
    stranger = random_us_number()

    answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "From": stranger, "To": our_number, "Body": "who is this?"})

    conversation = (await account.get(f"/v1/conversations/{answer.json()['conversation_id']}")).json()
    assert (conversation["contact_id"], conversation["their_number"], conversation["our_number"]) == (None, stranger, our_number)
    [event] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_RECEIVED, message_id=answer.json()["message_id"])
    assert (event["data"]["contact_id"], event["data"]["user_id"]) == (None, account.user_id)


async def test_a_text_to_a_number_nobody_here_owns_is_logged_and_acknowledged(messaging):
    answer = await messaging.system_post(
        "/v1/webhooks/inbound", {"MessageSid": sid(), "From": random_us_number(), "To": random_us_number(), "Body": "hello?"}
    )

    assert answer.status_code == 200
    assert answer.json() == {
        "reply": None,
        "auto_reply_id": None,
        "stored": False,
        "message_id": None,
        "conversation_id": None,
        "keyword": None,
        "reply_class": None,
        "review_item_ids": [],
    }


async def test_conversations_list_latest_first_with_unread_counts_per_user(messaging, account):
    our_number = await account.provision_number()
    older, newer = phone("cell"), phone("cell")
    for cell in (older, newer):
        await account.create_contact(cell)
    for cell, body in ((older, "first"), (newer, "second"), (newer, "third")):
        await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "From": cell.e164, "To": our_number, "Body": body})

    listed = (await account.get("/v1/conversations")).json()["conversations"]

    assert [(c["their_number"], c["unread_count"], c["last_message"]["body"]) for c in listed] == [
        (newer.e164, 2, "third"),
        (older.e164, 1, "first"),
    ]
    read = await account.harness.api.post(f"/v1/conversations/{listed[0]['conversation_id']}/read", headers=account.headers)
    assert read.status_code == 200 and read.json()["unread_count"] == 0
    colleague = account.harness.account()
    colleague.account_id = account.account_id
    theirs = (await colleague.get("/v1/conversations")).json()["conversations"]
    assert [c["unread_count"] for c in theirs] == [2, 1]  # read state is per user
    mine = (await account.get("/v1/conversations")).json()["conversations"]
    assert [c["unread_count"] for c in mine] == [0, 1]


async def test_conversations_of_one_contact_are_its_phones_threads_only(messaging, account):
    our_number = await account.provision_number()
    cell, work, stranger = phone("cell"), phone("cell"), phone("cell")
    avery = await account.create_contact(cell, work)
    await account.create_contact(stranger)
    for sender in (cell, work, stranger):
        await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": sid(), "From": sender.e164, "To": our_number, "Body": "hi"})

    listed = (await account.get("/v1/conversations", contact_id=avery.contact_id)).json()["conversations"]

    assert sorted(c["their_number"] for c in listed) == sorted([cell.e164, work.e164])
    assert {c["contact_id"] for c in listed} == {avery.contact_id}
    nobody = await account.get("/v1/conversations", contact_id="no-such-contact")
    assert nobody.status_code == 200 and nobody.json()["conversations"] == []
    assert (await account.get("/v1/conversations", contact_id="")).status_code == 422


async def test_a_reply_to_a_number_bought_a_moment_ago_is_taken_in_once_its_owner_is_known(messaging, account):
    """The first reply can reach a new number before number.provisioned reaches messaging: it is kept, not lost."""
    bought = await account.buy_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    reply = {"MessageSid": sid(), "From": cell.e164, "To": bought["phone_number"], "Body": "Yes! Count me in"}

    early = await messaging.system_post("/v1/webhooks/inbound", reply)
    assert early.status_code == 200 and early.json()["stored"] is False
    await account.announce_number(bought)

    async def taken_in():
        listed = (await account.get(f"/v1/conversations?contact_id={contact.contact_id}")).json()["conversations"]
        return listed if listed and listed[0]["last_message"]["body"] == "Yes! Count me in" else None

    [conversation] = await eventually(taken_in, timeout=20, what="the early reply in the contact's thread")
    assert conversation["unread_count"] == 1
    again = await messaging.system_post("/v1/webhooks/inbound", reply)
    assert again.json()["stored"] is True
    thread = (await account.get(f"/v1/conversations/{conversation['conversation_id']}/messages")).json()
    assert [message["body"] for message in thread["messages"]] == ["Yes! Count me in"]
