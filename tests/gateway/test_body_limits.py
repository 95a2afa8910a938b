"""Request bodies are bounded per route at the gateway, webhooks are verified on their raw bytes
before anything reads them as text, and the gateway's own string fields have clear bounds."""

import asyncio
import base64
import hashlib
import hmac
import json
import uuid

import httpx
import pytest

from services.gateway.bootstrap import create_app
from tests.gateway.conftest import PUBLIC_URL, TWILIO_TOKEN
from tests.support.accounts import sign_up_and_sign_in

KIB, MIB = 1024, 1024 * 1024
WEBHOOKS = ["/webhooks/twilio/messages/inbound", "/webhooks/twilio/voice", "/webhooks/twilio/voice/status", "/webhooks/twilio/messages/status"]


class CountedChunks:
    """A body sent in chunks that counts how many the server pulled."""

    def __init__(self, head: bytes, chunk: bytes, chunks: int) -> None:
        self.head, self.chunk, self.chunks, self.pulled = head, chunk, chunks, 0

    async def __aiter__(self):
        self.pulled += 1
        yield self.head
        for _ in range(self.chunks):
            self.pulled += 1
            yield self.chunk


def _sign_up_body(**overrides) -> dict:
    tag = uuid.uuid4().hex[:10]
    return {"account_name": f"Campaign {tag}", "name": "Sam", "email": f"sam-{tag}@example.org",
            "password": "correct horse battery staple", **overrides}


async def _owner(gateway) -> dict:
    session = await sign_up_and_sign_in(gateway, _sign_up_body())
    return {"Authorization": f"Bearer {session['access_token']}"}


def _signed(path: str, form: bytes) -> str:
    """Twilio's signature of a form, computed on its bytes (the percent-decoded names and values)."""
    from services.gateway.entrypoints.webhooks import _form_fields

    fields = _form_fields(form)
    payload = (PUBLIC_URL + path).encode() + b"".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(TWILIO_TOKEN.encode(), payload, hashlib.sha1).digest()).decode()


async def test_a_20_mb_login_email_is_a_413_before_it_is_read(served_gateway):
    """Over a real socket: the headers announce 20 MB, the answer comes before any of it is sent."""
    host, port = served_gateway.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(
            f"POST /api/auth/login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {20 * MIB + 64}\r\n\r\n".encode() + b'{"email": "aaaa'
        )
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        detail = json.loads(await reader.readexactly(length))["detail"]
    finally:
        writer.close()
    assert head.startswith(b"HTTP/1.1 413") and "at most 65536 bytes" in detail


async def test_a_20_mb_login_body_without_a_length_is_cut_off_after_the_limit(gateway):
    body = CountedChunks(b'{"email": "', b"a" * (64 * KIB), chunks=320)
    answer = await gateway.post("/api/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert body.pulled <= 3, f"the gateway read {body.pulled} chunks of 64 KiB"


async def test_json_over_64_kib_is_a_413_and_under_it_a_precise_422(gateway, upstream):
    owner = await _owner(gateway)
    calls_before = len(upstream.calls)
    too_big = await gateway.post("/api/contacts", json={"first_name": "x" * (65 * KIB)}, headers=owner)
    assert too_big.status_code == 413
    assert len(upstream.calls) == calls_before
    long_name = await gateway.post("/api/users", json={"email": "x@example.org", "name": "x" * (60 * KIB), "password": "p" * 20}, headers=owner)
    assert long_name.status_code == 422 and long_name.json()["errors"][0]["field"] == "body.name"


async def test_a_bad_content_length_is_a_400(gateway):
    answer = await gateway.post("/api/auth/login", content=b"{}", headers={"Content-Length": "lots", "Content-Type": "application/json"})
    assert answer.status_code == 400


@pytest.fixture(scope="module")
async def small_upload_gateway(gateway):
    """The same gateway with a 256 KiB upload limit, so that going over it is quick to show."""
    settings = gateway.app.state.settings.model_copy(update={"import_upload_max_bytes": 256 * KIB})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
            yield client


async def test_an_upload_declared_over_the_limit_is_a_413_before_a_byte_is_read(small_upload_gateway, upstream):
    owner = await _owner(small_upload_gateway)
    calls_before = len(upstream.calls)
    body = CountedChunks(b"First,Last\r\n", b"Ada,Lovelace\r\n" * 4096, chunks=10)
    headers = {**owner, "Content-Type": "text/csv", "Content-Length": str(len(body.head) + 10 * len(body.chunk))}
    answer = await small_upload_gateway.post("/api/imports", params={"filename": "people.csv"}, content=body, headers=headers)
    assert answer.status_code == 413 and str(256 * KIB) in answer.json()["detail"]
    assert body.pulled == 0 and len(upstream.calls) == calls_before


async def test_a_streamed_upload_is_counted_and_cut_off_once_over_the_limit(small_upload_gateway, upstream):
    owner = await _owner(small_upload_gateway)
    body = CountedChunks(b"First,Last\r\n", b"Ada,Lovelace\r\n" * 4096, chunks=100)  # 56 KiB chunks, 5.6 MB
    answer = await small_upload_gateway.post(
        "/api/imports", params={"filename": "people.csv"}, content=body, headers={**owner, "Content-Type": "text/csv"}
    )
    assert answer.status_code == 413
    assert body.pulled <= 6, f"the gateway read {body.pulled} chunks"
    within = await small_upload_gateway.post(
        "/api/imports", params={"filename": "people.csv"}, content=b"First,Last\r\n" + b"Ada,Lovelace\r\n" * 1000,
        headers={**owner, "Content-Type": "text/csv"},
    )
    assert within.status_code == 200 and upstream.calls[-1]["path"] == "/v1/imports"


@pytest.mark.parametrize("path", WEBHOOKS)
async def test_a_webhook_that_is_not_utf_8_is_a_403_unsigned_and_a_400_signed(gateway, upstream, path):
    form = b"MessageSid=SM1&MessageStatus=delivered&CallSid=CA1&Body=caf\xe9%FF"
    calls_before = len(upstream.calls)
    unsigned = await gateway.post(path, content=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert unsigned.status_code == 403 and unsigned.json()["detail"] == "invalid Twilio signature"
    forged = await gateway.post(path, content=form, headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "bm90IGl0"})
    assert forged.status_code == 403
    signed = await gateway.post(path, content=form, headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": _signed(path, form)})
    assert signed.status_code == 400 and "UTF-8" in signed.json()["detail"]
    assert len(upstream.calls) == calls_before


@pytest.mark.parametrize(("field", "value"), [
    ("account_name", "a" * 201), ("name", "n" * 201), ("email", "e" * 250 + "@example.org"),
    ("password", "p" * 201), ("primary_cell", "5" * 41), ("name", "   "),
])
async def test_sign_up_fields_are_bounded_with_a_422_naming_the_field(gateway, field, value):
    answer = await gateway.post("/api/accounts", json=_sign_up_body(**{field: value}))
    assert answer.status_code == 422, answer.text
    assert [problem["field"] for problem in answer.json()["errors"]] == [f"body.{field}"]


async def test_login_fields_are_bounded_with_a_422(gateway):
    long_email = await gateway.post("/api/auth/login", json={"email": "e" * 255, "password": "whatever"})
    long_password = await gateway.post("/api/auth/login", json={"email": "e@example.org", "password": "p" * 201})
    assert [long_email.status_code, long_password.status_code] == [422, 422]
    assert long_email.json()["errors"][0]["field"] == "body.email"


async def test_an_image_upload_over_5_mb_is_a_413_before_a_byte_is_read_and_one_within_it_goes_through(gateway, upstream):
    owner = await _owner(gateway)
    calls_before = len(upstream.calls)
    body = CountedChunks(b"\x89PNG\r\n\x1a\n", b"\0" * MIB, chunks=5)
    headers = {**owner, "Content-Type": "image/png", "Content-Length": str(len(body.head) + 5 * MIB)}
    answer = await gateway.post("/api/media", content=body, headers=headers)
    assert answer.status_code == 413 and str(5 * MIB) in answer.json()["detail"]
    assert body.pulled == 0 and len(upstream.calls) == calls_before

    streamed = CountedChunks(b"\x89PNG\r\n\x1a\n", b"\0" * (256 * KIB), chunks=40)  # 10 MB without a length
    assert (await gateway.post("/api/media", content=streamed, headers={**owner, "Content-Type": "image/png"})).status_code == 413
    assert streamed.pulled <= 22, f"the gateway read {streamed.pulled} chunks"

    within = await gateway.post("/api/media", content=b"\x89PNG\r\n\x1a\n" + b"\0" * MIB, headers={**owner, "Content-Type": "image/png"})
    assert within.status_code == 200 and upstream.calls[-1]["path"] == "/v1/media"


async def test_a_media_link_is_fetched_without_sign_in_as_the_gateway_and_odd_ones_never_reach_messaging(gateway, upstream):
    token = "0123456789abcdef0123456789abcdef.1900000000." + "A" * 43
    answer = await gateway.get(f"/media/{token}")
    assert answer.status_code == 200
    call = upstream.calls[-1]
    assert (call["path"], call["audience"], call["caller"].role) == (f"/v1/media-links/{token}", "messaging", "system")

    calls_before = len(upstream.calls)
    for odd in ("x" * 200, "tok en", "tok%00en"):
        assert (await gateway.get(f"/media/{odd}")).status_code == 404
    await gateway.get("/media/a%2F..%2Fb")  # not a link at all: the web client's page, if anything
    assert len(upstream.calls) == calls_before
