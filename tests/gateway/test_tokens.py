"""Browser tokens carry an expiry and a bounded lifetime; the gateway signs each service call
for the service it calls."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from services.gateway.settings import DEVELOPMENT_JWT_SECRET
from tests.support.accounts import sign_up_and_sign_in


async def _session(gateway) -> dict:
    tag = uuid.uuid4().hex[:10]
    body = {"account_name": f"Campaign {tag}", "name": "Sam", "email": f"sam-{tag}@example.org", "password": "correct horse battery staple"}
    return await sign_up_and_sign_in(gateway, body)


def _browser_token(session: dict, **claims) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": session["user"]["id"], "acc": session["user"]["account_id"], "role": "owner", "aud": "contacts-crm-web",
        "iat": now, "exp": now + timedelta(minutes=5), **claims,
    }
    return jwt.encode({name: value for name, value in payload.items() if value is not None}, DEVELOPMENT_JWT_SECRET, algorithm="HS256")


async def _me(gateway, token: str):
    return await gateway.get("/api/me", headers={"Authorization": f"Bearer {token}"})


async def test_the_issued_token_expires_within_the_configured_lifetime(gateway):
    session = await _session(gateway)
    claims = jwt.decode(session["access_token"], options={"verify_signature": False})
    assert 0 < claims["exp"] - claims["iat"] <= gateway.app.state.settings.access_token_minutes * 60
    assert (await _me(gateway, session["access_token"])).status_code == 200
    assert (await _me(gateway, _browser_token(session))).status_code == 200


async def test_a_token_without_expiry_or_issue_time_is_refused(gateway):
    session = await _session(gateway)
    for token in (_browser_token(session, exp=None), _browser_token(session, iat=None)):
        refused = await _me(gateway, token)
        assert refused.status_code == 401 and "invalid token" in refused.json()["detail"]


async def test_a_token_made_to_live_longer_than_the_maximum_is_refused(gateway):
    session = await _session(gateway)
    now = datetime.now(UTC)
    forever = _browser_token(session, exp=now + timedelta(days=3650))
    refused = await _me(gateway, forever)
    assert refused.status_code == 401 and "longer than" in refused.json()["detail"]


async def test_an_expired_token_is_refused(gateway):
    session = await _session(gateway)
    now = datetime.now(UTC)
    expired = _browser_token(session, iat=now - timedelta(hours=2), exp=now - timedelta(hours=1))
    assert (await _me(gateway, expired)).status_code == 401


@pytest.mark.parametrize(("path", "audience"), [
    ("/api/contacts", "contacts"), ("/api/imports", "contacts"), ("/api/messages", "messaging"),
    ("/api/bulk-sends", "messaging"), ("/api/numbers", "numbers"), ("/api/registrations", "numbers"),
    ("/api/notifications", "notifications"),
])
async def test_each_service_call_is_signed_for_the_service_called(gateway, upstream, path, audience):
    session = await _session(gateway)
    answer = await gateway.get(path, headers={"Authorization": f"Bearer {session['access_token']}"})
    assert answer.status_code == 200
    assert upstream.calls[-1]["audience"] == audience
