"""Runs the sandbox carrier and a stand-in for the product (a webhook receiver) on real ports.

Both are uvicorn servers inside the test process, started once per session; every test
starts from an empty carrier and an empty receiver.
"""

import asyncio
import random
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import httpx
import phonenumbers
import pytest
from fastapi import FastAPI, Request, Response
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from services.sandbox_carrier.app import create_app
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN, Settings
from tests.support.servers import ignore_sdk_deprecations, serving

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def pytest_collection_modifyitems(items):
    ignore_sdk_deprecations(items, Path(__file__).parent)


@dataclass(frozen=True)
class ReceivedWebhook:
    method: str
    url: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]

    def is_signed_by(self, auth_token: str) -> bool:
        signature = self.headers.get("x-twilio-signature", "")
        signed_params = self.params if self.method == "POST" else {}
        return RequestValidator(auth_token).validate(self.url, signed_params, signature)


class WebhookReceiver:
    """Plays the product: records every webhook and answers as a test scripted (200 + empty TwiML otherwise)."""

    def __init__(self) -> None:
        self.base_url = ""
        self.received: list[ReceivedWebhook] = []
        self._answers: dict[str, deque[tuple[int, str | bytes, str]]] = {}
        self._arrival = asyncio.Event()

    def url(self, path: str) -> str:
        return self.base_url + path

    def answer(self, path: str, *, status: int = 200, body: str | bytes = EMPTY_TWIML, times: int = 1,
               media_type: str = "text/xml") -> None:
        self._answers.setdefault(path, deque()).extend([(status, body, media_type)] * times)

    def at(self, path: str) -> list[ReceivedWebhook]:
        return [hook for hook in self.received if hook.path == path]

    async def wait_for(self, path: str, count: int, timeout: float = 5.0) -> list[ReceivedWebhook]:
        async def enough() -> None:
            while len(self.at(path)) < count:
                self._arrival.clear()
                await self._arrival.wait()

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            arrived = self.at(path)
            raise AssertionError(f"{len(arrived)} of {count} webhooks reached {path}: {arrived}") from None
        return self.at(path)

    def clear(self) -> None:
        self.received.clear()
        self._answers.clear()

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/{path:path}", methods=["GET", "POST"])
        async def record(request: Request, path: str) -> Response:
            params = dict(await request.form()) if request.method == "POST" else dict(request.query_params)
            self.received.append(ReceivedWebhook(request.method, str(request.url), "/" + path,
                                                 dict(request.headers), params))
            self._arrival.set()
            status, body, media_type = self._next_answer("/" + path)
            return Response(body, status_code=status, media_type=media_type)

        return app

    def _next_answer(self, path: str) -> tuple[int, str | bytes, str]:
        scripted = self._answers.get(path)
        return scripted.popleft() if scripted else (200, EMPTY_TWIML, "text/xml")


@pytest.fixture(scope="session")
def carrier_settings() -> Settings:
    return Settings(_env_file=None, account_sid=SANDBOX_ACCOUNT_SID, auth_token=SANDBOX_AUTH_TOKEN,
                    number_seed=2010, status_delay_min_seconds=0.0, status_delay_max_seconds=0.02,
                    webhook_max_attempts=3, webhook_retry_backoff_seconds=0.02, fault_timeout_seconds=5.0,
                    honour_stop_keywords=True)


@pytest.fixture(scope="session")
async def receiver():
    product = WebhookReceiver()
    async with serving(product.app()) as url:
        product.base_url = url
        yield product


@pytest.fixture(scope="session")
async def carrier_url(carrier_settings):
    async with serving(create_app(carrier_settings)) as url:
        yield url


@pytest.fixture(scope="session")
async def control(carrier_url, carrier_settings):
    """Plain HTTP to the carrier, authenticated: for /sandbox/* and raw Twilio-path checks."""
    auth = (carrier_settings.account_sid, carrier_settings.auth_token)
    async with httpx.AsyncClient(base_url=carrier_url, auth=auth) as client:
        yield client


@pytest.fixture(scope="session")
async def twilio(carrier_url, carrier_settings):
    """The official SDK with its async HTTP client, pointed at the sandbox as the product does."""
    http_client = AsyncTwilioHttpClient()
    client = Client(carrier_settings.account_sid, carrier_settings.auth_token, http_client=http_client)
    client.api.base_url = carrier_url
    yield client
    await http_client.close()


@pytest.fixture(autouse=True)
async def clean_carrier(control, receiver):
    await control.post("/sandbox/reset")
    receiver.clear()
    yield
    await control.post("/sandbox/reset")
    receiver.clear()


@pytest.fixture
def new_us_number():
    """Builds a fresh, valid US number per call, so tests never share recipients."""
    rng = random.Random()

    def build(area_code: int = 737) -> str:
        while True:
            candidate = f"+1{area_code}{rng.randrange(200, 1000)}{rng.randrange(10_000):04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(candidate)) and candidate[5:8] != "555":
                return candidate

    return build


@pytest.fixture
def buy_number(twilio, receiver):
    """Buys a sandbox number whose webhooks point at the receiver."""

    async def buy(area_code: int = 512, **overrides):
        config = {"sms_url": receiver.url("/sms"), "voice_url": receiver.url("/voice"),
                  "status_callback": receiver.url("/number-status")} | overrides
        return await twilio.incoming_phone_numbers.create_async(area_code=area_code, **config)

    return buy
