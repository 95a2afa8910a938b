"""The gateway against real Kafka and the MongoDB-wire server, with a recording upstream
service on a real port standing in for the services behind it."""

import asyncio
import socket
from datetime import timedelta
from typing import Annotated

import httpx
import jwt
import pytest
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Request, Response

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.caller import CALLER_HEADER, CORRELATION_HEADER, Caller, InvalidCallerToken, verify_caller_token
from shared.web import install_common_handlers

INTERNAL_SECRET = "gateway-test-internal-secret-of-32-bytes-or-more"
TWILIO_TOKEN = "gateway-test-twilio-token"
PUBLIC_URL = "https://crm.example.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _verified_caller(request: Request) -> tuple[Caller, str]:
    """The caller, verified for whichever service the token names: this one stand-in plays all of them."""
    token = request.headers.get(CALLER_HEADER, "")
    audience = jwt.decode(token, options={"verify_signature": False}).get("aud", "")
    try:
        return verify_caller_token(token, INTERNAL_SECRET, audience, max_lifetime=timedelta(minutes=5)), audience
    except InvalidCallerToken as error:
        raise HTTPException(status_code=401, detail=str(error)) from error


class RecordingUpstream:
    """Answers like a service would and remembers who called it with what."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        # Paths answered 204 with no body, as a service may answer a webhook.
        self.empty_answers: set[str] = set()
        self.app = FastAPI()
        install_common_handlers(self.app)

        @self.app.api_route("/{path:path}", methods=["GET", "POST", "PATCH", "DELETE"])
        async def anything(path: str, request: Request, verified: Annotated[tuple[Caller, str], Depends(_verified_caller)]):
            body = await request.body()
            caller, audience = verified
            self.calls.append({
                "path": "/" + path, "method": request.method, "caller": caller, "audience": audience, "body": body,
                "query": str(request.query_params), "correlation_id": request.headers.get(CORRELATION_HEADER),
            })
            if "/" + path in self.empty_answers:
                return Response(status_code=204)
            if path.endswith("webhooks/voice"):
                return {"twiml": "<Response><Dial>+15124742000</Dial></Response>"}
            return {"ok": True, "path": "/" + path}


@pytest.fixture(scope="module")
async def upstream():
    recorder = RecordingUpstream()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(recorder.app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    recorder.url = f"http://127.0.0.1:{port}"
    yield recorder
    server.should_exit = True
    await task


@pytest.fixture(scope="module")
async def gateway(infra, run_id, upstream):
    settings = GatewaySettings(
        database=f"gateway_{run_id}",
        internal_auth_secret=INTERNAL_SECRET,
        twilio_auth_token=TWILIO_TOKEN,
        public_url=PUBLIC_URL,
        contacts_url=upstream.url,
        messaging_url=upstream.url,
        numbers_url=upstream.url,
        notifications_url=upstream.url,
        kafka_topic_namespace=f"gateway-{run_id}.",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            client.app = app
            yield client


@pytest.fixture(scope="module")
async def served_gateway(gateway):
    """The same gateway on a real port (its lifespan already running), for what needs real HTTP:
    a live stream, and paths exactly as a client sends them."""
    port = _free_port()
    config = uvicorn.Config(gateway.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
