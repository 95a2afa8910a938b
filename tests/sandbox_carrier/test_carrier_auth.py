"""HTTP Basic with the sandbox account, and Twilio-shaped answers for everything that is refused."""

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client


def messages_path(account_sid: str) -> str:
    return f"/2010-04-01/Accounts/{account_sid}/Messages.json"


@pytest.mark.parametrize("auth", [None, ("AC" + "1" * 32, "whatever"), ("sid-ok", "wrong-token")])
async def test_wrong_or_missing_credentials_are_twilio_401(carrier_url, carrier_settings, auth):
    if auth and auth[0] == "sid-ok":
        auth = (carrier_settings.account_sid, auth[1])
    async with httpx.AsyncClient(base_url=carrier_url, auth=auth) as client:
        response = await client.get(messages_path(carrier_settings.account_sid))

    assert response.status_code == 401
    assert response.json() == {"code": 20003, "message": "Authenticate",
                               "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_the_sdk_with_a_wrong_token_gets_401(carrier_url, carrier_settings):
    http_client = AsyncTwilioHttpClient()
    client = Client(carrier_settings.account_sid, "not-the-token", http_client=http_client)
    client.api.base_url = carrier_url
    try:
        with pytest.raises(TwilioRestException) as failure:
            await client.messages("SM" + "0" * 32).fetch_async()
    finally:
        await http_client.close()

    assert (failure.value.status, failure.value.code) == (401, 20003)


async def test_another_accounts_path_is_404(control):
    response = await control.get(messages_path("AC" + "f" * 32))

    assert response.status_code == 404
    assert response.json()["code"] == 20404


async def test_an_unknown_twilio_path_is_a_twilio_404(control, carrier_settings):
    response = await control.get(f"/2010-04-01/Accounts/{carrier_settings.account_sid}/Queues.json")

    assert (response.status_code, response.json()["code"]) == (404, 20404)


async def test_a_page_size_over_1000_is_20007(control, carrier_settings):
    response = await control.get(messages_path(carrier_settings.account_sid), params={"PageSize": 1001})

    assert (response.status_code, response.json()["code"]) == (400, 20007)


async def test_control_endpoints_need_the_same_credentials(carrier_url):
    async with httpx.AsyncClient(base_url=carrier_url) as anonymous:
        response = await anonymous.get("/sandbox/messages")

    assert response.status_code == 401


async def test_health_needs_no_credentials(carrier_url):
    async with httpx.AsyncClient(base_url=carrier_url) as anonymous:
        response = await anonymous.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_reset_forgets_everything(control, twilio, buy_number, new_us_number):
    ours = (await buy_number()).phone_number
    await twilio.messages.create_async(to=new_us_number(), from_=ours, body="x")
    await control.post("/sandbox/faults", json={"http_status": 500})
    await control.post("/sandbox/faults", json={"http_status": 429, "rate": 0.1})
    await control.put("/sandbox/status-callback-replays", json={"copies": 6, "shuffle": True})

    await control.post("/sandbox/reset")

    assert (await control.get("/sandbox/messages")).json() == {"messages": []}
    assert (await control.get("/sandbox/incoming-phone-numbers")).json() == {"incoming_phone_numbers": []}
    assert (await control.get("/sandbox/faults")).json() == {"faults": [], "standing_faults": []}
    assert (await control.get("/sandbox/status-callback-replays")).json() == {"copies": 1, "shuffle": False}
