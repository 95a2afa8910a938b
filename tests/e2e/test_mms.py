"""MMS through the gateway's public API, with every service and the sandbox carrier running: an
uploaded image goes out with a text, the carrier fetches it through the gateway's signed link, the
thread shows it; a picture a contact sends back is fetched, stored and shown; bad media get a 4xx."""

import base64
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from services.messaging.domain.media_links import signed_token
from tests.e2e.test_first_text import create_contact, sign_up
from tests.support.images import GIF, PDF, PNG, padded_png
from tests.support.waiting import eventually


async def upload(gateway: httpx.AsyncClient, data: bytes, content_type: str = "image/png") -> httpx.Response:
    return await gateway.post("/api/media", content=data, headers={"Content-Type": content_type})


async def test_an_image_goes_out_with_a_text_through_a_signed_link_and_is_shown_in_the_thread(gateway, carrier, stack):
    await sign_up(gateway)
    contact = await create_contact(gateway, "(512) 555-0191")
    image = (await upload(gateway, PNG)).json()

    sent = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "Our flyer", "media_ids": [image["media_id"]]})
    assert sent.status_code == 202, sent.text
    [message] = sent.json()["messages"]

    async def delivered():
        current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
        return current if current["status"] == "delivered" else None

    await eventually(delivered, timeout=60, what="the MMS to be delivered")
    [at_carrier] = (await carrier.get("/sandbox/messages", params={"to": "+15125550191"})).json()["messages"]
    [link] = at_carrier["media_urls"]
    assert link.startswith(stack["GATEWAY_PUBLIC_URL"] + "/media/" + image["media_id"] + ".")
    assert [(f["status_code"], f["content_type"], f["size"]) for f in at_carrier["media_fetches"]] == [(200, "image/png", len(PNG))]

    [shown] = (await gateway.get(f"/api/conversations/{message['conversation_id']}/messages")).json()["messages"]
    assert shown["media"] == [image]
    content = await gateway.get(image["url"])
    assert (content.status_code, content.content, content.headers["content-type"]) == (200, PNG, "image/png")
    async with httpx.AsyncClient(base_url=stack["GATEWAY_PUBLIC_URL"]) as anonymous:
        assert (await anonymous.get(image["url"])).status_code == 401
        assert (await anonymous.get(link.removeprefix(stack["GATEWAY_PUBLIC_URL"]))).content == PNG  # the link needs no sign-in
        secret = stack["MESSAGING_MEDIA_LINK_SECRET"]
        expired = signed_token(secret, image["media_id"], now=datetime.now(UTC) - timedelta(hours=1), lifetime=timedelta(minutes=10))
        forged = signed_token("guessed", image["media_id"], now=datetime.now(UTC), lifetime=timedelta(minutes=10))
        assert (await anonymous.get(f"/media/{expired}")).status_code == 410
        assert (await anonymous.get(f"/media/{forged}")).status_code == 404


async def test_a_picture_a_contact_sends_is_fetched_stored_and_shown(gateway, carrier):
    await sign_up(gateway)
    sent = await gateway.post("/api/messages", json={"contact_id": (await create_contact(gateway, "(512) 555-0192"))["id"], "body": "Hi!"})
    [message] = sent.json()["messages"]

    async def our_number():
        current = (await gateway.get(f"/api/messages/{message['message_id']}")).json()
        return current["from_number"] if current["status"] == "delivered" else None

    number = await eventually(our_number, timeout=60, what="the first text to be delivered")
    media = [{"content_type": "image/gif", "content_base64": base64.b64encode(GIF).decode()}]
    answer = await carrier.post("/sandbox/inbound-messages", json={"from": "+15125550192", "to": number, "body": "My sign", "media": media})
    assert answer.status_code == 200 and answer.json()["webhook_status"] == 200, answer.text

    async def reply():
        thread = (await gateway.get(f"/api/conversations/{message['conversation_id']}/messages")).json()["messages"]
        return next((m for m in thread if m["direction"] == "inbound"), None)

    received = await eventually(reply, timeout=30, what="the MMS reply in the thread")
    [item] = received["media"]
    assert (received["body"], item["content_type"], item["size"]) == ("My sign", "image/gif", len(GIF))
    assert (await gateway.get(item["url"])).content == GIF


async def test_media_a_text_may_not_carry_get_a_clear_4xx(gateway):
    await sign_up(gateway)
    contact = await create_contact(gateway, "(512) 555-0193")

    not_an_image = await upload(gateway, PDF)
    assert not_an_image.status_code == 422 and not_an_image.json()["errors"][0]["field"] == "body"
    # Over 5 MB is refused before it is read (tests/gateway/test_body_limits.py); here, one just under it is taken.
    assert (await upload(gateway, padded_png(5 * 1024 * 1024))).status_code == 201
    unknown = uuid.uuid4().hex
    answer = await gateway.post("/api/messages", json={"contact_id": contact["id"], "body": "x", "media_ids": [unknown]})
    assert (answer.status_code, answer.json()["errors"]) == (422, [{"field": "media_ids", "problem": f"no media {unknown} in this account"}])
    assert (await gateway.get(f"/api/conversations")).json()["conversations"] == []
