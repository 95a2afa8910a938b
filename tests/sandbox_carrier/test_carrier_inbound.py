"""Inbound texts and calls: the carrier posts Twilio's webhooks to the number's URLs."""

import pytest
from twilio.base.exceptions import TwilioRestException

REPLY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>'
DIAL_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Dial>+15125550100</Dial></Response>'


async def test_an_inbound_text_reaches_the_sms_url_signed_with_twilios_params(
        control, receiver, buy_number, new_us_number, carrier_settings):
    ours, theirs = (await buy_number(area_code=512)).phone_number, new_us_number(212)
    receiver.answer("/sms", body=REPLY_TWIML)

    answer = (await control.post("/sandbox/inbound-messages",
                                 json={"from": theirs, "to": ours, "body": "Who is this?"})).json()

    (hook,) = receiver.at("/sms")
    assert answer["message_sid"].startswith("SM")
    assert (answer["webhook_status"], answer["response_body"]) == (200, REPLY_TWIML)
    assert hook.is_signed_by(carrier_settings.auth_token)
    assert hook.headers["content-type"] == "application/x-www-form-urlencoded"
    assert hook.headers["i-twilio-idempotency-token"]
    params = hook.params
    assert params["MessageSid"] == params["SmsSid"] == params["SmsMessageSid"] == answer["message_sid"]
    assert (params["From"], params["To"], params["Body"]) == (theirs, ours, "Who is this?")
    assert params["AccountSid"] == carrier_settings.account_sid
    assert (params["NumMedia"], params["NumSegments"], params["ApiVersion"]) == ("0", "1", "2010-04-01")
    assert (params["FromState"], params["FromCountry"]) == ("NY", "US")
    assert (params["ToState"], params["ToCountry"]) == ("TX", "US")
    assert {"FromCity", "FromZip", "ToCity", "ToZip"} <= set(params)
    assert "MessagingServiceSid" not in params


async def test_an_inbound_text_carries_a_messaging_service_when_given(control, receiver, buy_number,
                                                                      new_us_number):
    ours = (await buy_number()).phone_number
    service_sid = "MG" + "b" * 32

    await control.post("/sandbox/inbound-messages", json={"from": new_us_number(), "to": ours, "body": "hi",
                                                          "messaging_service_sid": service_sid})

    assert receiver.at("/sms")[0].params["MessagingServiceSid"] == service_sid


async def test_a_duplicate_inbound_text_is_delivered_twice_with_the_same_sid(control, receiver, buy_number,
                                                                             new_us_number, carrier_settings):
    ours = (await buy_number()).phone_number

    answer = (await control.post("/sandbox/inbound-messages",
                                 json={"from": new_us_number(), "to": ours, "body": "again", "duplicate": True})).json()

    first, second = receiver.at("/sms")
    assert first.params == second.params
    assert first.params["MessageSid"] == answer["message_sid"]
    assert first.headers["i-twilio-idempotency-token"] == second.headers["i-twilio-idempotency-token"]
    assert all(hook.is_signed_by(carrier_settings.auth_token) for hook in (first, second))
    assert [d["webhook_status"] for d in answer["deliveries"]] == [200, 200]


async def test_an_inbound_text_can_be_delivered_many_times_over(control, receiver, buy_number, new_us_number):
    ours = (await buy_number()).phone_number

    answer = (await control.post("/sandbox/inbound-messages",
                                 json={"from": new_us_number(), "to": ours, "body": "again", "copies": 6})).json()

    deliveries = await receiver.wait_for("/sms", 6)
    assert {hook.params["MessageSid"] for hook in deliveries} == {answer["message_sid"]}
    assert len(answer["deliveries"]) == 6


async def test_an_inbound_text_is_retried_when_the_product_fails(control, receiver, buy_number, new_us_number):
    ours = (await buy_number()).phone_number
    receiver.answer("/sms", status=503, body="busy", times=2)

    answer = (await control.post("/sandbox/inbound-messages",
                                 json={"from": new_us_number(), "to": ours, "body": "retry me"})).json()

    hooks = receiver.at("/sms")
    assert (answer["webhook_status"], answer["attempts"]) == (200, 3)
    assert len({hook.headers["i-twilio-idempotency-token"] for hook in hooks}) == 1
    assert len(hooks) == 3
    (logged,) = (await control.get("/sandbox/webhooks")).json()["webhooks"]
    assert (logged["kind"], logged["status_code"], logged["attempts"]) == ("incoming-message", 200, 3)
    assert logged["params"]["Body"] == "retry me"


async def test_an_unreachable_product_is_reported_after_the_retries(control, twilio, buy_number, new_us_number):
    ours = await buy_number(sms_url="http://127.0.0.1:9/nobody-listens")

    answer = (await control.post("/sandbox/inbound-messages",
                                 json={"from": new_us_number(), "to": ours.phone_number, "body": "hello?"})).json()

    assert (answer["webhook_status"], answer["attempts"]) == (None, 3)
    assert answer["webhook_error"]


async def test_an_inbound_text_to_an_unknown_number_is_404(control, new_us_number):
    response = await control.post("/sandbox/inbound-messages",
                                  json={"from": new_us_number(), "to": new_us_number(), "body": "hi"})

    assert response.status_code == 404


async def test_an_inbound_text_appears_in_the_message_list(control, twilio, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()

    answer = (await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": "hi"})).json()

    (listed,) = await twilio.messages.list_async(from_=theirs)
    assert (listed.sid, listed.direction, listed.status) == (answer["message_sid"], "inbound", "received")


async def test_a_get_sms_url_gets_a_signed_query_string(control, receiver, buy_number, new_us_number,
                                                        carrier_settings):
    ours = (await buy_number(sms_url=receiver.url("/sms-get"), sms_method="GET")).phone_number

    await control.post("/sandbox/inbound-messages", json={"from": new_us_number(), "to": ours, "body": "by GET"})

    (hook,) = receiver.at("/sms-get")
    assert (hook.method, hook.params["Body"]) == ("GET", "by GET")
    assert hook.is_signed_by(carrier_settings.auth_token)


async def test_an_inbound_call_reaches_the_voice_url_and_returns_its_twiml(control, receiver, buy_number,
                                                                           new_us_number, carrier_settings):
    ours, caller = (await buy_number()).phone_number, new_us_number()
    receiver.answer("/voice", body=DIAL_TWIML)

    answer = (await control.post("/sandbox/inbound-calls", json={"from": caller, "to": ours})).json()

    (hook,) = receiver.at("/voice")
    assert answer["call_sid"].startswith("CA")
    assert (answer["webhook_status"], answer["response_body"]) == (200, DIAL_TWIML)
    assert hook.is_signed_by(carrier_settings.auth_token)
    params = hook.params
    assert params["CallSid"] == answer["call_sid"]
    assert (params["From"], params["To"], params["Caller"], params["Called"]) == (caller, ours, caller, ours)
    assert (params["CallStatus"], params["Direction"], params["ApiVersion"]) == ("ringing", "inbound", "2010-04-01")
    assert params["AccountSid"] == carrier_settings.account_sid


async def test_an_outbound_call_is_queued_then_reported_completed(twilio, control, receiver, buy_number,
                                                                  new_us_number, carrier_settings):
    ours, theirs = (await buy_number()).phone_number, new_us_number()

    call = await twilio.calls.create_async(to=theirs, from_=ours, url=receiver.url("/bridge"),
                                           status_callback=receiver.url("/call-status"))
    (completed,) = await receiver.wait_for("/call-status", 1)

    assert call.sid.startswith("CA") and call.status == "queued"
    assert (call.to, call._from, call.direction) == (theirs, ours, "outbound-api")
    assert completed.is_signed_by(carrier_settings.auth_token)
    assert (completed.params["CallSid"], completed.params["CallStatus"]) == (call.sid, "completed")
    assert completed.params["CallDuration"] == str(carrier_settings.simulated_call_seconds)
    fetched = await twilio.calls(call.sid).fetch_async()
    assert (fetched.status, fetched.duration) == ("completed", str(carrier_settings.simulated_call_seconds))
    (logged,) = (await control.get("/sandbox/calls")).json()["calls"]
    assert (logged["sid"], logged["url"], logged["status"]) == (call.sid, receiver.url("/bridge"), "completed")


async def test_an_outbound_call_from_an_unowned_number_is_21210(twilio, new_us_number):
    with pytest.raises(TwilioRestException) as failure:
        await twilio.calls.create_async(to=new_us_number(), from_=new_us_number(), twiml="<Response/>")

    assert failure.value.code == 21210
