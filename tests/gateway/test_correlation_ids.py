"""Correlation ids from outside are taken only when short and plain; anything else gets a new one,
so a caller can neither bloat every log line nor forge one."""

import re
import uuid

from shared.caller import CORRELATION_HEADER
from tests.support.accounts import sign_up_and_sign_in

FRESH = re.compile(r"[0-9a-f]{32}")


async def _owner_headers(gateway) -> dict:
    tag = uuid.uuid4().hex[:10]
    body = {"account_name": f"Campaign {tag}", "name": "Sam", "email": f"sam-{tag}@example.org", "password": "correct horse battery staple"}
    session = await sign_up_and_sign_in(gateway, body)
    return {"Authorization": f"Bearer {session['access_token']}"}


async def test_a_plain_correlation_id_is_kept_and_passed_to_the_service(gateway, upstream):
    owner = await _owner_headers(gateway)
    answer = await gateway.get("/api/contacts", headers={**owner, CORRELATION_HEADER: "trace-2026.12_07-a1"})
    assert answer.headers[CORRELATION_HEADER] == "trace-2026.12_07-a1"
    assert upstream.calls[-1]["correlation_id"] == "trace-2026.12_07-a1"


async def test_a_60_kb_correlation_id_is_replaced_by_a_new_one(gateway, upstream):
    owner = await _owner_headers(gateway)
    answer = await gateway.get("/api/contacts", headers={**owner, CORRELATION_HEADER: "a" * 60_000})
    assert FRESH.fullmatch(answer.headers[CORRELATION_HEADER])
    assert upstream.calls[-1]["correlation_id"] == answer.headers[CORRELATION_HEADER]


async def test_a_correlation_id_forging_a_log_line_is_replaced_by_a_new_one(gateway, upstream):
    owner = await _owner_headers(gateway)
    for forged in ("x] gateway ERROR [admin", "x\r\n2026-12-07 gateway ERROR [-] auth: owner changed", "65-characters-" + "x" * 51):
        answer = await gateway.get("/api/contacts", headers={**owner, CORRELATION_HEADER: forged})
        assert FRESH.fullmatch(answer.headers[CORRELATION_HEADER]), forged
        assert upstream.calls[-1]["correlation_id"] == answer.headers[CORRELATION_HEADER]
