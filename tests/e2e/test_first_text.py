"""The first path through all five services, through the gateway's public API."""

import asyncio
import json
import uuid

import httpx

from tests.support.accounts import sign_up_and_sign_in
from tests.support.waiting import eventually

USER_CELL = "(512) 474-2000"
CONTACT_CELL = "(512) 555-0142"
CONTACT_E164 = "+15125550142"


async def sign_up(gateway: httpx.AsyncClient, *, primary_cell: str = USER_CELL) -> dict:
    tag = uuid.uuid4().hex[:10]
    session = await sign_up_and_sign_in(gateway, {
        "account_name": f"Campaign {tag}",
        "name": "Riley Organiser",
        "email": f"riley-{tag}@example.org",
        "password": "correct horse battery",
        "primary_cell": primary_cell,
    })
    gateway.headers["Authorization"] = f"Bearer {session['access_token']}"
    return session


async def create_contact(gateway: httpx.AsyncClient, number: str = CONTACT_CELL) -> dict:
    response = await gateway.post("/api/contacts", json={
        "first_name": "Jordan", "last_name": "Voter",
        "phones": [{"number": number, "type": "cell", "primary": True}],
    })
    assert response.status_code == 201, response.text
    return response.json()


async def read_live_notifications(gateway: httpx.AsyncClient, token: str, received: list) -> None:
    """As the browser does: a single-use ticket minted with the bearer token opens the stream."""
    minted = await gateway.post("/api/notifications/stream-tickets", headers={"Authorization": f"Bearer {token}"})
    assert minted.status_code == 201, minted.text
    ticket = minted.json()["ticket"]
    async with gateway.stream("GET", "/api/notifications/stream", params={"ticket": ticket}, timeout=None) as stream:
        async for line in stream.aiter_lines():
            if line.startswith("data: "):
                received.append(json.loads(line.removeprefix("data: ")))


async def test_a_first_text_goes_out_from_a_bought_512_number_and_the_reply_comes_back(gateway, carrier):
    session = await sign_up(gateway)
    contact = await create_contact(gateway)

    sent = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "Hi Jordan, can we count on your vote?"})
    assert sent.status_code == 202, sent.text
    [message] = sent.json()["messages"]

    async def delivered():
        current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
        return current if current["status"] == "delivered" else None

    delivered_message = await eventually(delivered, timeout=60, what="the text to be delivered")
    our_number = delivered_message["from_number"]
    assert our_number.startswith("+1512")

    numbers = (await gateway.get("/api/numbers/mine")).json()
    assert numbers["phone_number"] == our_number

    carrier_log = (await carrier.get("/sandbox/messages", params={"to": CONTACT_E164})).json()["messages"]
    assert [entry["body"] for entry in carrier_log if entry["from"] == our_number] == ["Hi Jordan, can we count on your vote?"]

    live: list = []
    listener = asyncio.create_task(read_live_notifications(gateway, session["access_token"], live))
    try:
        reply = await carrier.post("/sandbox/inbound-messages", json={"from": CONTACT_E164, "to": our_number, "body": "Yes, count me in!", "duplicate": True})
        assert reply.status_code == 200, reply.text

        async def thread_with_reply():
            threads = (await gateway.get("/api/conversations")).json()["conversations"]
            if not threads:
                return None
            messages = (await gateway.get(f"/api/conversations/{threads[0]['conversation_id']}/messages")).json()["messages"]
            return messages if any(m["direction"] == "inbound" for m in messages) else None

        thread = await eventually(thread_with_reply, timeout=30, what="the reply in the thread")
        inbound = [m for m in thread if m["direction"] == "inbound"]
        assert [m["body"] for m in inbound] == ["Yes, count me in!"]
        assert [m["body"] for m in thread if m["direction"] == "outbound"] == ["Hi Jordan, can we count on your vote?"]

        async def reply_notification():
            listed = (await gateway.get("/api/notifications")).json()["items"]
            return [n for n in listed if n["kind"] == "message_received"]

        [notification] = await eventually(reply_notification, timeout=30, what="the portal notification")
        assert "Yes, count me in!" in notification["body"]
        await eventually(lambda: _async_value([n for n in live if n["kind"] == "message_received"]), timeout=15, what="the live push")
    finally:
        listener.cancel()


async def _async_value(value):
    return value


async def test_a_forged_webhook_is_rejected_and_writes_nothing(gateway, carrier):
    await sign_up(gateway)
    forged = {"MessageSid": "SM" + uuid.uuid4().hex, "From": CONTACT_E164, "To": "+15124742000", "Body": "forged"}
    unsigned = await gateway.post("/webhooks/twilio/messages/inbound", data=forged)
    assert unsigned.status_code == 403
    wrong = await gateway.post("/webhooks/twilio/messages/inbound", data=forged, headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert wrong.status_code == 403
    threads = (await gateway.get("/api/conversations")).json()["conversations"]
    assert threads == []


async def test_bad_input_gets_a_clear_4xx(gateway):
    malformed = await gateway.post("/api/accounts", content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 422
    bad_cell = await gateway.post("/api/accounts", json={
        "account_name": "X", "name": "Y", "email": f"y-{uuid.uuid4().hex[:8]}@example.org",
        "password": "long enough password", "primary_cell": "12345",
    })
    assert bad_cell.status_code == 422 and "primary_cell" in bad_cell.text

    await sign_up(gateway)
    bad_phone = await gateway.post("/api/contacts", json={"first_name": "A", "phones": [{"number": "555", "type": "cell"}]})
    assert bad_phone.status_code == 422 and "555" in bad_phone.text
    contact = await create_contact(gateway, "(512) 555-0177")
    empty = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "   "})
    assert empty.status_code == 422
    unknown = await gateway.post("/api/messages", json={"contact_id": uuid.uuid4().hex, "body": "hello"})
    assert unknown.status_code == 404
    anonymous = await httpx.AsyncClient(base_url=str(gateway.base_url)).get("/api/contacts")
    assert anonymous.status_code == 401


async def test_one_account_cannot_see_another_accounts_contact(gateway, stack):
    await sign_up(gateway)
    contact = await create_contact(gateway, "(512) 555-0188")
    async with httpx.AsyncClient(base_url=stack["GATEWAY_PUBLIC_URL"], timeout=20) as other:
        await sign_up(other, primary_cell="(512) 474-2001")
        assert (await other.get(f"/api/contacts/{contact['id']}")).status_code == 404
        sent = await other.post("/api/messages", json={"contact_id": contact["id"], "body": "hello"})
        assert sent.status_code == 404
