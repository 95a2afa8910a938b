"""Builds the sandbox carrier's FastAPI app; everything with a life (HTTP client, memory) starts in the lifespan."""

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI

from shared.health import install_probes

from .config import Settings
from .control.call_endings import router as call_endings_router
from .control.routes import router as control_router
from .messaging_api import install_messaging_api
from .phone_numbers.geography import AreaCodeAtlas
from .phone_numbers.inventory import NumberInventory
from .runtime import Carrier
from .simulation.background import BackgroundWork
from .state import CarrierState
from .twilio_api.errors import install_error_handlers
from .twilio_api.router import twilio_router
from .webhooks.sender import WebhookSender

WEBHOOK_CONNECTIONS = 256


def build_carrier(settings: Settings, http_client: aiohttp.ClientSession) -> Carrier:
    webhooks = WebhookSender(http_client, auth_token=settings.auth_token,
                             max_attempts=settings.webhook_max_attempts,
                             backoff_seconds=settings.webhook_retry_backoff_seconds)
    return Carrier(
        settings=settings, state=CarrierState(),
        inventory=NumberInventory(AreaCodeAtlas(), seed=settings.number_seed),
        webhooks=webhooks, background=BackgroundWork(), delays=random.Random(settings.number_seed), http=http_client,
    )


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # aiohttp rather than httpx: at hundreds of callbacks a second, httpx's connection pool
        # (which checks every pooled connection on each request) used most of the carrier's CPU.
        timeout = aiohttp.ClientTimeout(total=settings.webhook_timeout_seconds)
        connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http_client:
            carrier = build_carrier(settings, http_client)
            # The one-off scan of area codes takes about a second: pay it before serving, not in a request.
            await asyncio.to_thread(carrier.inventory.atlas.states_by_area_code)
            app.state.carrier = carrier
            try:
                yield
            finally:
                await carrier.background.cancel_all()

    app = FastAPI(title="Sandbox carrier", description=__doc__, lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(twilio_router())
    app.include_router(control_router)
    app.include_router(call_endings_router)
    install_messaging_api(app)
    install_probes(app, service="sandbox_carrier", needs_runtime=False)

    return app
