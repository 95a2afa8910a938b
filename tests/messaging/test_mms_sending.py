"""Texts with images (MMS): the carrier fetches each image through a fresh signed link on the
gateway, the message and its events carry the media, the thread shows them, a bulk send and a
preview count them as MMS, and a text naming media it may not carry writes nothing."""

from uuid import uuid4

import pytest

from services.messaging.domain.media import MAX_MEDIA_BYTES_PER_MESSAGE
from shared import topics
from tests.messaging.conftest import phone
from tests.messaging.test_bulk import _job_reaches
from tests.messaging.test_media import upload
from tests.support.images import GIF, PNG, padded_png


async def uploaded(account, data: bytes) -> dict:
    answer = await upload(account, data)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_text_with_images_goes_as_an_mms_the_carrier_fetches_through_signed_links(messaging, account):
    our_number = await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    flyer, map_ = await uploaded(account, PNG), await uploaded(account, GIF)

    answer = await account.send(contact.contact_id, "Here is the flyer and the map", media_ids=[flyer["media_id"], map_["media_id"]])

    assert answer.status_code == 202, answer.text
    [message] = answer.json()["messages"]
    assert message["media"] == [flyer, map_]
    delivered = await account.message_reaches(message["message_id"], "delivered")
    assert delivered["media"] == [flyer, map_]
    [at_carrier] = await messaging.carrier_log(cell.e164)
    assert (at_carrier["from"], at_carrier["body"]) == (our_number, "Here is the flyer and the map")
    links = at_carrier["media_urls"]
    assert [link.rsplit("/", 1)[0] for link in links] == [messaging.settings.gateway_public_url + "/media"] * 2
    assert [link.split("/")[-1].split(".")[0] for link in links] == [flyer["media_id"], map_["media_id"]]
    assert [(f["status_code"], f["content_type"], f["size"]) for f in at_carrier["media_fetches"]] == [
        (200, "image/png", len(PNG)), (200, "image/gif", len(GIF))]
    assert [status for token, status in messaging.gateway.media_fetches if token in "".join(links)] == [200, 200]

    thread = await account.get(f"/v1/conversations/{message['conversation_id']}/messages")
    [shown] = thread.json()["messages"]
    assert shown["media"] == [flyer, map_]
    for item, data in ((flyer, PNG), (map_, GIF)):
        assert (await account.get(item["url"].removeprefix("/api").replace("/media", "/v1/media", 1))).content == data

    events = messaging.events
    expected = [{name: item[name] for name in ("media_id", "content_type", "size")} for item in (flyer, map_)]
    [requested] = await events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, message_id=message["message_id"])
    [sent] = await events.wait_for(account.account_id, topics.MESSAGE_SENT, message_id=message["message_id"])
    assert requested["data"]["media"] == sent["data"]["media"] == expected


async def test_an_mms_may_have_no_words(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    contact = await account.create_contact(cell)
    image = await uploaded(account, PNG)

    answer = await account.send(contact.contact_id, "", media_ids=[image["media_id"]])

    assert answer.status_code == 202, answer.text
    [message] = answer.json()["messages"]
    await account.message_reaches(message["message_id"], "delivered")
    assert (await messaging.carrier_log(cell.e164))[0]["body"] == ""
    assert (await account.send(contact.contact_id, "")).status_code == 422  # without media, words are needed


async def test_a_bulk_send_with_an_image_sends_it_to_everyone(messaging, account):
    await account.provision_number()
    cells = [phone("cell"), phone("cell")]
    contacts = [await account.create_contact(cell) for cell in cells]
    image = await uploaded(account, GIF)

    answer = await account.harness.api.post("/v1/bulk-sends", json={
        "body": "Rally on Saturday", "contact_ids": [c.contact_id for c in contacts], "media_ids": [image["media_id"]],
    }, headers=account.headers)

    assert answer.status_code == 202, answer.text
    await _job_reaches(account, answer.json()["job_id"], "completed", delivered=2)
    for cell in cells:
        [at_carrier] = await messaging.carrier_log(cell.e164)
        assert [(f["status_code"], f["size"]) for f in at_carrier["media_fetches"]] == [(200, len(GIF))]


async def test_a_preview_prices_a_text_with_media_as_one_mms_per_recipient(messaging, account):
    image = await uploaded(account, PNG)
    long_body = "A long invitation to our rally, with every detail of where and when to come. " * 6  # 473 characters

    sms = (await messaging.api.post("/v1/messages/preview", json={"body": long_body, "recipients": 100}, headers=account.headers)).json()
    mms = (await messaging.api.post(
        "/v1/messages/preview", json={"body": long_body, "recipients": 100, "media_ids": [image["media_id"]]}, headers=account.headers,
    )).json()

    settings = messaging.settings
    assert (sms["mms"], sms["segments"], float(sms["estimated_cost"])) == (False, 4, pytest.approx(float(settings.price_per_segment) * 400))
    assert (mms["mms"], float(mms["estimated_cost"])) == (True, pytest.approx(float(settings.price_per_mms) * 100))
    assert mms["media"] == [image]


async def test_media_a_text_may_not_carry_is_a_422_and_nothing_is_written(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    mine = await uploaded(account, PNG)
    theirs = await uploaded(messaging.account(), PNG)
    big = [await uploaded(account, padded_png(MAX_MEDIA_BYTES_PER_MESSAGE // 2 + 1)) for _ in range(2)]
    unknown = uuid4().hex
    cases = [
        ([unknown], "media_ids", f"no media {unknown} in this account"),
        ([theirs["media_id"]], "media_ids", f"no media {theirs['media_id']} in this account"),
        ([item["media_id"] for item in big], "media_ids",
         f"the media come to {2 * (MAX_MEDIA_BYTES_PER_MESSAGE // 2 + 1)} bytes; a text's media may be at most {MAX_MEDIA_BYTES_PER_MESSAGE} bytes"),
    ]
    for media_ids, field, problem in cases:
        answer = await account.send(contact.contact_id, "Look", media_ids=media_ids)
        assert (answer.status_code, answer.json().get("errors")) == (422, [{"field": field, "problem": problem}]), answer.text
        bulk = await messaging.api.post("/v1/bulk-sends", json={"body": "Look", "contact_ids": [contact.contact_id], "media_ids": media_ids},
                                        headers=account.headers)
        assert (bulk.status_code, bulk.json().get("errors")) == (422, [{"field": field, "problem": problem}]), bulk.text
    eleven = await account.send(contact.contact_id, "Look", media_ids=[mine["media_id"]] * 11)
    assert eleven.status_code == 422 and eleven.json()["errors"][0]["field"] == "body.media_ids"

    assert await messaging.store._db["messages"].count_documents({"account_id": account.account_id}) == 0
    assert await messaging.store._db["bulk_jobs"].count_documents({"account_id": account.account_id}) == 0
