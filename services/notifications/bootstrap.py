"""The one wiring point: runtime (Mongo, Kafka, outbox relay), ports, subscribers, HTTP app."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import FastAPI

from services.notifications.adapters.mongo import (
    INDEXES,
    NOTIFICATIONS,
    MongoEmails,
    MongoNotifications,
    MongoUsersView,
)
from services.notifications.adapters.smtp import SmtpMailer
from services.notifications.entrypoints import permissions
from services.notifications.entrypoints.consumers import register_consumers
from services.notifications.entrypoints.http import router
from services.notifications.service_layer.ports import Mailer, NotificationsPorts
from services.notifications.settings import NotificationsSettings
from shared.events import NotificationCreated
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

SERVICE = "notifications"


@dataclass
class NotificationsService:
    settings: NotificationsSettings
    runtime: Runtime
    ports: NotificationsPorts


def build_service(settings: NotificationsSettings, *, mailer: Mailer | None = None) -> NotificationsService:
    """Everything wired but nothing started; the SMTP mailer when a host is configured."""
    runtime = build_runtime(
        settings,
        service=SERVICE,
        database=settings.database,
        published_events=[NotificationCreated],
        outbox_collections=[NOTIFICATIONS],
        indexes=INDEXES,
    )
    ports = NotificationsPorts(
        users=MongoUsersView(runtime.db),
        notifications=MongoNotifications(runtime.db),
        emails=MongoEmails(runtime.db),
        mailer=mailer or (SmtpMailer(settings) if settings.email_enabled else None),
        notify_written=runtime.relay.kick,
    )
    register_consumers(runtime.broker, group_id=settings.consumer_group, ports=ports)
    return NotificationsService(settings, runtime, ports)


def create_app(settings: NotificationsSettings | None = None, *, mailer: Mailer | None = None) -> FastAPI:
    """The service as `python -m services.notifications` runs it: the lifespan starts and stops everything."""
    service = build_service(settings or NotificationsSettings(), mailer=mailer)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(service):
            yield

    return http_app(service, lifespan=lifespan)


def http_app(service: NotificationsService, *, lifespan=None) -> FastAPI:
    """The HTTP surface over a built service (tests start the service themselves and pass no lifespan)."""
    app = FastAPI(title="notifications", version="1.0.0", lifespan=lifespan)
    app.state.settings = service.settings
    app.state.service = service
    app.state.ports = service.ports
    app.state.runtime = service.runtime
    install_common_handlers(app)
    permissions.MATRIX.include(app, [router])
    return app


@contextlib.asynccontextmanager
async def running(service: NotificationsService) -> AsyncIterator[NotificationsService]:
    await service.runtime.start()
    try:
        yield service
    finally:
        await service.runtime.stop()
