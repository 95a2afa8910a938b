"""Input that once made the gateway answer 500: each is now a clear answer."""

import uuid

from twilio.request_validator import RequestValidator

from tests.gateway.conftest import PUBLIC_URL, TWILIO_TOKEN
from tests.support.accounts import sign_up_and_sign_in


async def _owner(gateway) -> tuple[dict, dict]:
    tag = uuid.uuid4().hex[:10]
    session = await sign_up_and_sign_in(gateway, {
        "account_name": f"Campaign {tag}", "name": "Sam Owner", "email": f"sam-{tag}@example.org",
        "password": "a long enough password", "primary_cell": "512-474-2000",
    })
    return session, {"Authorization": f"Bearer {session['access_token']}"}


async def test_a_null_role_active_or_name_is_a_422_and_changes_nothing(gateway):
    session, headers = await _owner(gateway)
    path = f"/api/users/{session['user']['id']}"
    for body in ({"role": None}, {"active": None}, {"name": None}, {"name": "Sam", "role": None}):
        response = await gateway.patch(path, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        [field] = {problem["field"] for problem in response.json()["errors"]}
        assert field == f"body.{next(name for name, value in body.items() if value is None)}"
    me = (await gateway.get("/api/me", headers=headers)).json()
    assert {name: value for name, value in me.items() if name != "permissions"} == session["user"]


async def test_a_null_primary_cell_still_clears_it(gateway):
    session, headers = await _owner(gateway)
    response = await gateway.patch(f"/api/users/{session['user']['id']}", json={"primary_cell": None}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["primary_cell"] is None


async def test_a_voice_status_callback_the_service_answers_with_no_body_succeeds(gateway, upstream):
    """The numbers service once answered 204 and the gateway failed reading its JSON, so every
    real callback failed until Twilio gave up."""
    upstream.empty_answers.add("/v1/webhooks/voice-status")
    path = "/webhooks/twilio/voice/status"
    params = {"CallSid": "CA" + uuid.uuid4().hex, "CallStatus": "completed", "CallDuration": "42"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, params)
    response = await gateway.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 204, response.text
    call = upstream.calls[-1]
    assert call["path"] == "/v1/webhooks/voice-status" and params["CallSid"] in call["body"].decode()
