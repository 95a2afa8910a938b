"""STOP, START and HELP replies: consent recorded for the whole account, confirmations texted back
at once (even in quiet hours), the unknown-sender inbox."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.messaging.domain.model import detect_keyword
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID
from tests.messaging.conftest import phone, random_us_number
from tests.support.waiting import eventually

OPT_OUT_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
OPT_IN_WORDS = ("START", "YES", "UNSTOP")
HELP_WORDS = ("HELP", "INFO")


def sid() -> str:
    return "SM" + uuid4().hex


async def _reply(messaging, *, from_: str, to: str, body: str, message_sid: str | None = None) -> dict:
    answer = await messaging.system_post(
        "/v1/webhooks/inbound", {"MessageSid": message_sid or sid(), "From": from_, "To": to, "Body": body}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_keyword_is_known():
    for word in OPT_OUT_WORDS:
        assert detect_keyword(word.lower()).keyword == "opt_out"
    for word in OPT_IN_WORDS:
        assert detect_keyword(word.capitalize()).keyword == "opt_in"
    for word in HELP_WORDS:
        assert detect_keyword(word).keyword == "help"


@pytest.mark.parametrize("word", OPT_OUT_WORDS[1:])  # STOP has its own, longer test
async def test_each_opt_out_word_opts_the_phone_out_and_is_confirmed(messaging, account, word):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)

    answer = await _reply(messaging, from_=cell.e164, to=our_number, body=word.lower())

    confirmation = await account.message_reaches(answer["auto_reply_id"], "delivered")
    assert (confirmation["to_number"], confirmation["from_number"]) == (cell.e164, our_number)
    refused = await account.send(contact.contact_id)
    assert refused.status_code == 422 and refused.json()["skipped"] == [{"phone_id": cell.phone_id, "reason": "opted_out"}]


async def test_stop_is_final_for_the_whole_account_and_confirmed_even_in_quiet_hours(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell", e164=random_us_number(737))
    contact = await account.create_contact(cell)
    night = datetime.now(UTC).replace(hour=5, minute=0) + timedelta(days=1)  # 11pm or midnight in Texas
    messaging.clock.set(night)
    held = (await account.send(contact.contact_id, "held for the morning")).json()["messages"][0]
    await account.message_reaches(held["message_id"], "scheduled")

    answer = await _reply(messaging, from_=cell.e164, to=our_number, body="Stop")

    confirmation = await account.message_reaches(answer["auto_reply_id"], "delivered")
    assert confirmation["body"] == messaging.settings.opt_out_reply
    messaging.clock.set(night + timedelta(hours=10))
    assert (await account.message_reaches(held["message_id"], "skipped"))["skip_reason"] == "opted_out"
    colleague = messaging.account()
    colleague.account_id = account.account_id
    await colleague.provision_number()
    refused = await colleague.send(contact.contact_id)
    assert refused.status_code == 422 and refused.json()["skipped"][0]["reason"] == "opted_out"
    assert [entry["body"] for entry in await messaging.carrier_log(cell.e164)] == [messaging.settings.opt_out_reply]


async def test_a_retried_keyword_webhook_is_answered_once(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    await account.create_contact(cell)
    message_sid = sid()

    first = await _reply(messaging, from_=cell.e164, to=our_number, body="STOP", message_sid=message_sid)
    again = await _reply(messaging, from_=cell.e164, to=our_number, body="STOP", message_sid=message_sid)

    assert first["auto_reply_id"] == again["auto_reply_id"] and first["message_id"] == again["message_id"]
    await account.message_reaches(first["auto_reply_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 1


@pytest.mark.parametrize("word", OPT_IN_WORDS)
async def test_each_opt_in_word_opts_back_in(messaging, account, word):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    await _reply(messaging, from_=cell.e164, to=our_number, body="STOP")

    answer = await _reply(messaging, from_=cell.e164, to=our_number, body=word)

    confirmation = await account.message_reaches(answer["auto_reply_id"], "delivered")
    assert confirmation["body"] == messaging.settings.opt_in_reply
    resumed = await account.send(contact.contact_id, "Welcome back")
    assert resumed.status_code == 202
    await account.message_reaches(resumed.json()["messages"][0]["message_id"], "delivered")


async def test_a_phone_comes_back_only_on_an_opt_in_the_carrier_also_honours(messaging, account):
    """After STOP the carrier blocks texts to the phone until it gets START, YES or UNSTOP alone;
    "Yes!" is an ordinary reply to it, and so to the product, which keeps the phone opted out."""
    our_number = await account.provision_number(with_inbound=True)
    cell = phone("cell")
    contact = await account.create_contact(cell)

    async def reply_through_the_carrier(body: str) -> None:
        answer = await messaging.carrier.post("/sandbox/inbound-messages", json={"from": cell.e164, "to": our_number, "body": body})
        assert answer.status_code == 200, answer.text

        async def stored():
            return [m for m in messaging.events.of(account.account_id, "message.received") if m["data"].get("body") == body]

        await eventually(stored, timeout=20, what=f"the reply {body!r} to be received")

    await reply_through_the_carrier("STOP")
    await reply_through_the_carrier("Yes!")

    refused = await account.send(contact.contact_id, "Still there?")
    assert refused.status_code == 422 and refused.json()["skipped"][0]["reason"] == "opted_out"
    blocked = await messaging.carrier.post(
        f"/2010-04-01/Accounts/{SANDBOX_ACCOUNT_SID}/Messages.json", data={"To": cell.e164, "From": our_number, "Body": "probe"}
    )
    assert blocked.status_code == 400 and blocked.json()["code"] == 21610  # the carrier agrees: still opted out

    await reply_through_the_carrier("yes")

    resumed = await account.send(contact.contact_id, "Welcome back")
    assert resumed.status_code == 202, resumed.text
    await account.message_reaches(resumed.json()["messages"][0]["message_id"], "delivered")


@pytest.mark.parametrize("word", HELP_WORDS)
async def test_help_gets_the_accounts_help_reply(messaging, account, word):
    our_number = await account.provision_number()
    await account.harness.api.put("/v1/messages/settings", json={"help_reply": "Pat's campaign. Reply STOP to stop."}, headers=account.headers)
    stranger = random_us_number()

    answer = await _reply(messaging, from_=stranger, to=our_number, body=word.lower())

    reply = await account.message_reaches(answer["auto_reply_id"], "delivered")
    assert (reply["body"], reply["to_number"]) == ("Pat's campaign. Reply STOP to stop.", stranger)


async def test_the_account_may_opt_the_whole_person_out(messaging, account):
    our_number = await account.provision_number()
    await account.harness.api.put("/v1/messages/settings", json={"opt_out_scope": "person"}, headers=account.headers)
    replied, other = phone("cell"), phone("cell")
    contact = await account.create_contact(replied, other)

    await _reply(messaging, from_=replied.e164, to=our_number, body="STOP")

    refused = await account.send(contact.contact_id)
    assert refused.status_code == 422
    assert {item["reason"] for item in refused.json()["skipped"]} == {"opted_out"}


async def test_texts_from_unknown_numbers_land_in_the_unknown_sender_inbox(messaging, account):
    our_number = await account.provision_number()
    known = phone("cell")
    await account.create_contact(known)
    stranger = random_us_number()
    await _reply(messaging, from_=known.e164, to=our_number, body="hi, it's Pat")
    unknown = await _reply(messaging, from_=stranger, to=our_number, body="who is this?")

    inbox = (await account.get("/v1/conversations", inbox="unknown")).json()["conversations"]

    assert [(c["conversation_id"], c["their_number"], c["unread_count"]) for c in inbox] == [(unknown["conversation_id"], stranger, 1)]
    everything = (await account.get("/v1/conversations")).json()["conversations"]
    assert {c["their_number"] for c in everything} == {known.e164, stranger}
