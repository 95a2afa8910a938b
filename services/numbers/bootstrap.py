"""The one wiring point: runtime (Mongo, Kafka, outbox relay), ports, subscribers, HTTP app."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI

from services.numbers.adapters.mongo import INDEXES, LINES, MongoLines, MongoUsersView
from services.numbers.adapters.twilio_carrier import NumberWebhooks, TwilioCarrier
from services.numbers.domain.lines import RetryPolicy
from services.numbers.entrypoints.consumers import register_consumers
from services.numbers.entrypoints.http import router
from services.numbers.entrypoints.retry_loop import run_retry_loop
from services.numbers.service_layer.ports import Carrier, NumbersPorts
from services.numbers.service_layer.provisioning import ProvisioningPolicy
from services.numbers.settings import NumbersSettings
from shared.events import NumberProvisioned, NumberReleased, RegistrationUpdated
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

SERVICE = "numbers"
PUBLISHED_EVENTS = [NumberProvisioned, NumberReleased, RegistrationUpdated]


@dataclass
class NumbersService:
    settings: NumbersSettings
    runtime: Runtime
    ports: NumbersPorts
    policy: ProvisioningPolicy


def build_service(settings: NumbersSettings, *, carrier: Carrier | None = None) -> NumbersService:
    """Everything wired but nothing started; without `carrier`, Twilio is connected at start."""
    runtime = build_runtime(
        settings,
        service=SERVICE,
        database=settings.database,
        published_events=PUBLISHED_EVENTS,
        outbox_collections=[LINES],
        indexes=INDEXES,
    )
    ports = NumbersPorts(
        users=MongoUsersView(runtime.db),
        lines=MongoLines(runtime.db),
        carrier=carrier,
        notify_written=runtime.relay.kick,
    )
    policy = policy_from(settings)
    register_consumers(runtime.broker, group_id=settings.consumer_group, ports=ports, policy=policy)
    return NumbersService(settings, runtime, ports, policy)


def policy_from(settings: NumbersSettings) -> ProvisioningPolicy:
    return ProvisioningPolicy(
        retry=RetryPolicy(
            max_attempts=settings.retry_max_attempts,
            base_delay=timedelta(seconds=settings.retry_base_delay_seconds),
            max_delay=timedelta(seconds=settings.retry_max_delay_seconds),
        ),
        lease=timedelta(seconds=settings.lease_seconds),
        stale_after=timedelta(seconds=settings.stale_purchase_seconds),
    )


def create_app(settings: NumbersSettings | None = None, *, carrier: Carrier | None = None) -> FastAPI:
    """The service as `python -m services.numbers` runs it: the app's lifespan starts and stops everything."""
    service = build_service(settings or NumbersSettings(), carrier=carrier)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(service):
            yield

    return http_app(service, lifespan=lifespan)


def http_app(service: NumbersService, *, lifespan=None) -> FastAPI:
    """The HTTP surface over a built service (tests start the service themselves and pass no lifespan)."""
    app = FastAPI(title="numbers", version="1.0.0", lifespan=lifespan)
    app.state.settings = service.settings
    app.state.service = service
    app.state.ports = service.ports
    install_common_handlers(app)
    app.include_router(router)
    return app


@contextlib.asynccontextmanager
async def running(service: NumbersService) -> AsyncIterator[NumbersService]:
    """Connect the carrier (unless one was given), then start the runtime and the retry loop.

    The carrier comes first: consumers begin handling events as soon as the runtime starts."""
    settings = service.settings
    owned_carrier = None
    if service.ports.carrier is None:
        owned_carrier = TwilioCarrier.connect(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            base_url=settings.twilio_api_base_url,
            timeout=settings.twilio_timeout_seconds,
            webhooks=NumberWebhooks.at_gateway(settings.gateway_public_url),
        )
        service.ports.carrier = owned_carrier
    try:
        await service.runtime.start()
        retries = asyncio.create_task(
            run_retry_loop(ports=service.ports, policy=service.policy, interval=settings.retry_poll_seconds),
            name="numbers-retry-loop",
        )
        try:
            yield service
        finally:
            retries.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retries
            await service.runtime.stop()
    finally:
        if owned_carrier is not None:
            await owned_carrier.close()
            service.ports.carrier = None
