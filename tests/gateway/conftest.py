"""The gateway against real Kafka and the MongoDB-wire server, with a recording upstream
service on a real port standing in for the services behind it."""

import asyncio
import socket

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.caller import CORRELATION_HEADER
from shared.web import AnyCaller, install_common_handlers

INTERNAL_SECRET = "gateway-test-internal-secret-of-32-bytes-or-more"
TWILIO_TOKEN = "gateway-test-twilio-token"
PUBLIC_URL = "https://crm.example.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingUpstream:
    """Answers like a service would and remembers who called it with what."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        # Paths answered 204 with no body, as a service may answer a webhook.
        self.empty_answers: set[str] = set()
        self.app = FastAPI()
        self.app.state.settings = GatewaySettings(internal_auth_secret=INTERNAL_SECRET)
        install_common_handlers(self.app)

        @self.app.api_route("/{path:path}", methods=["GET", "POST", "PATCH", "DELETE"])
        async def anything(path: str, request: Request, caller: AnyCaller):
            body = await request.body()
            self.calls.append({
                "path": "/" + path, "method": request.method, "caller": caller, "body": body, "query": str(request.query_params),
                "correlation_id": request.headers.get(CORRELATION_HEADER),
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
