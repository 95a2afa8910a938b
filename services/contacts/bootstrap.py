"""The one place the contacts service is wired: runtime (Mongo, Kafka, outbox relay),
repositories, subscribers and the FastAPI app. Nothing happens at import time."""

from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.contacts.adapters.repository import CONTACTS, INDEXES, MongoContactRepository, MongoOptOutRegistry
from services.contacts.adapters.serialized import SerializedWritesDatabase
from services.contacts.entrypoints.consumers import register_consumers
from services.contacts.entrypoints.http import install_error_handlers, router
from services.contacts.service_layer.ports import Ports
from services.contacts.settings import ContactsSettings
from shared.events import (
    ContactCreated,
    ContactDeleted,
    ContactOptedIn,
    ContactOptedOut,
    ContactTagged,
    ContactUntagged,
    ContactUpdated,
)
from shared.outbox import OutboxRelay
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

SERVICE = "contacts"
PUBLISHED_EVENTS = [
    ContactCreated,
    ContactUpdated,
    ContactTagged,
    ContactUntagged,
    ContactDeleted,
    ContactOptedOut,
    ContactOptedIn,
]


def build_contacts_runtime(settings: ContactsSettings) -> Runtime:
    """Runtime with the contacts subscribers registered; call `start()` to run it."""
    runtime = build_runtime(
        settings,
        service=SERVICE,
        database=settings.database,
        published_events=PUBLISHED_EVENTS,
        outbox_collections=[CONTACTS],
        indexes=INDEXES,
    )
    if settings.serialize_writes:
        # See adapters/serialized.py. The relay writes to the same documents, so it must
        # take the same lock: rebuild it over the wrapped database, same publish function.
        runtime.db = SerializedWritesDatabase(runtime.db)
        runtime.relay = OutboxRelay(runtime.db, [CONTACTS], runtime.relay._publish)
    register_consumers(runtime.broker, ports=build_ports(runtime, settings), group_id=settings.consumer_group)
    return runtime


def build_ports(runtime: Runtime, settings: ContactsSettings) -> Ports:
    return Ports(
        contacts=MongoContactRepository(runtime.db, after_write=runtime.relay.kick),
        opt_outs=MongoOptOutRegistry(runtime.db),
        default_region=settings.default_phone_region,
    )


def create_app(settings: ContactsSettings, *, runtime: Runtime | None = None) -> FastAPI:
    """The HTTP app. Without `runtime` it builds one and runs it for its lifespan;
    with one (tests), the caller starts and stops it."""
    owned = runtime is None
    runtime = runtime or build_contacts_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if owned:
            await runtime.start()
        try:
            yield
        finally:
            if owned:
                await runtime.stop()

    app = FastAPI(title="contacts", version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.ports = build_ports(runtime, settings)
    install_common_handlers(app)
    install_error_handlers(app)
    app.include_router(router)
    return app
