"""Revocation in any reasonable words, against the real Kafka, the MongoDB-wire server and the
sandbox carrier: per se phrases and clear revocations opt out at once with one confirmation;
ambiguous replies raise a review item that holds texts to the phone until a texter decides or
ten business days pass; wrong-number replies suggest the Wrong Number tag."""

from datetime import timedelta
from uuid import uuid4

import pytest

from services.messaging.adapters.store.review_items import ReviewStore
from services.messaging.service_layer.reviews import apply_due_deadlines
from shared import topics
from tests.messaging.conftest import phone
from tests.support.waiting import eventually


async def reply(messaging, *, from_: str, to: str, body: str) -> dict:
    answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": "SM" + uuid4().hex, "From": from_, "To": to, "Body": body})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def review_items(account, conversation_id: str) -> list[dict]:
    answer = await account.get(f"/v1/conversations/{conversation_id}/review-items")
    assert answer.status_code == 200, answer.text
    return answer.json()["review_items"]


async def decide(account, conversation_id: str, item_id: str, decision: str):
    return await account.harness.api.post(
        f"/v1/conversations/{conversation_id}/review-items/{item_id}", json={"decision": decision}, headers=account.headers
    )


@pytest.mark.parametrize("body", ["opt out", "STOP ALL", "Stop all texts", "stop texting me", "Please stop", "No más mensajes"])
async def test_per_se_phrases_and_clear_revocations_opt_out_at_once_with_one_confirmation(messaging, account, body):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)

    answer = await reply(messaging, from_=cell.e164, to=our_number, body=body)

    assert answer["keyword"] == "opt_out" and answer["review_item_ids"] == []
    confirmation = await account.message_reaches(answer["auto_reply_id"], "delivered")
    assert confirmation["body"] == messaging.settings.opt_out_reply
    refused = await account.send(contact.contact_id)
    assert refused.status_code == 422 and refused.json()["skipped"] == [{"phone_id": cell.phone_id, "reason": "opted_out"}]
    detected = await messaging.events.wait_for(account.account_id, topics.REVOCATION_DETECTED, message_id=answer["message_id"])
    assert detected[0]["data"]["reply_class"] in ("opt_out_keyword", "revocation")
    received = await messaging.events.wait_for(account.account_id, topics.MESSAGE_RECEIVED, message_id=answer["message_id"])
    assert received[0]["data"]["keyword"] == "opt_out"
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == [messaging.settings.opt_out_reply]


async def _ambiguous_reply_with_a_held_text(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    answer = await reply(messaging, from_=cell.e164, to=our_number, body="I can't stop laughing")
    assert answer["keyword"] is None and answer["auto_reply_id"] is None and len(answer["review_item_ids"]) == 1
    held = (await account.send(contact.contact_id, "Are you coming on Saturday?")).json()["messages"][0]
    held = await account.message_reaches(held["message_id"], "scheduled")
    assert held["hold_reason"] == "opt_out_review"
    [item] = await review_items(account, answer["conversation_id"])
    assert (item["kind"], item["status"], item["body"], item["choices"]) == ("revocation", "open", "I can't stop laughing", ["opt_out", "not_opt_out"])
    assert item["deadline"] is not None
    return cell, contact, answer, item, held


async def test_an_ambiguous_reply_holds_texts_until_a_texter_says_it_is_not_an_opt_out(messaging, account):
    cell, contact, answer, item, held = await _ambiguous_reply_with_a_held_text(messaging, account)
    raised = await messaging.events.wait_for(account.account_id, topics.REVIEW_ITEM_RAISED, review_item_id=item["review_item_id"])
    assert raised[0]["_key"] == answer["conversation_id"]

    decided = await decide(account, answer["conversation_id"], item["review_item_id"], "not_opt_out")

    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "decided" and decided.json()["decided"]["decision"] == "not_opt_out"
    await account.message_reaches(held["message_id"], "delivered")
    again = await account.send(contact.contact_id, "See you then")
    assert again.status_code == 202
    await account.message_reaches(again.json()["messages"][0]["message_id"], "delivered")
    event = await messaging.events.wait_for(account.account_id, topics.REVIEW_ITEM_DECIDED, review_item_id=item["review_item_id"])
    assert (event[0]["data"]["decision"], event[0]["data"]["decided_by"], event[0]["data"]["user_id"]) == ("not_opt_out", "user", account.user_id)
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == ["Are you coming on Saturday?", "See you then"]


async def test_an_ambiguous_reply_judged_an_opt_out_skips_the_held_texts(messaging, account):
    cell, contact, answer, item, held = await _ambiguous_reply_with_a_held_text(messaging, account)

    decided = await decide(account, answer["conversation_id"], item["review_item_id"], "opt_out")

    assert decided.status_code == 200, decided.text
    assert (await account.message_reaches(held["message_id"], "skipped"))["skip_reason"] == "opted_out"
    refused = await account.send(contact.contact_id)
    assert refused.status_code == 422 and refused.json()["skipped"][0]["reason"] == "opted_out"
    same_again = await decide(account, answer["conversation_id"], item["review_item_id"], "opt_out")
    assert same_again.status_code == 200
    other_way = await decide(account, answer["conversation_id"], item["review_item_id"], "not_opt_out")
    assert other_way.status_code == 409 and other_way.json()["review_item"]["decided"]["decision"] == "opt_out"
    assert await messaging.carrier_log(cell.e164) == []


async def test_after_ten_business_days_undecided_the_opt_out_applies(messaging, account):
    cell, contact, answer, item, held = await _ambiguous_reply_with_a_held_text(messaging, account)

    messaging.clock.set(messaging.clock() + timedelta(days=15))  # ten business days, whatever the weekday

    assert (await account.message_reaches(held["message_id"], "skipped", timeout=30))["skip_reason"] == "opted_out"
    event = await messaging.events.wait_for(account.account_id, topics.REVIEW_ITEM_DECIDED, review_item_id=item["review_item_id"])
    assert (event[0]["data"]["decision"], event[0]["data"]["decided_by"]) == ("opt_out", "deadline")
    [decided] = await review_items(account, answer["conversation_id"])
    assert decided["decided"]["decided_by"] == "deadline"
    assert await messaging.carrier_log(cell.e164) == []


async def test_the_deadline_sweep_reads_the_store_so_a_restarted_process_applies_it(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    answer = await reply(messaging, from_=cell.e164, to=our_number, body="When does early voting end?")
    [item_id] = answer["review_item_ids"]
    fresh_process = ReviewStore(messaging.store._db, messaging.store._recorded)  # what a new process would build

    await apply_due_deadlines(store=messaging.store, reviews=fresh_process, clock=lambda: messaging.clock() + timedelta(days=15))

    async def opted_out():
        return (await messaging.store.phone_flags(account.account_id, cell.e164, None)).get("opted_out")

    assert await eventually(opted_out, timeout=10, what="the phone opted out by the deadline")
    assert (await fresh_process.item_by_id(item_id))["decided"]["decided_by"] == "deadline"


async def test_a_wrong_number_reply_suggests_the_tag_applied_with_one_call(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    answer = await reply(messaging, from_=cell.e164, to=our_number, body="Sorry, you have the wrong number")
    assert answer["reply_class"] == "wrong_number"
    [item] = await review_items(account, answer["conversation_id"])
    assert (item["kind"], item["phone_id"], item["contact_id"], item["deadline"]) == ("wrong_number", cell.phone_id, contact.contact_id, None)
    not_held = await account.send(contact.contact_id, "Sorry about that")
    await account.message_reaches(not_held.json()["messages"][0]["message_id"], "delivered")  # a suggestion holds nothing

    decided = await decide(account, answer["conversation_id"], item["review_item_id"], "wrong_number")

    assert decided.status_code == 200, decided.text
    event = await messaging.events.wait_for(account.account_id, topics.REVIEW_ITEM_DECIDED, review_item_id=item["review_item_id"])
    assert (event[0]["data"]["kind"], event[0]["data"]["phone_id"], event[0]["data"]["contact_id"]) == ("wrong_number", cell.phone_id, contact.contact_id)


async def test_review_decisions_are_checked_before_anything_is_written(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    answer = await reply(messaging, from_=cell.e164, to=our_number, body="Not interested")
    [item_id] = answer["review_item_ids"]
    conversation_id = answer["conversation_id"]
    stranger = messaging.account()

    wrong_kind = await decide(account, conversation_id, item_id, "wrong_number")
    unknown_value = await decide(account, conversation_id, item_id, "maybe")
    unknown_item = await decide(account, conversation_id, "no-such-item", "opt_out")
    other_account = await decide(stranger, conversation_id, item_id, "opt_out")
    other_thread = await decide(account, uuid4().hex, item_id, "opt_out")
    listed_elsewhere = await stranger.get(f"/v1/conversations/{conversation_id}/review-items")

    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"][0]["field"] == "decision"
    assert unknown_value.status_code == 422
    assert (unknown_item.status_code, other_account.status_code, other_thread.status_code, listed_elsewhere.status_code) == (404, 404, 404, 404)
    [item] = await review_items(account, conversation_id)
    assert item["status"] == "open"
    assert not (await messaging.store.phone_flags(account.account_id, cell.e164, None)).get("opted_out")
