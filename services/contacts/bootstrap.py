"""The one place the contacts service is wired: runtime (Mongo, Kafka, outbox relay,
import worker), repositories, subscribers and the FastAPI app. Nothing happens at import time."""

from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from fastapi import FastAPI

from services.contacts.adapters.imports import IMPORT_INDEXES, MongoImportJobs
from services.contacts.adapters.outbox_relay import ContactsRelay
from services.contacts.adapters.repository import (
    CONTACTS,
    INDEXES,
    MongoContactRepository,
    MongoImportContacts,
    MongoOptOutRegistry,
)
from services.contacts.adapters.tags import TAG_INDEXES, MongoAccountSettings, MongoTagRegistry
from services.contacts.domain.tags import TagLimits
from services.contacts.entrypoints.consumers import register_consumers
from services.contacts.entrypoints import permissions
from services.contacts.entrypoints.http import install_error_handlers, routers
from services.contacts.service_layer.importing import ImportWorker
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


@dataclass
class ContactsRuntime(Runtime):
    """The shared runtime plus the import worker, started and stopped with it."""

    import_worker: ImportWorker | None = None

    async def start(self, *, consume: bool = True) -> None:
        await super().start(consume=consume)
        if self.import_worker is not None:
            await self.import_worker.start()

    async def stop(self) -> None:
        if self.import_worker is not None:
            await self.import_worker.stop()
        await super().stop()


def build_contacts_runtime(settings: ContactsSettings, *, run_imports: bool = True) -> ContactsRuntime:
    """Runtime with the contacts subscribers registered; call `start()` to run it."""
    shared = build_runtime(
        settings,
        service=SERVICE,
        database=settings.database,
        published_events=PUBLISHED_EVENTS,
        outbox_collections=[CONTACTS],
        indexes=[*INDEXES, *TAG_INDEXES, *IMPORT_INDEXES],
    )
    runtime = ContactsRuntime(**{name: getattr(shared, name) for name in shared.__dataclass_fields__})
    runtime.relay = ContactsRelay(runtime.db, [CONTACTS], shared.relay._publish, poll_interval=settings.outbox_poll_seconds)
    ports = build_ports(runtime, settings)
    register_consumers(
        runtime.broker, ports=ports, group_id=settings.consumer_group, activity_history=settings.activity_history
    )
    if run_imports:
        runtime.import_worker = build_import_worker(runtime, settings, ports)
    return runtime


def build_import_worker(runtime: Runtime, settings: ContactsSettings, ports: Ports) -> ImportWorker:
    """One import worker; each process runs one, and any number of processes may."""
    return ImportWorker(
        MongoImportJobs(runtime.db),
        MongoImportContacts(runtime.db, after_write=runtime.relay.kick_imports),
        ports,
        batch_size=settings.import_batch_size,
        slice_rows=settings.import_slice_rows,
        lease=timedelta(seconds=settings.import_lease_seconds),
        poll_seconds=settings.import_poll_seconds,
        spool_dir=settings.import_spool_dir,
        open_files=settings.import_open_files,
    )


def build_ports(runtime: Runtime, settings: ContactsSettings) -> Ports:
    return Ports(
        contacts=MongoContactRepository(runtime.db, after_write=runtime.relay.kick),
        opt_outs=MongoOptOutRegistry(runtime.db),
        default_region=settings.default_phone_region,
        tags=MongoTagRegistry(runtime.db),
        accounts=MongoAccountSettings(runtime.db),
        tag_limits=TagLimits(per_contact=settings.max_tags_per_contact, per_account=settings.max_tags_per_account),
    )


def create_app(settings: ContactsSettings, *, runtime: ContactsRuntime | None = None) -> FastAPI:
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
    app.state.imports = MongoImportJobs(runtime.db)
    app.state.wake_imports = runtime.import_worker.wake if runtime.import_worker else (lambda: None)
    install_common_handlers(app)
    install_error_handlers(app)
    permissions.MATRIX.include(app, routers)
    return app
