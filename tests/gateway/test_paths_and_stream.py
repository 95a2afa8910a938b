"""What reaches a service is exactly the route asked for: encoded `?`, `#`, `/`, dot segments,
backslashes and control characters in a segment are refused, credentials in a URL are never
passed on, and the live stream opens with a single-use ticket, not a token in the query."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.gateway.adapters.stream_tickets import STREAM_TICKETS, _digest
from tests.support.accounts import sign_up_and_sign_in


async def _session(gateway) -> tuple[dict, dict]:
    tag = uuid.uuid4().hex[:10]
    body = {"account_name": f"Campaign {tag}", "name": "Sam", "email": f"sam-{tag}@example.org", "password": "correct horse battery staple"}
    session = await sign_up_and_sign_in(gateway, body)
    return session, {"Authorization": f"Bearer {session['access_token']}"}


@pytest.fixture
async def http(served_gateway):
    async with httpx.AsyncClient(base_url=served_gateway, timeout=30) as client:
        yield client


async def _raw(http: httpx.AsyncClient, method: str, raw_target: str, headers: dict) -> httpx.Response:
    """A request for `raw_target` byte for byte, as a probe would send it (no client-side normalising)."""
    request = http.build_request(method, "/", headers=headers)
    request.url = request.url.copy_with(raw_path=raw_target.encode("ascii"))
    return await http.send(request)


async def test_a_query_token_on_a_path_ending_in_stream_deletes_nothing(gateway, http, upstream):
    _, owner = await _session(gateway)
    token = owner["Authorization"].removeprefix("Bearer ")
    calls_before = len(upstream.calls)
    probe = await _raw(http, "DELETE", f"/api/contacts/{uuid.uuid4().hex}%3F/stream?access_token={token}", {})
    assert probe.status_code == 401
    with_bearer = await _raw(http, "DELETE", f"/api/contacts/{uuid.uuid4().hex}%3F/stream", owner)
    assert with_bearer.status_code == 400 and "'?'" in with_bearer.json()["detail"]
    assert len(upstream.calls) == calls_before


@pytest.mark.parametrize(("target", "problem"), [
    ("/api/contacts/..%2F..%2Fopenapi.json", "'/'"),
    ("/api/messages/..%2Fwebhooks%2Fstatus", "'/'"),
    ("/api/contacts/%16", "control character"),
    ("/api/contacts/abc%23fragment", "'#'"),
    ("/api/contacts/abc%5C..%5Cx", "backslash"),
    ("/api/contacts/%2e%2e/webhooks/status", "dot segment"),
    ("/api/contacts/abc/%2E", "dot segment"),
    ("/api/contacts/%FF", "not UTF-8"),
    ("/api/contacts/a%09b", "control character"),
    ("/api/contacts%2F..%2Fopenapi.json", "must start with /api/contacts/"),
])
async def test_a_segment_that_could_change_the_target_is_a_clear_400_and_reaches_nothing(gateway, http, upstream, target, problem):
    _, owner = await _session(gateway)
    calls_before = len(upstream.calls)
    answer = await _raw(http, "GET", target, owner)
    assert answer.status_code == 400 and problem in answer.json()["detail"], answer.text
    assert len(upstream.calls) == calls_before


@pytest.mark.parametrize("target", ["/api/contacts/a%0Ab", "/api/contacts/%0D%0A"])
async def test_a_line_break_is_a_4xx_and_reaches_no_service(gateway, http, upstream, target):
    """Refused by the segment check (400), or matching no route's pattern at all (404)."""
    _, owner = await _session(gateway)
    calls_before = len(upstream.calls)
    answer = await _raw(http, "GET", target, owner)
    assert answer.status_code in (400, 404)
    assert len(upstream.calls) == calls_before


async def test_plain_dot_segments_are_resolved_before_routing_so_they_stay_inside_the_gateway(gateway, http, upstream):
    _, owner = await _session(gateway)
    calls_before = len(upstream.calls)
    answer = await _raw(http, "GET", "/api/contacts/../../openapi.json", owner)
    assert answer.status_code == 200 and answer.json()["info"]["title"] == "Contacts CRM gateway"
    assert len(upstream.calls) == calls_before


async def test_ordinary_segments_reach_the_service_as_they_were_meant(gateway, http, upstream):
    _, owner = await _session(gateway)
    answer = await _raw(http, "GET", "/api/contacts/abc/phones/p%201?q=smith&limit=5", owner)
    assert answer.status_code == 200, answer.text
    assert upstream.calls[-1]["path"] == "/v1/contacts/abc/phones/p 1"
    assert upstream.calls[-1]["query"] == "q=smith&limit=5"
    assert (await _raw(http, "POST", "/api/imports/job-1/start", owner)).status_code == 200
    assert upstream.calls[-1]["path"] == "/v1/imports/job-1/start"
    assert (await _raw(http, "GET", "/api/tags", owner)).status_code == 200
    assert upstream.calls[-1]["path"] == "/v1/tags"


async def test_credentials_in_the_query_are_never_passed_on(gateway, upstream):
    _, owner = await _session(gateway)
    token = owner["Authorization"].removeprefix("Bearer ")
    answer = await gateway.get("/api/contacts", params={"q": "smith", "access_token": token, "ticket": "abc"}, headers=owner)
    assert answer.status_code == 200
    assert upstream.calls[-1]["query"] == "q=smith"


async def test_a_query_token_no_longer_opens_the_stream(gateway, http):
    _, owner = await _session(gateway)
    token = owner["Authorization"].removeprefix("Bearer ")
    refused = await http.get("/api/notifications/stream", params={"access_token": token})
    assert refused.status_code == 401


async def _first_line(http: httpx.AsyncClient, **request) -> tuple[int, str | None]:
    async with http.stream("GET", "/api/notifications/stream", **request) as stream:
        if stream.status_code != 200:
            await stream.aread()
            return stream.status_code, stream.text
        lines = stream.aiter_lines()
        return 200, await asyncio.wait_for(anext(lines), timeout=10)


async def test_a_stream_ticket_opens_the_stream_once(gateway, http):
    _, owner = await _session(gateway)
    minted = await http.post("/api/notifications/stream-tickets", headers=owner)
    assert minted.status_code == 201
    ticket = minted.json()["ticket"]
    assert minted.json()["expires_in"] == gateway.app.state.settings.stream_ticket_seconds
    assert await _first_line(http, params={"ticket": ticket}) == (200, ": connected")
    again, detail = await _first_line(http, params={"ticket": ticket})
    assert again == 401 and "used or expired" in detail
    assert (await _first_line(http, headers=owner))[0] == 200


async def test_a_ticket_is_minted_only_with_a_bearer_token_and_expires(gateway, http):
    _, owner = await _session(gateway)
    assert (await http.post("/api/notifications/stream-tickets")).status_code == 401
    ticket = (await http.post("/api/notifications/stream-tickets", headers=owner)).json()["ticket"]
    tickets = gateway.app.state.runtime.db[STREAM_TICKETS]
    await tickets.update_one({"_id": _digest(ticket)}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}})
    assert (await _first_line(http, params={"ticket": ticket}))[0] == 401
    assert (await _first_line(http, params={"ticket": "x" * 10_000}))[0] == 401
    assert await tickets.find_one({"_id": _digest(ticket)}) is not None  # stored as a hash, never as the ticket
    assert await tickets.find_one({"_id": ticket}) is None
