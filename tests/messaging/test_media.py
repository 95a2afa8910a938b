"""MMS media: an upload is stored only when its bytes are a JPEG, PNG or GIF of at most 5 MB, read
back only by its own account, and served to the carrier only through an unexpired signed link."""

from datetime import timedelta

import pytest

from services.messaging.adapters.store.common import now
from services.messaging.domain import media_links
from services.messaging.domain.media import MAX_MEDIA_BYTES_PER_MESSAGE
from tests.support.images import GIF, JPEG, PDF, PNG, padded_png


async def upload(account, data: bytes, content_type: str = "image/png"):
    return await account.harness.api.post("/v1/media", content=data, headers={**account.headers, "Content-Type": content_type})


async def stored_media(account) -> int:
    return await account.harness.store._db["media"].count_documents({"account_id": account.account_id})


@pytest.mark.parametrize(("data", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif")])
async def test_an_image_is_stored_with_the_type_its_bytes_say_whatever_was_declared(messaging, account, data, content_type):
    answer = await upload(account, data, content_type="application/octet-stream")

    assert answer.status_code == 201, answer.text
    medium = answer.json()
    assert medium == {"media_id": medium["media_id"], "content_type": content_type, "size": len(data),
                      "url": f"/api/media/{medium['media_id']}/content"}
    content = await account.get(f"/v1/media/{medium['media_id']}/content")
    assert content.status_code == 200
    assert content.content == data
    assert content.headers["content-type"] == content_type


@pytest.mark.parametrize(("data", "problem"), [
    (PDF, "only JPEG, PNG and GIF images can be sent; its bytes are application/pdf"),
    (b"just some text, declared as an image", "only JPEG, PNG and GIF images can be sent; its bytes are no known file type"),
    (b"", "the upload is empty"),
])
async def test_bytes_that_are_not_an_allowed_image_are_a_422_and_nothing_is_stored(messaging, account, data, problem):
    answer = await upload(account, data, content_type="image/png")

    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [{"field": "body", "problem": problem}]
    assert await stored_media(account) == 0


async def test_an_image_over_5_mb_is_a_413_and_nothing_is_stored(messaging, account):
    exactly = await upload(account, padded_png(MAX_MEDIA_BYTES_PER_MESSAGE))
    over = await upload(account, padded_png(MAX_MEDIA_BYTES_PER_MESSAGE + 1))

    assert exactly.status_code == 201, exactly.text
    assert over.status_code == 413, over.text
    assert await stored_media(account) == 1


async def test_another_accounts_image_is_not_found(messaging, account):
    theirs = (await upload(messaging.account(), PNG)).json()

    assert (await account.get(f"/v1/media/{theirs['media_id']}")).status_code == 404
    assert (await account.get(f"/v1/media/{theirs['media_id']}/content")).status_code == 404


async def test_a_signed_link_serves_the_image_without_credentials_until_it_expires(messaging, account):
    medium = (await upload(account, GIF)).json()
    secret = messaging.settings.media_link_secret
    fresh = media_links.signed_token(secret, medium["media_id"], now=now(), lifetime=timedelta(minutes=10))
    expired = media_links.signed_token(secret, medium["media_id"], now=now() - timedelta(minutes=11), lifetime=timedelta(minutes=10))
    forged = media_links.signed_token("not the secret", medium["media_id"], now=now(), lifetime=timedelta(minutes=10))
    stretched = fresh.replace(fresh.split(".")[1], str(int(fresh.split(".")[1]) + 3600))

    served = await messaging.system_get(f"/v1/media-links/{fresh}")
    assert served.status_code == 200
    assert served.content == GIF
    assert served.headers["content-type"] == "image/gif"
    for refused, status, why in ((expired, 410, "the media link has expired"), (forged, 404, "the media link's signature does not hold"),
                                 (stretched, 404, "the media link's signature does not hold"), ("0" * 32, 404, "not a media link")):
        answer = await messaging.system_get(f"/v1/media-links/{refused}")
        assert (answer.status_code, answer.json()["detail"]) == (status, why)


async def test_a_signed_link_is_for_the_carrier_through_the_gateway_not_for_a_user(messaging, account):
    medium = (await upload(account, PNG)).json()
    token = media_links.signed_token(messaging.settings.media_link_secret, medium["media_id"], now=now(), lifetime=timedelta(minutes=1))

    assert (await account.get(f"/v1/media-links/{token}")).status_code == 403
