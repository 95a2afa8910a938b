"""MMS at the carrier: a message's MediaUrl is fetched as Twilio fetches it (a plain GET), what was
fetched is in the log and in the message's Media, a URL that does not answer fails the message with
11200, and an inbound MMS reaches the number's webhook with NumMedia, MediaUrlN and
MediaContentTypeN, its media served to the account's credentials only."""

import base64
import socket

import httpx
import pytest

from tests.support.images import GIF, JPEG, PNG


async def send_mms(twilio, receiver, sender: str, recipient: str, media_urls: list[str], body: str = "See the flyer"):
    return await twilio.messages.create_async(to=recipient, from_=sender, body=body, media_url=media_urls,
                                              status_callback=receiver.url("/status"))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/gone.png"


async def test_the_carrier_fetches_each_media_url_and_delivers_the_mms(twilio, receiver, control, buy_number, new_us_number):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    receiver.answer("/flyer.png", body=PNG, media_type="image/png")
    receiver.answer("/photo.jpg", body=JPEG, media_type="image/jpeg")

    message = await send_mms(twilio, receiver, ours, theirs, [receiver.url("/flyer.png"), receiver.url("/photo.jpg")])
    sent, delivered = await receiver.wait_for("/status", 2)

    assert message.num_media == "2" and message.num_segments == "1"
    assert [sent.params["MessageStatus"], delivered.params["MessageStatus"]] == ["sent", "delivered"]
    fetches = [hook for hook in receiver.received if hook.path in ("/flyer.png", "/photo.jpg")]
    assert [(hook.method, hook.path, "authorization" in hook.headers) for hook in fetches] == [
        ("GET", "/flyer.png", False), ("GET", "/photo.jpg", False)]
    [logged] = (await control.get("/sandbox/messages", params={"to": theirs})).json()["messages"]
    assert logged["media_urls"] == [receiver.url("/flyer.png"), receiver.url("/photo.jpg")]
    assert [(f["url"], f["status_code"], f["content_type"], f["size"], f["error"]) for f in logged["media_fetches"]] == [
        (receiver.url("/flyer.png"), 200, "image/png", len(PNG), None), (receiver.url("/photo.jpg"), 200, "image/jpeg", len(JPEG), None)]
    media = await twilio.messages(message.sid).media.list_async()
    assert [item.content_type for item in media] == ["image/png", "image/jpeg"]
    content = await control.get(media[0].uri.removesuffix(".json"))
    assert (content.status_code, content.content) == (200, PNG)


@pytest.mark.parametrize("failing", ["missing", "closed port"])
async def test_a_media_url_that_does_not_answer_fails_the_message_with_11200(twilio, receiver, control, buy_number, new_us_number, failing):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    receiver.answer("/missing.png", status=404, body="no such file", media_type="text/plain")
    url = receiver.url("/missing.png") if failing == "missing" else closed_port_url()

    message = await send_mms(twilio, receiver, ours, theirs, [url])
    [failed] = await receiver.wait_for("/status", 1)

    assert (failed.params["MessageStatus"], failed.params["ErrorCode"]) == ("failed", "11200")
    fetched = await twilio.messages(message.sid).fetch_async()
    assert (fetched.status, fetched.error_code, fetched.error_message) == ("failed", 11200, "HTTP retrieval failure")
    [logged] = (await control.get("/sandbox/messages", params={"to": theirs})).json()["messages"]
    [fetch] = logged["media_fetches"]
    if failing == "missing":
        assert (fetch["status_code"], fetch["size"]) == (404, len("no such file"))
    else:
        assert fetch["status_code"] is None and fetch["error"]


@pytest.mark.parametrize(("media_urls", "body", "code"), [
    (["https://example.com/a.png"] * 11, "eleven", 21623),
    (["ftp://example.com/a.png"], "not http", 21620),
    ([], "", 21602),
])
async def test_bad_media_urls_are_refused_at_create_as_twilio_refuses_them(control, buy_number, new_us_number, carrier_settings,
                                                                            media_urls, body, code):
    ours = (await buy_number()).phone_number
    answer = await control.post(f"/2010-04-01/Accounts/{carrier_settings.account_sid}/Messages.json",
                                data={"To": new_us_number(), "From": ours, "Body": body, "MediaUrl": media_urls})

    assert (answer.status_code, answer.json()["code"]) == (400, code)
    assert (await control.get("/sandbox/messages")).json()["messages"] == []


async def test_an_inbound_mms_names_its_media_and_serves_them_to_the_account_only(receiver, control, buy_number, new_us_number,
                                                                                   carrier_url):
    ours, theirs = (await buy_number()).phone_number, new_us_number()
    media = [{"content_type": "image/gif", "content_base64": base64.b64encode(GIF).decode()},
             {"content_type": "image/png", "content_base64": base64.b64encode(PNG).decode()}]

    answer = await control.post("/sandbox/inbound-messages", json={"from": theirs, "to": ours, "body": "", "media": media})

    assert answer.status_code == 200, answer.text
    [hook] = await receiver.wait_for("/sms", 1)
    assert (hook.params["NumMedia"], hook.params["MediaContentType0"], hook.params["MediaContentType1"]) == ("2", "image/gif", "image/png")
    message_sid = answer.json()["message_sid"]
    for index, data in enumerate((GIF, PNG)):
        url = hook.params[f"MediaUrl{index}"]
        assert url.startswith(f"{carrier_url}/2010-04-01/Accounts/") and f"/Messages/{message_sid}/Media/ME" in url
        fetched = await control.get(url)
        assert (fetched.status_code, fetched.content, fetched.headers["content-type"]) == (200, data, media[index]["content_type"])
        async with httpx.AsyncClient() as anonymous:
            assert (await anonymous.get(url)).status_code == 401


async def test_an_inbound_text_without_media_says_num_media_0(receiver, control, buy_number, new_us_number):
    ours = (await buy_number()).phone_number
    await control.post("/sandbox/inbound-messages", json={"from": new_us_number(), "to": ours, "body": "hi"})

    [hook] = await receiver.wait_for("/sms", 1)
    assert hook.params["NumMedia"] == "0" and not any(name.startswith("MediaUrl") for name in hook.params)
