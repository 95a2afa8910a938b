"""The one wiring point: runtime (Mongo, Kafka, outbox relay), ports, subscribers, HTTP app."""

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI

from services.numbers.adapters.mongo import INDEXES, LINES, MongoLines, MongoUsersView
from services.numbers.adapters.mongo_records import CALLS, RECORD_INDEXES, MongoAccountSettings, MongoCalls, MongoContactsView
from services.numbers.adapters.mongo_registrations import REGISTRATION_INDEXES, REGISTRATIONS, MongoRegistrations
from services.numbers.adapters.twilio_carrier import NumberWebhooks, TwilioCarrier
from services.numbers.adapters.twilio_messaging import MessagingWebhooks, TwilioA2P
from services.numbers.domain.lines import RetryPolicy
from services.numbers.entrypoints import permissions
from services.numbers.entrypoints.consumers import register_consumers
from services.numbers.entrypoints.http import router
from services.numbers.entrypoints.http_actions import router as actions_router
from services.numbers.service_layer import registrations
from services.numbers.adapters.mongo_purchase_quota import MongoPurchaseQuota
from services.numbers.service_layer.ports import A2PCarrier, Carrier, CarrierError, NumbersPorts
from services.numbers.service_layer.provisioning import ProvisioningPolicy, retry_due_lines
from services.numbers.settings import NumbersSettings
from shared.events import (
    CallCompleted, NumberOptOutHandlingChanged, NumberProvisioned, NumberPurchaseFailed, NumberReleased, RegistrationSaved,
    RegistrationUpdated,
)
from shared.periodic import Periodic
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

log = logging.getLogger(__name__)

SERVICE = "numbers"
PUBLISHED_EVENTS = [
    NumberProvisioned, NumberReleased, NumberPurchaseFailed, RegistrationUpdated, RegistrationSaved, NumberOptOutHandlingChanged,
    CallCompleted,
]


@dataclass
class NumbersService:
    settings: NumbersSettings
    runtime: Runtime
    ports: NumbersPorts
    policy: ProvisioningPolicy
    a2p: registrations.A2PPorts


def build_service(settings: NumbersSettings, *, carrier: Carrier | None = None, a2p_carrier: A2PCarrier | None = None) -> NumbersService:
    """Everything wired but nothing started; without `carrier`, Twilio is connected at start."""
    runtime = build_runtime(
        settings,
        service=SERVICE,
        database=settings.database,
        published_events=PUBLISHED_EVENTS,
        outbox_collections=[LINES, CALLS, REGISTRATIONS],
        indexes=[*INDEXES, *RECORD_INDEXES, *REGISTRATION_INDEXES],
    )
    ports = NumbersPorts(
        users=MongoUsersView(runtime.db),
        lines=MongoLines(runtime.db),
        carrier=carrier,
        notify_written=runtime.relay.kick,
        settings=MongoAccountSettings(runtime.db),
        contacts=MongoContactsView(runtime.db),
        calls=MongoCalls(runtime.db),
        voice_url=NumberWebhooks.at_gateway(settings.gateway_public_url).voice_url,
        purchases=MongoPurchaseQuota(runtime.db, default_per_day=settings.numbers_per_day),
    )
    a2p = registrations.A2PPorts(numbers=ports, registrations=MongoRegistrations(runtime.db), carrier=a2p_carrier)

    async def join_messaging_service(account_id: str) -> None:
        """A number bought after approval joins the account's messaging service; the periodic pass retries."""
        if a2p.carrier is None:
            return
        try:
            await registrations.attach_numbers(ports=a2p, account_id=account_id)
        except CarrierError as error:
            log.warning("account %s: adding a new number to its messaging service failed: %s", account_id, error)

    ports.after_activation = join_messaging_service
    policy = policy_from(settings)
    register_consumers(runtime.broker, group_id=settings.consumer_group, ports=ports, policy=policy)
    return NumbersService(settings, runtime, ports, policy, a2p)


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
    app.state.a2p = service.a2p
    app.state.runtime = service.runtime
    install_common_handlers(app)
    permissions.MATRIX.include(app, [router, actions_router])
    return app


async def build_read_models(service: NumbersService) -> None:
    """The by-number read models the voice webhook uses, for what was stored before they existed."""
    ports = service.ports
    await ports.lines.index_owners()
    await ports.users.index_cells()
    await ports.contacts.index_numbers()


@contextlib.asynccontextmanager
async def running(service: NumbersService) -> AsyncIterator[NumbersService]:
    """Connect the carrier (unless one was given), then start the runtime and the retry loop.

    The carrier comes first: consumers begin handling events as soon as the runtime starts."""
    settings = service.settings
    owned_carrier = None
    owned_a2p = service.a2p.carrier is None
    if service.ports.carrier is None:
        owned_carrier = TwilioCarrier.connect(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            base_url=settings.twilio_api_base_url,
            timeout=settings.twilio_timeout_seconds,
            webhooks=NumberWebhooks.at_gateway(settings.gateway_public_url),
        )
        service.ports.carrier = owned_carrier
    if owned_a2p:
        service.a2p.carrier = TwilioA2P(
            service.ports.carrier.client,
            MessagingWebhooks.at_gateway(settings.gateway_public_url),
            base_url=settings.twilio_messaging_base_url or settings.twilio_api_base_url,
        )
    try:
        await build_read_models(service)
        await service.runtime.start()
        loops = [
            Periodic(
                lambda: retry_due_lines(ports=service.ports, policy=service.policy),
                every=settings.retry_poll_seconds, what="retrying due lines",
            ),
            Periodic(
                lambda: registrations.follow_reviews(ports=service.a2p),
                every=settings.registration_poll_seconds, what="following A2P reviews",
            ),
        ]
        for loop in loops:
            await loop.start()
        try:
            yield service
        finally:
            for loop in loops:
                await loop.stop()
            await service.runtime.stop()
    finally:
        if owned_a2p:
            service.a2p.carrier = None
        if owned_carrier is not None:
            await owned_carrier.close()
            service.ports.carrier = None
