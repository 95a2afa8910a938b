"""Where the carrier answers STOP, START and HELP itself (Twilio's Advanced Opt-Out on the number,
as numbers announces it), the product records the opt-out or opt-in but sends no confirmation of
its own; it still confirms what the carrier does not answer (a revocation in other words)."""

from uuid import uuid4

from services.messaging.adapters.store.conversations import conversation_id_for
from services.messaging.domain.model import FINAL_STATUSES

from shared.events import Envelope, NumberOptOutHandlingChanged
from tests.messaging.conftest import phone
from tests.support.waiting import eventually


async def carrier_answers_keywords(account, our_number: str, answers: bool) -> None:
    """As numbers announces an owner's or admin's choice for the number."""
    store = account.harness.store
    number_id = (await store.sender_number(account.user_id))["number_id"]
    changed = NumberOptOutHandlingChanged(
        number_id=number_id, user_id=account.user_id, phone_number=our_number, carrier_answers_keywords=answers
    )
    await account.harness.produce(Envelope.wrap(changed, account_id=account.account_id, subject=account.user_id))

    async def kept():
        return await store.carrier_answers_keywords(number_id) is answers

    await eventually(kept, timeout=30, what=f"carrier answers keywords = {answers}")


async def reply_through_the_carrier(account, *, from_: str, to: str, body: str) -> None:
    answer = await account.harness.carrier.post("/sandbox/inbound-messages", json={"from": from_, "to": to, "body": body})
    assert answer.status_code == 200, answer.text

    async def received():
        return [event for event in account.harness.events.of(account.account_id, "message.received") if event["data"]["body"] == body
                and event["data"]["from_number"] == from_]

    await eventually(received, timeout=20, what=f"the reply {body!r} to be received")


async def no_more_texts_to(account, number: str, *, than: int) -> list[dict]:
    """The carrier's log to `number` once every text the product wrote to it has reached a final state.
    An automatic reply is written with the inbound text, before message.received is announced, so
    after `reply_through_the_carrier` each one the product means to send is already in the thread."""
    thread_id = conversation_id_for(account.account_id, number)

    async def settled() -> bool:
        answer = await account.get(f"/v1/conversations/{thread_id}/messages")
        thread = answer.json()["messages"] if answer.status_code == 200 else []
        return all(message["status"] in FINAL_STATUSES for message in thread if message["direction"] == "outbound")

    await eventually(settled, timeout=20, what=f"every text to {number} to reach a final state")
    log = await account.harness.carrier_log(number)
    assert len(log) == than, [entry["body"] for entry in log]
    return log


async def test_where_the_carrier_answers_stop_start_and_help_we_record_them_but_send_nothing(messaging, account):
    our_number = await account.provision_number(with_inbound=True)
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await carrier_answers_keywords(account, our_number, True)

    await reply_through_the_carrier(account, from_=cell.e164, to=our_number, body="STOP")

    refused = await account.send(contact.contact_id, "Still there?")
    assert refused.status_code == 422 and refused.json()["skipped"] == [{"phone_id": cell.phone_id, "reason": "opted_out"}]
    opted_out = await messaging.events.wait_for(account.account_id, "message.received", keyword="opt_out")
    assert opted_out[0]["data"]["from_number"] == cell.e164
    await reply_through_the_carrier(account, from_=cell.e164, to=our_number, body="help")
    await no_more_texts_to(account, cell.e164, than=0)

    await reply_through_the_carrier(account, from_=cell.e164, to=our_number, body="START")
    resumed = await account.send(contact.contact_id, "Welcome back")
    assert resumed.status_code == 202, resumed.text
    await account.message_reaches(resumed.json()["messages"][0]["message_id"], "delivered")
    [welcome] = await no_more_texts_to(account, cell.e164, than=1)
    assert welcome["body"] == "Welcome back"  # the only text from us: no opt-in confirmation


async def test_what_the_carrier_does_not_answer_is_still_confirmed_once(messaging, account):
    our_number = await account.provision_number(with_inbound=True)
    cell = phone("cell")
    await account.create_contact(cell)
    await carrier_answers_keywords(account, our_number, True)

    await reply_through_the_carrier(account, from_=cell.e164, to=our_number, body="Please stop texting me")

    [confirmation] = await no_more_texts_to(account, cell.e164, than=1)
    assert confirmation["body"] == messaging.settings.opt_out_reply


async def test_where_the_carrier_does_not_answer_stop_gets_one_confirmation_from_us(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await carrier_answers_keywords(account, our_number, True)
    await carrier_answers_keywords(account, our_number, False)  # the account turned Advanced Opt-Out off again

    # Forwarded as the gateway does (the sandbox itself would refuse a text to a phone that just texted it STOP).
    answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": "SM" + uuid4().hex, "From": cell.e164, "To": our_number, "Body": "STOP"})

    assert answer.status_code == 200 and answer.json()["keyword"] == "opt_out"
    await account.message_reaches(answer.json()["auto_reply_id"], "delivered")
    [confirmation] = await no_more_texts_to(account, cell.e164, than=1)
    assert confirmation["body"] == messaging.settings.opt_out_reply and confirmation["from"] == our_number
    refused = await account.send(contact.contact_id)
    assert refused.status_code == 422 and refused.json()["skipped"][0]["reason"] == "opted_out"


async def test_where_the_carrier_answers_a_forwarded_stop_gets_no_reply_of_ours(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    await carrier_answers_keywords(account, our_number, True)

    answer = await messaging.system_post("/v1/webhooks/inbound", {"MessageSid": "SM" + uuid4().hex, "From": cell.e164, "To": our_number, "Body": " stop "})

    assert answer.status_code == 200 and answer.json()["keyword"] == "opt_out" and answer.json()["auto_reply_id"] is None
    await no_more_texts_to(account, cell.e164, than=0)
