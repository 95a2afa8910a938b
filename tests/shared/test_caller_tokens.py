"""Caller tokens: each service accepts only a token signed with the internal secret, meant for
itself, unexpired, and made to live no longer than its limit."""

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI

from services.contacts.settings import ContactsSettings
from services.messaging.settings import MessagingSettings
from services.notifications.settings import NotificationsSettings
from services.numbers.settings import NumbersSettings
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from shared.web import AnyCaller, install_common_handlers

SECRET = "caller-token-tests-internal-secret-of-enough-length"
OWNER = Caller(account_id="acc-1", user_id="user-1", role="owner")
SERVICES = [ContactsSettings, MessagingSettings, NumbersSettings, NotificationsSettings]


def _service(settings_class) -> httpx.AsyncClient:
    app = FastAPI()
    app.state.settings = settings_class(_env_file=None, internal_auth_secret=SECRET)
    install_common_handlers(app)

    @app.get("/v1/whoami")
    async def whoami(caller: AnyCaller) -> dict:
        return caller.model_dump()

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service.test")


async def _answer(settings_class, token: str) -> httpx.Response:
    async with _service(settings_class) as service:
        return await service.get("/v1/whoami", headers={CALLER_HEADER: token})


def _hand_made(**claims) -> str:
    now = datetime.now(UTC)
    base = {"iss": "gateway", "iat": now, "exp": now + timedelta(seconds=60), "acc": "acc-1", "sub": "user-1", "role": "owner"}
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


def test_every_service_names_its_own_audience():
    assert [settings.caller_audience for settings in SERVICES] == ["contacts", "messaging", "numbers", "notifications"]


@pytest.mark.parametrize("settings_class", SERVICES)
async def test_a_service_accepts_a_token_for_itself_and_refuses_one_for_any_other(settings_class):
    mine = await _answer(settings_class, sign_caller_token(OWNER, SECRET, audience=settings_class.caller_audience))
    assert mine.status_code == 200 and mine.json()["account_id"] == "acc-1"
    for other in SERVICES:
        if other is not settings_class:
            refused = await _answer(settings_class, sign_caller_token(OWNER, SECRET, audience=other.caller_audience))
            assert refused.status_code == 401 and "audience" in refused.json()["detail"].lower(), other


async def test_a_token_without_audience_expiry_or_issue_time_is_refused():
    for token in (
        _hand_made(), _hand_made(aud="contacts", exp=None), _hand_made(aud="contacts", iat=None),
        jwt.encode({"iss": "gateway", "aud": "contacts", "acc": "acc-1", "role": "owner"}, SECRET, algorithm="HS256"),
    ):
        answer = await _answer(ContactsSettings, token)
        assert answer.status_code == 401, answer.text


async def test_a_token_made_to_live_longer_than_the_limit_is_refused_even_while_fresh():
    long_lived = sign_caller_token(OWNER, SECRET, audience="contacts", ttl=timedelta(hours=6))
    answer = await _answer(ContactsSettings, long_lived)
    assert answer.status_code == 401 and "longer than 300 s" in answer.json()["detail"]
    within = sign_caller_token(OWNER, SECRET, audience="contacts", ttl=timedelta(minutes=5))
    assert (await _answer(ContactsSettings, within)).status_code == 200


async def test_an_expired_a_future_or_a_foreign_token_is_refused():
    now = datetime.now(UTC)
    expired = _hand_made(aud="contacts", iat=now - timedelta(minutes=2), exp=now - timedelta(minutes=1))
    future = _hand_made(aud="contacts", iat=now + timedelta(minutes=10), exp=now + timedelta(minutes=11))
    foreign = sign_caller_token(OWNER, "some other secret, also long enough for HS256", audience="contacts")
    for token in (expired, future, foreign, "not.a.token"):
        assert (await _answer(ContactsSettings, token)).status_code == 401
