"""Calls (forwarding with the caller's name, click-to-call, call.completed), A2P 10DLC through the
sandbox's Messaging API, deactivated users' numbers, and 100 users at once."""

import asyncio
import uuid

from services.numbers.service_layer.provisioning import request_number
from shared.keywords import OPT_OUT_KEYWORDS
from shared.events import ContactCreated, ContactSnapshot, Envelope, PhoneSnapshot, UserUpdated
from tests.numbers.builders import cell_in, number_needed, user_created
from tests.numbers.test_http import provision
from tests.numbers.test_registration_checks import a_draft
from tests.support.waiting import eventually


def a_contact(account_id: str, *, number: str, dnc: bool = False, wrong_number: bool = False) -> tuple[Envelope, ContactSnapshot]:
    snapshot = ContactSnapshot(
        contact_id=f"contact-{uuid.uuid4().hex[:10]}", revision=1, first_name="Jane", last_name="Doe", dnc=dnc,
        phones=[PhoneSnapshot(phone_id="ph1", e164=number, type="cell", wrong_number=wrong_number)],
    )
    return Envelope.wrap(ContactCreated(contact=snapshot), account_id=account_id, subject=snapshot.contact_id), snapshot


async def known(numbers, account_id, contact):
    return await eventually(lambda: numbers.service.ports.contacts.get(account_id, contact.contact_id), what="contact in the read model")


async def test_a_known_contact_is_named_to_the_user_and_the_call_lands_as_call_completed(numbers, account_id):
    user, our_number = await provision(numbers, account_id)
    envelope, contact = a_contact(account_id, number=cell_in("303"), dnc=True)  # DNC still gets through
    await numbers.produce(envelope)
    await known(numbers, account_id, contact)

    call = await numbers.carrier_control.post("/sandbox/inbound-calls", json={"from": contact.phones[0].e164, "to": our_number})
    call_sid = call.json()["call_sid"]
    forwarded = await numbers.http.post(
        "/v1/webhooks/voice", headers=numbers.system_headers(),
        json={"To": our_number, "From": contact.phones[0].e164, "CallSid": call_sid, "Direction": "inbound"},
    )
    assert forwarded.json()["twiml"] == (
        f'<Response><Dial callerId="{contact.phones[0].e164}"><Number method="POST" url="http://gateway.test:8000/webhooks/twilio/voice">'
        f"{user.primary_cell}</Number></Dial></Response>"
    )
    whisper = await numbers.http.post(
        "/v1/webhooks/voice", headers=numbers.system_headers(),
        json={"To": user.primary_cell, "From": contact.phones[0].e164, "CallSid": "CA" + "1" * 32, "Direction": "outbound-dial"},
    )
    assert whisper.json()["twiml"] == "<Response><Say>Call from Jane Doe.</Say></Response>"

    status = {"CallSid": call_sid, "CallStatus": "completed", "CallDuration": "42", "Direction": "inbound",
              "From": contact.phones[0].e164, "To": our_number}
    for _ in range(2):  # Twilio may repeat a callback
        response = await numbers.http.post("/v1/webhooks/voice-status", json=status, headers=numbers.system_headers())
        assert response.status_code == 200 and response.json() == {"recorded": True}
    event = await eventually(lambda: _first(numbers.events.of("call.completed", account_id)), what="call.completed")
    assert event["subject"] == contact.contact_id
    assert event["data"]["duration_seconds"] == 42 and event["data"]["direction"] == "inbound"
    await numbers.service.runtime.relay.relay_pending()  # whatever the repeat wrote is on Kafka now
    await numbers.events.read_to_end()
    assert len({e["id"] for e in numbers.events.of("call.completed", account_id)}) == 1


async def test_click_to_call_rings_the_user_then_bridges_from_their_number(numbers, account_id):
    user, our_number = await provision(numbers, account_id)
    envelope, contact = a_contact(account_id, number=cell_in("303"))
    dnc_envelope, dnc_contact = a_contact(account_id, number=cell_in("303"), dnc=True)
    wrong_envelope, wrong_contact = a_contact(account_id, number=cell_in("303"), wrong_number=True)
    await numbers.produce(envelope, dnc_envelope, wrong_envelope)
    for each in (contact, dnc_contact, wrong_contact):
        await known(numbers, account_id, each)
    headers = numbers.headers(account_id, user.user_id)

    placed = await numbers.http.post("/v1/calls", json={"contact_id": contact.contact_id, "phone_id": "ph1"}, headers=headers)

    assert placed.status_code == 201, placed.text
    call = placed.json()
    assert (call["ringing"], call["from_number"], call["to_number"]) == (user.primary_cell, our_number, contact.phones[0].e164)
    at_carrier = [c for c in (await numbers.carrier_control.get("/sandbox/calls")).json()["calls"] if c["sid"] == call["call_sid"]]
    assert at_carrier[0]["to"] == user.primary_cell and at_carrier[0]["from"] == our_number
    assert f'<Dial callerId="{our_number}">{contact.phones[0].e164}</Dial>' in at_carrier[0]["twiml"]
    # The sandbox completes the call at once; its status callback goes to the gateway (not running here).
    status = {"CallSid": call["call_sid"], "CallStatus": "completed", "CallDuration": "5", "Direction": "outbound-api",
              "From": our_number, "To": user.primary_cell}
    await numbers.http.post("/v1/webhooks/voice-status", json=status, headers=numbers.system_headers())
    event = await eventually(lambda: _first(numbers.events.of("call.completed", account_id)), what="call.completed")
    assert event["subject"] == contact.contact_id and event["data"]["direction"] == "outbound"

    dnc = await numbers.http.post("/v1/calls", json={"contact_id": dnc_contact.contact_id, "phone_id": "ph1"}, headers=headers)
    assert dnc.status_code == 409 and "Do Not Contact" in dnc.json()["detail"]
    wrong = await numbers.http.post("/v1/calls", json={"contact_id": wrong_contact.contact_id, "phone_id": "ph1"}, headers=headers)
    assert wrong.status_code == 409 and "Wrong Number" in wrong.json()["detail"]
    other_account = numbers.headers(f"other-{account_id}", user.user_id)
    hidden = await numbers.http.post("/v1/calls", json={"contact_id": contact.contact_id, "phone_id": "ph1"}, headers=other_account)
    assert hidden.status_code == 404


async def test_a2p_registration_is_checked_submitted_reviewed_and_numbers_join_the_service(numbers, account_id):
    _, first_number = await provision(numbers, account_id)
    owner = numbers.headers(account_id, "owner-1", role="owner")
    texter = numbers.headers(account_id, "texter-1")
    draft = a_draft().__dict__

    assert (await numbers.http.put("/v1/registrations", json=draft, headers=texter)).status_code == 403
    missing_stop = {**draft, "sample_messages": ["Hi Sam, can you canvass on Saturday morning?", "Phone bank starts at 6pm tonight."]}
    await numbers.http.put("/v1/registrations", json=missing_stop, headers=owner)
    refused = await numbers.http.post("/v1/registrations/submit", headers=owner)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "sample_messages"

    await numbers.http.put("/v1/registrations", json=draft, headers=owner)
    submitted = await numbers.http.post("/v1/registrations/submit", headers=owner)
    assert submitted.status_code == 200, submitted.text
    brand_sid = submitted.json()["brand_sid"]
    assert submitted.json()["state"] in ("submitted", "in_review") and submitted.json()["deliverability_warning"]

    await numbers.carrier_control.post(f"/sandbox/a2p/brands/{brand_sid}/review", json={"status": "APPROVED"})
    campaign = await eventually(lambda: _registration_with(numbers, owner, "campaign_sid"), what="campaign created")
    await numbers.carrier_control.post(f"/sandbox/a2p/campaigns/{campaign['campaign_sid']}/review", json={"campaign_status": "VERIFIED"})
    approved = await eventually(lambda: _registration_in(numbers, owner, "approved"), what="approved registration")
    assert approved["deliverability_warning"] is False
    registered = (await numbers.carrier_control.get("/sandbox/a2p")).json()["campaigns"]
    [registered] = [c for c in registered if c["sid"] == campaign["campaign_sid"]]
    assert set(registered["opt_out_keywords"]) == set(OPT_OUT_KEYWORDS) and len(OPT_OUT_KEYWORDS) == 8

    _, later_number = await provision(numbers, account_id)  # bought after approval

    async def both_in_service():
        services = (await numbers.carrier_control.get("/sandbox/a2p")).json()["services"]
        [service] = [s for s in services if s["sid"] == approved["messaging_service_sid"]]
        return service if {first_number, later_number} <= set(service["phone_numbers"]) else None

    await eventually(both_in_service, what="numbers in the messaging service")
    states = [e["data"]["state"] for e in numbers.events.of("registration.updated", account_id)]
    assert states[0] == "draft" and "submitted" in states and "in_review" in states and states[-1] == "approved"


async def test_a_failed_review_carries_the_carriers_reason(numbers, account_id):
    owner = numbers.headers(account_id, "owner-1", role="owner")
    await numbers.http.put("/v1/registrations", json=a_draft().__dict__, headers=owner)
    brand_sid = (await numbers.http.post("/v1/registrations/submit", headers=owner)).json()["brand_sid"]
    await numbers.carrier_control.post(
        f"/sandbox/a2p/brands/{brand_sid}/review", json={"status": "FAILED", "failure_reason": "EIN does not match the legal name"},
    )
    failed = await eventually(lambda: _registration_in(numbers, owner, "failed"), what="failed registration")
    assert "EIN does not match the legal name" in failed["reason"]
    event = await eventually(lambda: _last_with_state(numbers, account_id, "failed"), what="registration.updated failed")
    assert "EIN does not match" in event["data"]["reason"]


async def test_a_deactivated_users_number_is_released_or_kept_for_the_next_user(numbers, account_id):
    owner = numbers.headers(account_id, "owner-1", role="owner")
    leaving, leaving_number = await provision(numbers, account_id, area_code="415")
    await _deactivate(numbers, account_id, leaving)
    released = await eventually(lambda: _first(numbers.events.of("number.released", account_id)), what="number.released")
    assert released["data"]["phone_number"] == leaving_number
    assert not [n for n in (await numbers.carrier_control.get("/sandbox/incoming-phone-numbers")).json()["incoming_phone_numbers"]
                if n["phone_number"] == leaving_number]

    assert (await numbers.http.put("/v1/numbers/settings", json={"on_deactivation": "reassign"}, headers=owner)).status_code == 200
    second, second_number = await provision(numbers, account_id, area_code="415")
    await _deactivate(numbers, account_id, second)
    await eventually(lambda: _released(numbers, account_id, second_number), what="second number.released")
    _, newcomer_number = await provision(numbers, account_id, area_code="415")
    assert newcomer_number == second_number  # reassigned, not bought
    listing = (await numbers.http.get("/v1/numbers", headers=owner)).json()["items"]
    assert sorted(item["state"] for item in listing) == ["active", "released", "released"]


async def test_a_hundred_users_at_once_get_exactly_a_hundred_numbers(numbers, account_id):
    users = [user_created(account_id, area_code="512") for _ in range(100)]
    user_ids = [u.data.user.user_id for u in users]
    await numbers.produce(*users)
    await eventually(lambda: numbers.service.ports.users.get(account_id, user_ids[-1]), timeout=120, what="users known")
    service = numbers.service
    # Every user asks over Kafka and, at the same moment, in-process (as a second service instance would).
    await numbers.produce(*[number_needed(account_id, user_id) for user_id in user_ids])
    await asyncio.gather(*[
        request_number(ports=service.ports, policy=service.policy, account_id=account_id, user_id=user_id, reason="first_send")
        for user_id in user_ids
    ])

    async def all_active():
        lines = await service.ports.lines.in_account(account_id)
        return lines if len(lines) == 100 and all(line.state == "active" for line in lines) else None

    lines = await eventually(all_active, timeout=180, what="a hundred active lines")
    owned = (await numbers.carrier_control.get("/sandbox/incoming-phone-numbers")).json()["incoming_phone_numbers"]
    ours = [n for n in owned if any(user_id in (n["friendly_name"] or "") for user_id in user_ids)]
    assert len(ours) == 100
    assert sorted(n["phone_number"] for n in ours) == sorted(line.phone_number for line in lines)


async def _deactivate(numbers, account_id, user) -> None:
    snapshot = user.model_copy(update={"active": False})
    await numbers.produce(Envelope.wrap(UserUpdated(user=snapshot, changed=["active"]), account_id=account_id, subject=user.user_id))


async def _released(numbers, account_id, phone_number):
    return await _first([e for e in numbers.events.of("number.released", account_id) if e["data"]["phone_number"] == phone_number])


async def _registration_with(numbers, headers, field):
    response = await numbers.http.get("/v1/registrations", headers=headers)
    return response.json() if response.status_code == 200 and response.json().get(field) else None


async def _registration_in(numbers, headers, state):
    response = await numbers.http.get("/v1/registrations", headers=headers)
    return response.json() if response.status_code == 200 and response.json()["state"] == state else None


async def _last_with_state(numbers, account_id, state):
    return await _first([e for e in numbers.events.of("registration.updated", account_id) if e["data"]["state"] == state])


async def _first(items):
    return items[0] if items else None
