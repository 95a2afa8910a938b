"""The one wiring point: runtime (Mongo, Kafka, outbox relay), ports, subscribers, HTTP app.

Two kinds of process come from here: the api (HTTP + read models) and the send
worker (message.send_requested only, no HTTP). Each runs its own outbox relay
over the same collections; the relay's claims keep that safe.
"""

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from fastapi import FastAPI

from services.messaging.adapters.carrier import Carrier, TwilioCarrier
from services.messaging.adapters.contacts_directory import ContactsDirectory, HttpContactsDirectory
from services.messaging.adapters.idempotency import IdempotencyKeys
from services.messaging.adapters.limits_store import SendingLimitsStore
from services.messaging.adapters.outbox import RecordedEvents
from services.messaging.adapters.store import EVENT_SOURCES, INDEXES, OUTBOX_COLLECTIONS, MessagingStore
from services.messaging.adapters.store.review_items import REVIEW_EVENT_SOURCES, REVIEW_INDEXES, ReviewStore
from services.messaging.domain import quiet_hours
from services.messaging.entrypoints.carrier_reports import register_status_reports
from services.messaging.entrypoints.consumers import register_read_models, register_send_worker
from services.messaging.entrypoints import permissions
from services.messaging.entrypoints.http import router
from services.messaging.entrypoints.review_http import router as review_router
from services.messaging.entrypoints.canned_replies_http import router as canned_replies_router
from services.messaging.entrypoints.conversation_assignment_http import router as assignment_router
from services.messaging.entrypoints.scheduled_sends_http import router as scheduled_sends_router
from services.messaging.adapters.carrier_media import CarrierMedia
from services.messaging.domain.commands import ReceiveText
from services.messaging.service_layer import webhooks
from services.messaging.service_layer.keywords import KeywordReplies
from services.messaging.domain.media_links import MediaLinks
from services.messaging.entrypoints.media_http import links_router as media_links_router, router as media_router
from services.messaging.adapters.store.scheduled_sends import SCHEDULE_INDEXES, SCHEDULED_SENDS, ScheduledSendStore
from services.messaging.service_layer.schedules import Starter, start_due
from services.messaging.service_layer.clock import Clock, system_clock
from services.messaging.service_layer.delivery import Courier, SendPolicy
from services.messaging.service_layer.holds import holds_releaser
from services.messaging.service_layer.job_counts import job_recounter
from services.messaging.service_layer.limits import SendingLimits
from services.messaging.domain.limits import TextingLimits
from services.messaging.service_layer.reconciliation import reconciler as stale_reconciler
from services.messaging.service_layer.reviews import deadline_sweeper
from services.messaging.settings import MessagingSettings
from shared.events import (
    CannedReplySent,
    ConversationAssigned,
    MessageFailed,
    ScheduledSendCancelled,
    ScheduledSendCreated,
    ScheduledSendStarted,
    ScheduledSendUpdated,
    MessageReceived,
    MessageSendRequested,
    MessageSent,
    MessageStatusUpdated,
    NumberNeeded,
    ReviewItemDecided,
    ReviewItemRaised,
    RevocationDetected,
)
from shared.exit_deadline import arm_exit_deadline
from shared.health.server import serving_probes
from shared.periodic import Periodic
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

SERVICE = "messaging"
PUBLISHED_EVENTS = [
    MessageSendRequested,
    MessageSent,
    MessageStatusUpdated,
    MessageFailed,
    MessageReceived,
    NumberNeeded,
    CannedReplySent,
    RevocationDetected,
    ReviewItemRaised,
    ReviewItemDecided,
    ConversationAssigned,
    ScheduledSendCreated,
    ScheduledSendUpdated,
    ScheduledSendStarted,
    ScheduledSendCancelled,
]
ALL_EVENT_SOURCES = EVENT_SOURCES + REVIEW_EVENT_SOURCES
STATUS_CALLBACK_PATH = "/webhooks/twilio/messages/status"


def _runtime(settings: MessagingSettings, service: str) -> Runtime:
    return build_runtime(
        settings,
        service=service,
        database=settings.database,
        published_events=PUBLISHED_EVENTS,
        outbox_collections=[*OUTBOX_COLLECTIONS, SCHEDULED_SENDS],
        indexes=INDEXES + REVIEW_INDEXES + SCHEDULE_INDEXES,
    )


@contextlib.asynccontextmanager
async def _started(runtime: Runtime, recorded: RecordedEvents, *loops) -> AsyncIterator[None]:
    asyncio.get_running_loop().run_in_executor(None, quiet_hours.load_places)  # in the background, once
    await runtime.start()
    await recorded.start()
    for loop in loops:
        await loop.start()
    try:
        yield
    finally:
        for loop in loops:
            await loop.stop()
        await recorded.stop()
        await runtime.stop()


@dataclass
class MessagingApi:
    settings: MessagingSettings
    runtime: Runtime
    recorded: RecordedEvents
    store: MessagingStore
    reviews: ReviewStore
    holds: Periodic
    recounter: Periodic
    review_deadlines: Periodic
    carrier_media: CarrierMedia


def build_api(settings: MessagingSettings, *, clock: Clock = system_clock) -> MessagingApi:
    """HTTP side, read models, the holds releaser and the job recounter, wired but not started."""
    runtime = _runtime(settings, SERVICE)
    recorded = RecordedEvents(runtime.db, ALL_EVENT_SOURCES, sweep_every=settings.outbox_sweep_seconds, publish=runtime.publish)
    store = MessagingStore(runtime.db, recorded)
    reviews = ReviewStore(runtime.db, recorded)
    carrier_media = CarrierMedia(
        account_sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token,
        api_base_url=settings.twilio_api_base_url, timeout_seconds=settings.media_fetch_timeout_seconds,
    )

    async def receive(command: ReceiveText) -> webhooks.InboundOutcome:
        return await webhooks.receive_text(
            command, store=store, replies=KeywordReplies.from_settings(settings), reviews=reviews, clock=clock,
            media_source=carrier_media,
        )

    register_read_models(
        runtime.broker,
        group_id=settings.consumer_group,
        store=store,
        relay=runtime.relay,
        receive_texts_that_waited=lambda number: webhooks.receive_texts_that_waited(number, store=store, receive=receive),
    )
    register_status_reports(runtime.broker, group_id=settings.consumer_group, store=store, relay=runtime.relay)
    holds = holds_releaser(store, clock, every=settings.holds_poll_seconds, on_release=runtime.relay.kick)
    recounter = job_recounter(
        store, quiet_for=timedelta(seconds=settings.job_recount_quiet_seconds), every=settings.job_recount_poll_seconds
    )
    review_deadlines = deadline_sweeper(
        store=store, reviews=reviews, clock=clock, every=settings.review_deadline_poll_seconds, on_change=runtime.relay.kick
    )
    return MessagingApi(settings, runtime, recorded, store, reviews, holds, recounter, review_deadlines, carrier_media)


def create_app(
    settings: MessagingSettings | None = None,
    *,
    clock: Clock = system_clock,
    contacts_directory: ContactsDirectory | None = None,
) -> FastAPI:
    settings = settings or MessagingSettings()
    api = build_api(settings, clock=clock)
    directory = contacts_directory or HttpContactsDirectory(
        base_url=settings.contacts_url, secret=settings.internal_auth_secret, timeout_seconds=settings.contacts_timeout_seconds
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _started(api.runtime, api.recorded, api.holds, api.recounter, api.review_deadlines, schedule_starter):
            yield
        if contacts_directory is None:
            await directory.close()
        await api.carrier_media.close()

    app = FastAPI(title="messaging", version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = api.runtime
    app.state.store = api.store
    app.state.clock = clock
    app.state.idempotency_keys = IdempotencyKeys(api.runtime.db)
    app.state.reviews = api.reviews
    app.state.clock = clock
    app.state.limits = sending_limits(settings, api.runtime)
    app.state.contacts_directory = directory
    app.state.carrier_media = api.carrier_media
    app.state.schedules = ScheduledSendStore(api.runtime.db)
    schedule_starter = scheduled_sends_starter(app, settings, clock)
    install_common_handlers(app)
    permissions.MATRIX.include(
        app, [router, review_router, canned_replies_router, assignment_router, scheduled_sends_router, media_router, media_links_router]
    )
    return app


def scheduled_sends_starter(app: FastAPI, settings: MessagingSettings, clock: Clock) -> Periodic:
    """Starts the scheduled sends whose time has come, through the api's own send path."""
    state = app.state
    starter = Starter(
        schedules=state.schedules, store=state.store, keys=state.idempotency_keys, limits=state.limits,
        directory=state.contacts_directory, clock=clock, claimer=f"{socket.gethostname()}-{os.getpid()}-{uuid4().hex[:6]}",
        lease=timedelta(seconds=settings.schedule_lease_seconds), texter_bulk_max=settings.texter_bulk_send_max_contacts,
        on_change=state.runtime.relay.kick,
    )
    return Periodic(lambda: start_due(starter), every=settings.schedule_poll_seconds, what="scheduled sends starter")


def sending_limits(settings: MessagingSettings, runtime: Runtime) -> SendingLimits:
    defaults = TextingLimits(
        texts_per_minute=settings.texts_per_minute,
        texts_per_day=settings.texts_per_day,
        concurrent_bulk_sends=settings.concurrent_bulk_sends,
        duplicate_window_minutes=settings.duplicate_window_minutes,
        recipient_max_texts=settings.recipient_max_texts,
        recipient_window_minutes=settings.recipient_window_minutes,
    )
    return SendingLimits(SendingLimitsStore(runtime.db), defaults)


@dataclass
class SendWorker:
    settings: MessagingSettings
    runtime: Runtime
    recorded: RecordedEvents
    courier: Courier
    reconciler: Periodic


def build_worker(
    settings: MessagingSettings,
    *,
    carrier: Carrier | None = None,
    worker_id: str | None = None,
    clock: Clock = system_clock,
) -> SendWorker:
    """A send worker, wired but not started; without `carrier`, Twilio is connected at start."""
    runtime = _runtime(settings, f"{SERVICE}-worker")
    # The api sweeps the outbox; workers only as a fallback, so that N of them do not repeat its work.
    recorded = RecordedEvents(
        runtime.db, ALL_EVENT_SOURCES, sweep_every=settings.outbox_sweep_seconds * 20, publish=runtime.publish
    )
    courier = Courier(
        store=MessagingStore(runtime.db, recorded),
        reviews=ReviewStore(runtime.db, recorded),
        policy=send_policy(settings),
        worker_id=worker_id or f"{socket.gethostname()}-{os.getpid()}-{uuid4().hex[:6]}",
        carrier=carrier,
        clock=clock,
        limits=sending_limits(settings, runtime),
    )
    register_send_worker(
        runtime.broker,
        group_id=settings.worker_group,
        courier=courier,
        relay=runtime.relay,
        consumers=settings.worker_consumers,
        batch_size=settings.worker_batch_size,
    )
    reconciler = stale_reconciler(
        courier.store,
        lambda: courier.carrier,
        older_than=timedelta(seconds=settings.reconcile_after_seconds),
        every=settings.reconcile_poll_seconds,
        on_change=runtime.relay.kick,
    )
    return SendWorker(settings, runtime, recorded, courier, reconciler)


def send_policy(settings: MessagingSettings) -> SendPolicy:
    return SendPolicy(
        status_callback_url=settings.gateway_public_url.rstrip("/") + STATUS_CALLBACK_PATH,
        attempts=settings.send_attempts,
        backoff_seconds=settings.send_backoff_seconds,
        lease=timedelta(seconds=settings.sending_lease_seconds),
        carrier_timeout=timedelta(seconds=settings.twilio_timeout_seconds),
        number_request_interval=timedelta(seconds=settings.number_request_interval_seconds),
        segments_per_second=settings.sender_segments_per_second,
        rate_max_wait=timedelta(seconds=settings.sender_rate_max_wait_seconds),
        account_concurrency=settings.account_concurrent_carrier_calls,
        quiet_hours_enforced=settings.quiet_hours_enforced,
        media_links=MediaLinks(
            base_url=settings.gateway_public_url.rstrip("/") + "/media",
            secret=settings.media_link_secret,
            lifetime=timedelta(seconds=settings.media_link_seconds),
        ),
    )


@contextlib.asynccontextmanager
async def running_worker(worker: SendWorker) -> AsyncIterator[SendWorker]:
    """Connect the carrier (unless one was given), start consuming; stop both after."""
    owned = None
    if worker.courier.carrier is None:
        settings = worker.settings
        owned = TwilioCarrier(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            api_base_url=settings.twilio_api_base_url,
            timeout_seconds=settings.twilio_timeout_seconds,
        )
        worker.courier.carrier = owned
    try:
        async with _started(worker.runtime, worker.recorded, worker.reconciler):
            try:
                yield worker
            finally:
                # From here the texts in hand are sent or handed back, not started: calls in flight
                # finish, the other claims are released, and the batch is left for the next worker.
                worker.courier.stopping = True
    finally:
        if owned is not None:
            await owned.close()
            worker.courier.carrier = None


async def run_worker(settings: MessagingSettings) -> None:
    """Run one send worker until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def told_to_stop() -> None:
        arm_exit_deadline(settings.shutdown_grace_seconds)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, told_to_stop)
    worker = build_worker(settings)
    async with running_worker(worker), serving_probes(
        service=f"{SERVICE}-worker", runtime=worker.runtime, host=settings.http_host, port=settings.worker_http_port
    ):
        await stop.wait()
