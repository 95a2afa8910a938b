"""Sending texts through the official SDK: create, fetch, list, and the status callbacks that follow."""

from datetime import datetime, timedelta, timezone

import pytest
from twilio.base.exceptions import TwilioRestException


async def send(twilio, receiver, sender: str, recipient: str, body: str = "Hi from the sandbox"):
    return await twilio.messages.create_async(to=recipient, from_=sender, body=body,
                                              status_callback=receiver.url("/status"))


async def test_a_new_message_is_queued_with_twilio_fields(twilio, receiver, buy_number, new_us_number,
                                                          carrier_settings):
    ours, theirs = (await buy_number()).phone_number, new_us_number()

    message = await send(twilio, receiver, ours, theirs, "Hello there")

    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert message.status == "queued"
    assert (message.to, message.from_, message.body) == (theirs, ours, "Hello there")
    assert message.account_sid == carrier_settings.account_sid
    assert message.direction == "outbound-api"
    assert message.num_segments == "1"
    assert message.uri == f"/2010-04-01/Accounts/{carrier_settings.account_sid}/Messages/{message.sid}.json"
    assert abs(message.date_created - datetime.now(timezone.utc)) < timedelta(minutes=1)


async def test_status_callbacks_report_sent_then_delivered_signed_like_twilio(
        twilio, receiver, buy_number, new_us_number, carrier_settings):
    ours, theirs = (await buy_number()).phone_number, new_us_number()

    message = await send(twilio, receiver, ours, theirs)
    sent, delivered = await receiver.wait_for("/status", 2)

    assert [sent.params["MessageStatus"], delivered.params["MessageStatus"]] == ["sent", "delivered"]
    for callback in (sent, delivered):
        assert callback.is_signed_by(carrier_settings.auth_token)
        assert callback.headers["content-type"] == "application/x-www-form-urlencoded"
        assert callback.headers["i-twilio-idempotency-token"]
        assert callback.params["MessageSid"] == callback.params["SmsSid"] == message.sid
        assert callback.params["SmsStatus"] == callback.params["MessageStatus"]
        assert (callback.params["From"], callback.params["To"]) == (ours, theirs)
        assert callback.params["AccountSid"] == carrier_settings.account_sid
        assert callback.params["ApiVersion"] == "2010-04-01"
        assert "ErrorCode" not in callback.params
    assert (await twilio.messages(message.sid).fetch_async()).status == "delivered"


async def test_a_signature_made_with_another_token_does_not_validate(twilio, receiver, buy_number, new_us_number):
    await send(twilio, receiver, (await buy_number()).phone_number, new_us_number())

    callback, _ = await receiver.wait_for("/status", 2)

    assert not callback.is_signed_by("some-other-token")


async def test_fetch_returns_the_message(twilio, receiver, buy_number, new_us_number):
    created = await send(twilio, receiver, (await buy_number()).phone_number, new_us_number(), "Fetch me")

    fetched = await twilio.messages(created.sid).fetch_async()

    assert (fetched.sid, fetched.body, fetched.to) == (created.sid, "Fetch me", created.to)


async def test_fetching_an_unknown_message_is_twilio_404(twilio):
    with pytest.raises(TwilioRestException) as failure:
        await twilio.messages("SM" + "0" * 32).fetch_async()

    assert (failure.value.status, failure.value.code) == (404, 20404)


async def test_list_filters_by_recipient_and_sender_newest_first(twilio, receiver, buy_number, new_us_number):
    ours, other_sender = (await buy_number()).phone_number, (await buy_number()).phone_number
    alice, bob = new_us_number(), new_us_number()
    first = await send(twilio, receiver, ours, alice, "one")
    second = await send(twilio, receiver, ours, alice, "two")
    await send(twilio, receiver, ours, bob, "to bob")
    await send(twilio, receiver, other_sender, alice, "other sender")

    to_alice_from_ours = await twilio.messages.list_async(to=alice, from_=ours)

    assert [m.sid for m in to_alice_from_ours] == [second.sid, first.sid]


async def test_list_pages_through_every_message(twilio, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    sent = [await send(twilio, receiver, ours, theirs, f"text {i}") for i in range(5)]

    listed = await twilio.messages.list_async(to=theirs, page_size=2)
    first_page = await twilio.messages.page_async(to=theirs, page_size=2)

    assert [m.sid for m in listed] == [m.sid for m in reversed(sent)]
    assert first_page._payload["page_size"] == 2 and first_page._payload["next_page_uri"]


async def test_list_filters_by_date_sent(twilio, receiver, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    message = await send(twilio, receiver, ours, theirs)
    today = datetime.now(timezone.utc)

    on_or_after_today = await twilio.messages.list_async(to=theirs, date_sent_after=today - timedelta(minutes=5))
    before_yesterday = await twilio.messages.list_async(to=theirs, date_sent_before=today - timedelta(days=1))

    assert [m.sid for m in on_or_after_today] == [message.sid]
    assert before_yesterday == []


async def test_a_long_unicode_body_counts_ucs2_segments(twilio, receiver, buy_number, new_us_number):
    message = await send(twilio, receiver, (await buy_number()).phone_number, new_us_number(), "👍" * 40)

    assert message.num_segments == "2"


@pytest.mark.parametrize(
    "params, code",
    [
        ({"to": "", "from_": "OURS", "body": "x"}, 21604),
        ({"to": "+17372345678", "body": "x"}, 21603),
        ({"to": "+17372345678", "from_": "OURS", "body": ""}, 21602),
        ({"to": "+1555", "from_": "OURS", "body": "x"}, 21211),
        ({"to": "17372345678", "from_": "OURS", "body": "x"}, 21211),
        ({"to": "+17372345678", "from_": "+1512", "body": "x"}, 21212),
        ({"to": "+17372345678", "from_": "+15124440199", "body": "x"}, 21606),
    ],
    ids=["no-to", "no-sender", "empty-body", "short-to", "to-without-plus", "bad-from", "unowned-from"],
)
async def test_invalid_sends_get_twilio_error_codes(twilio, buy_number, params, code):
    ours = (await buy_number()).phone_number
    params = {name: ours if value == "OURS" else value for name, value in params.items()}

    with pytest.raises(TwilioRestException) as failure:
        await twilio.messages.create_async(**params)

    assert (failure.value.status, failure.value.code) == (400, code)
    assert (await twilio.messages.list_async()) == []


async def test_error_body_is_exactly_twilios_shape(control, carrier_settings):
    response = await control.post(f"/2010-04-01/Accounts/{carrier_settings.account_sid}/Messages.json",
                                  data={"To": "+15005550001", "From": "+15005550006", "Body": "x"})

    assert response.status_code == 400
    assert response.json() == {
        "code": 21211,
        "message": "Invalid 'To' Phone Number: +15005550001",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


async def test_a_messaging_service_sends_from_an_owned_number(twilio, receiver, buy_number, new_us_number):
    ours = (await buy_number()).phone_number
    service_sid = "MG" + "a" * 32

    message = await twilio.messages.create_async(to=new_us_number(), messaging_service_sid=service_sid, body="x",
                                                 status_callback=receiver.url("/status"))
    sent, _ = await receiver.wait_for("/status", 2)

    assert (message.from_, message.messaging_service_sid) == (ours, service_sid)
    assert sent.params["MessagingServiceSid"] == service_sid


async def test_the_carrier_log_lists_every_outbound_message_in_order(control, twilio, receiver, buy_number,
                                                                     new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    sids = [(await send(twilio, receiver, ours, theirs, f"n{i}")).sid for i in range(3)]
    await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": "inbound"})

    log = (await control.get("/sandbox/messages", params={"to": theirs})).json()["messages"]

    assert [entry["sid"] for entry in log] == sids
    assert [entry["body"] for entry in log] == ["n0", "n1", "n2"]
    assert set(log[0]) >= {"sid", "to", "from", "body", "status", "date_created"}


async def test_the_carrier_log_can_be_counted_without_being_listed(control, twilio, receiver, buy_number, new_us_number):
    ours, theirs, other = (await buy_number()).phone_number, new_us_number(), new_us_number()
    for recipient in (theirs, theirs, other):
        await send(twilio, receiver, ours, recipient)
    await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": "inbound"})

    assert (await control.get("/sandbox/messages/count", params={"to": theirs})).json() == {"count": 2}
    assert (await control.get("/sandbox/messages/count", params={"from": ours})).json() == {"count": 3}


async def test_a_two_septet_character_at_a_part_boundary_starts_the_next_part(twilio, receiver, buy_number, new_us_number):
    message = await send(twilio, receiver, (await buy_number()).phone_number, new_us_number(), "a" * 152 + "€" + "a" * 152)

    assert message.num_segments == "3"
