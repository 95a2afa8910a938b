"""Failures a real carrier produces: bad destinations, delivery failures, opt-outs and outages."""

import asyncio

import pytest
from twilio.base.exceptions import TwilioRestException


async def send(twilio, receiver, sender: str, recipient: str):
    return await twilio.messages.create_async(to=recipient, from_=sender, body="Are you there?",
                                              status_callback=receiver.url("/status"))


@pytest.mark.parametrize("magic_number, code", [("+15005550001", 21211), ("+15005550004", 21610),
                                                ("+15005550009", 21614)])
async def test_twilios_magic_numbers_fail_at_create(twilio, receiver, buy_number, magic_number, code):
    ours = (await buy_number()).phone_number

    with pytest.raises(TwilioRestException) as failure:
        await send(twilio, receiver, ours, magic_number)

    assert (failure.value.status, failure.value.code) == (400, code)
    assert failure.value.msg.endswith(f"{magic_number}") or code != 21211


@pytest.mark.parametrize("code", [21211, 21610, 21614])
async def test_scripted_create_time_errors(twilio, control, receiver, buy_number, new_us_number, code):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/behaviours", json={"phone_number": theirs, "error_code": code})

    with pytest.raises(TwilioRestException) as failure:
        await send(twilio, receiver, ours, theirs)

    assert (failure.value.status, failure.value.code) == (400, code)
    assert (await control.get("/sandbox/messages")).json()["messages"] == []


@pytest.mark.parametrize("code", [30003, 30005, 30006, 30007, 30008])
async def test_delivery_time_errors_end_undelivered_with_the_error_code(twilio, control, receiver, buy_number,
                                                                         new_us_number, code):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/behaviours", json={"phone_number": theirs, "error_code": code})

    message = await send(twilio, receiver, ours, theirs)
    sent, undelivered = await receiver.wait_for("/status", 2)

    assert message.status == "queued"
    assert [sent.params["MessageStatus"], undelivered.params["MessageStatus"]] == ["sent", "undelivered"]
    assert "ErrorCode" not in sent.params
    assert undelivered.params["ErrorCode"] == str(code)
    fetched = await twilio.messages(message.sid).fetch_async()
    assert (fetched.status, fetched.error_code) == ("undelivered", code)
    assert fetched.error_message


async def test_a_failed_delivery_skips_sent(twilio, control, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/behaviours",
                       json={"phone_number": theirs, "error_code": 30007, "delivery_status": "failed"})

    await send(twilio, receiver, ours, theirs)
    (failed,) = await receiver.wait_for("/status", 1)

    assert (failed.params["MessageStatus"], failed.params["ErrorCode"]) == ("failed", "30007")


async def test_a_behaviour_can_be_removed(twilio, control, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/behaviours", json={"phone_number": theirs, "error_code": 21610})
    listed = (await control.post("/sandbox/behaviours", json={"phone_number": theirs, "error_code": None})).json()

    assert listed == {"behaviours": []}
    assert (await send(twilio, receiver, ours, theirs)).status == "queued"


async def test_an_unknown_behaviour_code_is_refused(control, new_us_number):
    response = await control.post("/sandbox/behaviours", json={"phone_number": new_us_number(), "error_code": 12345})

    assert response.status_code == 422


async def test_stop_from_a_recipient_unsubscribes_them_until_start(twilio, control, receiver, buy_number,
                                                                   new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    other_number = (await buy_number()).phone_number
    await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": " stop "})

    with pytest.raises(TwilioRestException) as failure:
        await send(twilio, receiver, ours, theirs)
    assert failure.value.code == 21610
    assert (await send(twilio, receiver, other_number, theirs)).status == "queued"

    await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": "START"})
    assert (await send(twilio, receiver, ours, theirs)).status == "queued"


@pytest.mark.parametrize("http_status, code", [(429, 20429), (500, 20500), (503, 20503)])
async def test_faults_answer_the_next_creates_then_stop(twilio, control, receiver, buy_number, new_us_number,
                                                        http_status, code):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/faults", json={"http_status": http_status, "count": 2})

    for _ in range(2):
        with pytest.raises(TwilioRestException) as failure:
            await send(twilio, receiver, ours, theirs)
        assert (failure.value.status, failure.value.code) == (http_status, code)
    message = await send(twilio, receiver, ours, theirs)

    log = (await control.get("/sandbox/messages")).json()["messages"]
    assert [entry["sid"] for entry in log] == [message.sid]


async def test_faults_can_be_cleared(twilio, control, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    pending = (await control.post("/sandbox/faults", json={"http_status": 503, "count": 3})).json()

    await control.delete("/sandbox/faults")

    assert len(pending["faults"]) == 3
    assert (await control.get("/sandbox/faults")).json() == {"faults": [], "standing_faults": []}
    assert (await send(twilio, receiver, ours, theirs)).status == "queued"


async def test_a_timeout_fault_stalls_after_creating_the_message(twilio, control, receiver, buy_number,
                                                                 new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/faults", json={"mode": "timeout", "count": 1, "hold_seconds": 5})

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(send(twilio, receiver, ours, theirs), timeout=0.5)

    # The ambiguous case: the client saw no answer, yet the text went out and can be found by listing.
    log = (await control.get("/sandbox/messages", params={"to": theirs})).json()["messages"]
    assert len(log) == 1
    assert [m.sid for m in await twilio.messages.list_async(to=theirs)] == [log[0]["sid"]]
    assert (await send(twilio, receiver, ours, theirs)).status == "queued"


async def test_a_timeout_fault_can_leave_nothing_created(twilio, control, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    await control.post("/sandbox/faults",
                       json={"mode": "timeout", "count": 1, "hold_seconds": 5, "message_created": False})

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(send(twilio, receiver, ours, theirs), timeout=0.5)

    assert (await control.get("/sandbox/messages")).json()["messages"] == []


async def test_a_standing_fault_answers_its_share_of_creates_until_cleared(twilio, control, receiver, buy_number,
                                                                           new_us_number):
    ours = (await buy_number()).phone_number
    await control.post("/sandbox/faults", json={"http_status": 429, "rate": 1.0})
    for _ in range(3):
        with pytest.raises(TwilioRestException) as failure:
            await send(twilio, receiver, ours, new_us_number())
        assert (failure.value.status, failure.value.code) == (429, 20429)
    await control.delete("/sandbox/faults")
    await control.post("/sandbox/faults", json={"http_status": 503, "rate": 0.5})

    outcomes = []
    for _ in range(60):
        try:
            await send(twilio, receiver, ours, new_us_number())
            outcomes.append("sent")
        except TwilioRestException as refused:
            outcomes.append(refused.status)

    # Sixty draws at one half: fewer than 10 of either is a one-in-a-billion chance.
    assert outcomes.count(503) >= 10 and outcomes.count("sent") >= 10
    assert len((await control.get("/sandbox/messages")).json()["messages"]) == outcomes.count("sent")
    await control.delete("/sandbox/faults")
    assert (await send(twilio, receiver, ours, new_us_number())).status == "queued"


async def test_status_callbacks_can_be_replayed_and_shuffled(twilio, control, receiver, buy_number, new_us_number):
    ours = (await buy_number()).phone_number
    replays = await control.put("/sandbox/status-callback-replays", json={"copies": 3, "shuffle": True})
    assert replays.json() == {"copies": 3, "shuffle": True}

    message = await send(twilio, receiver, ours, new_us_number())
    callbacks = await receiver.wait_for("/status", 6)

    assert sorted(hook.params["MessageStatus"] for hook in callbacks) == ["delivered"] * 3 + ["sent"] * 3
    assert {hook.params["MessageSid"] for hook in callbacks} == {message.sid}
    assert len({hook.headers["i-twilio-idempotency-token"] for hook in callbacks}) == 6


async def test_a_fault_request_needs_exactly_one_kind(control):
    both = await control.post("/sandbox/faults", json={"http_status": 500, "mode": "timeout"})
    neither = await control.post("/sandbox/faults", json={"count": 2})

    assert (both.status_code, neither.status_code) == (422, 422)
