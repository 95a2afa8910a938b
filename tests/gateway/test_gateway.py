"""Accounts, sign-in, the trusted caller token, and webhook verification at the gateway."""

import asyncio
import json
import uuid

from aiokafka import AIOKafkaConsumer
from twilio.request_validator import RequestValidator

from services.gateway.adapters.repository import USERS
from tests.gateway.conftest import PUBLIC_URL, TWILIO_TOKEN
from tests.support.waiting import eventually
from tests.support.accounts import sign_up_and_sign_in


def _sign_up_body(**overrides) -> dict:
    tag = uuid.uuid4().hex[:10]
    return {
        "account_name": f"Campaign {tag}", "name": "Sam Owner", "email": f"sam-{tag}@example.org",
        "password": "a long enough password", "primary_cell": "512-474-2000", **overrides,
    }


async def _signed_up(gateway) -> tuple[dict, dict]:
    session = await sign_up_and_sign_in(gateway, _sign_up_body())
    return session, {"Authorization": f"Bearer {session['access_token']}"}


async def test_sign_up_stores_an_argon2_hash_and_emits_user_created_through_the_outbox(gateway):
    session, _ = await _signed_up(gateway)
    assert session["user"]["primary_cell"] == "+15124742000"
    assert session["user"]["role"] == "owner"
    db = gateway.app.state.runtime.db
    stored = await db[USERS].find_one({"_id": session["user"]["id"]})
    assert stored["password_hash"].startswith("$argon2id$")
    assert "a long enough password" not in str(stored)

    async def relayed():
        document = await db[USERS].find_one({"_id": session["user"]["id"]})
        return "outbox" not in document
    await eventually(relayed, what="user.created to leave the outbox")


async def test_login_with_the_right_password_only(gateway):
    body = _sign_up_body()
    assert (await gateway.post("/api/accounts", json=body)).status_code == 202
    good = await gateway.post("/api/auth/login", json={"email": body["email"].upper(), "password": body["password"]})
    assert good.status_code == 200
    me = await gateway.get("/api/me", headers={"Authorization": f"Bearer {good.json()['access_token']}"})
    assert me.json()["email"] == body["email"]
    bad = await gateway.post("/api/auth/login", json={"email": body["email"], "password": "wrong password!!"})
    assert bad.status_code == 401
    unknown = await gateway.post("/api/auth/login", json={"email": "nobody@example.org", "password": "whatever123"})
    assert unknown.status_code == 401


async def test_bad_sign_ups_get_precise_errors_and_write_nothing(gateway):
    db = gateway.app.state.runtime.db
    before = await db[USERS].count_documents({})
    short = await gateway.post("/api/accounts", json=_sign_up_body(password="short"))
    assert short.status_code == 422 and "password" in short.text
    bad_email = await gateway.post("/api/accounts", json=_sign_up_body(email="not-an-email"))
    assert bad_email.status_code == 422 and "email" in bad_email.text
    bad_cell = await gateway.post("/api/accounts", json=_sign_up_body(primary_cell="12"))
    assert bad_cell.status_code == 422 and "primary_cell" in bad_cell.text
    assert await db[USERS].count_documents({}) == before


async def test_owners_add_users_texters_cannot(gateway):
    _, owner = await _signed_up(gateway)
    texter_body = {"email": f"t-{uuid.uuid4().hex[:8]}@example.org", "name": "Tex", "password": "texter password", "role": "texter", "primary_cell": "(737) 555-0100"}
    added = await gateway.post("/api/users", json=texter_body, headers=owner)
    assert added.status_code == 201
    login = await gateway.post("/api/auth/login", json={"email": texter_body["email"], "password": texter_body["password"]})
    texter = {"Authorization": f"Bearer {login.json()['access_token']}"}
    refused = await gateway.post("/api/users", json={**texter_body, "email": "x-" + texter_body["email"]}, headers=texter)
    assert refused.status_code == 403
    promoted = await gateway.patch(f"/api/users/{added.json()['id']}", json={"role": "admin"}, headers=texter)
    assert promoted.status_code == 403
    team = await gateway.get("/api/users", headers=owner)
    assert {member["email"] for member in team.json()} >= {texter_body["email"]}


async def test_service_calls_carry_a_signed_caller_of_the_signed_in_account(gateway, upstream):
    session, owner = await _signed_up(gateway)
    response = await gateway.get("/api/contacts/abc", params={"q": "smith"}, headers=owner)
    assert response.status_code == 200
    call = upstream.calls[-1]
    assert call["path"] == "/v1/contacts/abc" and call["query"] == "q=smith"
    assert call["caller"].account_id == session["user"]["account_id"]
    assert call["caller"].user_id == session["user"]["id"]
    assert call["caller"].role == "owner"
    assert call["audience"] == "contacts"


async def test_an_upload_is_streamed_through_to_the_service_intact(gateway, upstream):
    _, owner = await _signed_up(gateway)
    rows = "".join(f"Person,{n},+1512555{n % 10_000:04d}\r\n" for n in range(60_000)).encode()

    async def chunks():
        for start in range(0, len(rows), 64 * 1024):
            yield rows[start:start + 64 * 1024]

    response = await gateway.post(
        "/api/imports", params={"filename": "people.csv"}, content=chunks(), headers={**owner, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200
    call = upstream.calls[-1]
    assert (call["path"], call["query"], call["method"]) == ("/v1/imports", "filename=people.csv", "POST")
    assert call["body"] == rows


async def test_service_calls_need_a_valid_token(gateway, upstream):
    calls_before = len(upstream.calls)
    assert (await gateway.get("/api/contacts")).status_code == 401
    forged = await gateway.get("/api/contacts", headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    assert len(upstream.calls) == calls_before


def _twilio_signature(path: str, params: dict) -> str:
    return RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, params)


async def test_genuine_webhooks_are_handed_to_the_owning_service_as_the_gateway(gateway, upstream):
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": "+15125550142", "To": "+15124740000", "Body": "Hello"}
    path = "/webhooks/twilio/messages/inbound"
    response = await gateway.post(path, data=params, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    call = upstream.calls[-1]
    assert call["path"] == "/v1/webhooks/inbound" and call["caller"].role == "system"
    assert params["MessageSid"] in call["body"].decode()

    voice_params = {"CallSid": "CA" + uuid.uuid4().hex, "From": "+15125550142", "To": "+15124740000"}
    voice = await gateway.post("/webhooks/twilio/voice", data=voice_params, headers={"X-Twilio-Signature": _twilio_signature("/webhooks/twilio/voice", voice_params)})
    assert voice.status_code == 200 and "<Dial>" in voice.text


async def test_a_genuine_status_callback_is_recorded_on_kafka_and_answered_at_once(gateway, upstream, infra, run_id):
    message_sid = "SM" + uuid.uuid4().hex
    params = {"MessageSid": message_sid, "MessageStatus": "delivered", "AccountSid": "AC" + "1" * 32, "To": "+15125550142"}
    path = "/webhooks/twilio/messages/status"
    calls_before = len(upstream.calls)
    consumer = AIOKafkaConsumer(
        f"gateway-{run_id}.carrier.status_reported", bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        group_id=f"gateway-test-{uuid.uuid4().hex}", auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        response = await gateway.post(path, data=params, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
        assert response.status_code == 204
        recorded = None
        while recorded is None:
            message = await asyncio.wait_for(consumer.getone(), timeout=30)
            if message.key == message_sid.encode():
                recorded = json.loads(message.value)
    finally:
        await consumer.stop()
    assert recorded["type"] == "carrier.status_reported" and recorded["subject"] == message_sid
    assert recorded["data"]["params"] == params
    assert len(upstream.calls) == calls_before  # the messaging service takes it from Kafka


async def test_a_signed_status_callback_without_its_sid_is_refused(gateway):
    params = {"MessageStatus": "delivered"}
    path = "/webhooks/twilio/messages/status"
    response = await gateway.post(path, data=params, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
    assert response.status_code == 400 and "MessageSid" in response.json()["detail"]


async def test_an_oversized_status_callback_is_refused_before_it_is_read_whole(gateway):
    path = "/webhooks/twilio/messages/status"
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "MessageStatus": "delivered", "Padding": "x" * 70_000}
    response = await gateway.post(path, data=params, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
    assert response.status_code == 413 and "at most" in response.json()["detail"]


async def test_forged_webhooks_get_403_and_reach_no_service(gateway, upstream):
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": "+15125550142", "To": "+15124740000", "Body": "Hello"}
    path = "/webhooks/twilio/messages/inbound"
    calls_before = len(upstream.calls)
    missing = await gateway.post(path, data=params)
    tampered = await gateway.post(path, data={**params, "Body": "changed"}, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
    other_url = await gateway.post("/webhooks/twilio/messages/status", data=params, headers={"X-Twilio-Signature": _twilio_signature(path, params)})
    assert [missing.status_code, tampered.status_code, other_url.status_code] == [403, 403, 403]
    assert len(upstream.calls) == calls_before


async def _status_reports_of(infra, run_id, message_sid: str, until_status: str) -> list[dict]:
    """Every carrier.status_reported event for `message_sid`, up to the first with `until_status`.
    One MessageSid is one key, hence one partition: anything published before it is read first."""
    consumer = AIOKafkaConsumer(
        f"gateway-{run_id}.carrier.status_reported", bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        group_id=f"gateway-test-{uuid.uuid4().hex}", auto_offset_reset="earliest",
    )
    await consumer.start()
    reports = []
    try:
        while not reports or reports[-1]["data"]["params"]["MessageStatus"] != until_status:
            message = await asyncio.wait_for(consumer.getone(), timeout=30)
            if message.key == message_sid.encode():
                reports.append(json.loads(message.value))
    finally:
        await consumer.stop()
    return reports


async def test_forged_status_callbacks_get_403_and_publish_nothing(gateway, infra, run_id):
    path = "/webhooks/twilio/messages/status"
    message_sid = "SM" + uuid.uuid4().hex
    forged = {"MessageSid": message_sid, "MessageStatus": "failed", "AccountSid": "AC" + "1" * 32}
    missing = await gateway.post(path, data=forged)
    tampered = await gateway.post(path, data={**forged, "MessageStatus": "undelivered"}, headers={"X-Twilio-Signature": _twilio_signature(path, forged)})
    wrong_token = RequestValidator("not-our-auth-token").compute_signature(PUBLIC_URL + path, forged)
    other_token = await gateway.post(path, data=forged, headers={"X-Twilio-Signature": wrong_token})
    assert [missing.status_code, tampered.status_code, other_token.status_code] == [403, 403, 403]
    assert missing.json() == {"detail": "invalid Twilio signature"}
    assert (await gateway.get(path)).status_code == 405

    genuine = {**forged, "MessageStatus": "delivered"}
    answer = await gateway.post(path, data=genuine, headers={"X-Twilio-Signature": _twilio_signature(path, genuine)})
    assert answer.status_code == 204
    reports = await _status_reports_of(infra, run_id, message_sid, until_status="delivered")
    assert [report["data"]["params"] for report in reports] == [genuine]


async def test_a_status_callback_carries_the_request_correlation_id_into_its_answer_and_event(gateway, infra, run_id):
    from shared.caller import CORRELATION_HEADER

    path = "/webhooks/twilio/messages/status"
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "MessageStatus": "sent", "AccountSid": "AC" + "1" * 32}
    headers = {"X-Twilio-Signature": _twilio_signature(path, params), CORRELATION_HEADER: "trace-status-1"}
    answer = await gateway.post(path, data=params, headers=headers)
    assert answer.status_code == 204 and answer.content == b""
    assert answer.headers[CORRELATION_HEADER] == "trace-status-1"
    reports = await _status_reports_of(infra, run_id, params["MessageSid"], until_status="sent")
    assert [report["correlation_id"] for report in reports] == ["trace-status-1"]


async def test_every_answer_carries_the_request_correlation_id_or_a_new_one(gateway):
    from shared.caller import CORRELATION_HEADER

    given = await gateway.get("/healthz", headers={CORRELATION_HEADER: "trace-1234"})
    fresh = await gateway.get("/healthz")
    assert given.headers[CORRELATION_HEADER] == "trace-1234"
    assert len(fresh.headers[CORRELATION_HEADER]) == 32
