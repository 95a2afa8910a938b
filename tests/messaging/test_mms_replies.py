"""Replies with pictures (MMS): each medium the carrier's webhook names is fetched from the carrier
with the account's credentials, stored once, shown in the thread and carried by message.received;
media the carrier will not give, or URLs that are not the carrier's, store nothing."""

import base64

from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID
from shared import topics
from tests.messaging.conftest import phone, random_us_number
from tests.support.images import GIF, JPEG


def as_media(*files: tuple[str, bytes]) -> list[dict]:
    return [{"content_type": content_type, "content_base64": base64.b64encode(data).decode()} for content_type, data in files]


async def test_a_reply_with_pictures_is_fetched_stored_and_shown_in_the_thread(messaging, account):
    our_number = await account.provision_number(with_inbound=True)
    cell = phone("cell")
    contact = await account.create_contact(cell)

    answer = await messaging.carrier.post("/sandbox/inbound-messages", json={
        "from": cell.e164, "to": our_number, "body": "Here's my yard sign!", "media": as_media(("image/jpeg", JPEG), ("image/gif", GIF)),
        "duplicate": True,
    })

    assert answer.status_code == 200, answer.text
    assert [delivery["webhook_status"] for delivery in answer.json()["deliveries"]] == [200, 200]
    [thread] = (await account.get("/v1/conversations")).json()["conversations"]
    [reply] = (await account.get(f"/v1/conversations/{thread['conversation_id']}/messages")).json()["messages"]
    assert (reply["direction"], reply["body"], reply["contact_id"]) == ("inbound", "Here's my yard sign!", contact.contact_id)
    assert [(item["content_type"], item["size"]) for item in reply["media"]] == [("image/jpeg", len(JPEG)), ("image/gif", len(GIF))]
    for item, data in zip(reply["media"], (JPEG, GIF), strict=True):
        assert item["url"] == f"/api/media/{item['media_id']}/content"
        content = await account.get(f"/v1/media/{item['media_id']}/content")
        assert (content.status_code, content.content) == (200, data)
        assert (await messaging.account().get(f"/v1/media/{item['media_id']}/content")).status_code == 404
    stored = await messaging.store._db["media"].count_documents({"account_id": account.account_id, "origin": "inbound"})
    assert stored == 2  # the webhook came twice, the media were stored once
    [received] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_RECEIVED, message_id=reply["message_id"])
    assert received["data"]["media"] == [{name: item[name] for name in ("media_id", "content_type", "size")} for item in reply["media"]]


async def test_a_picture_alone_is_a_reply_too(messaging, account):
    our_number = await account.provision_number(with_inbound=True)
    stranger = random_us_number()

    answer = await messaging.carrier.post("/sandbox/inbound-messages", json={
        "from": stranger, "to": our_number, "body": "", "media": as_media(("image/gif", GIF))})

    assert answer.status_code == 200, answer.text
    [thread] = (await account.get("/v1/conversations")).json()["conversations"]
    [reply] = (await account.get(f"/v1/conversations/{thread['conversation_id']}/messages")).json()["messages"]
    assert (reply["body"], [item["content_type"] for item in reply["media"]]) == ("", ["image/gif"])


async def test_media_urls_the_carrier_does_not_serve_are_left_out_and_nothing_else_is_fetched(messaging, account):
    our_number = await account.provision_number()
    carrier = messaging.settings.twilio_api_base_url
    webhook = {
        "MessageSid": "SM" + "7" * 32, "AccountSid": SANDBOX_ACCOUNT_SID, "From": random_us_number(), "To": our_number, "Body": "look",
        "NumMedia": "2",
        "MediaUrl0": "https://attacker.example/steal-credentials.png", "MediaContentType0": "image/png",
        "MediaUrl1": f"{carrier}/2010-04-01/Accounts/{SANDBOX_ACCOUNT_SID}/Messages/SM{'7' * 32}/Media/ME{'0' * 32}",
        "MediaContentType1": "image/png",
    }

    answer = await messaging.system_post("/v1/webhooks/inbound", webhook)

    assert answer.status_code == 200, answer.text
    message = await account.message(answer.json()["message_id"])
    assert (message["body"], message["media"]) == ("look", [])
    assert await messaging.store._db["media"].count_documents({"account_id": account.account_id}) == 0
