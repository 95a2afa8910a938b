"""Messaging against the real Kafka and FerretDB, with the sandbox carrier in-process.

Session-wide: one sandbox carrier, one stand-in gateway that receives the carrier's
signed status callbacks and forwards them to /v1/webhooks/status, the messaging api
(ASGI, its consumers and relay running), one send worker, a Kafka producer and a log
of every event messaging publishes. Each test uses its own account ids.
"""

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import phonenumbers
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fastapi import FastAPI, Request, Response
from pymongo import AsyncMongoClient
from twilio.request_validator import RequestValidator

from services.messaging.adapters.store import MessagingStore
from services.messaging.bootstrap import build_worker, create_app, running_worker
from services.messaging.settings import MessagingSettings
from services.sandbox_carrier.app import create_app as create_carrier_app
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN
from services.sandbox_carrier.config import Settings as CarrierSettings
from shared import topics
from shared.caller import CALLER_HEADER, Caller, InvalidCallerToken, sign_caller_token, verify_caller_token
from shared.events import (
    ContactCreated,
    ContactDeleted,
    ContactSnapshot,
    ContactUpdated,
    Envelope,
    NumberProvisioned,
    NumberReleased,
    PhoneSnapshot,
    RegistrationUpdated,
)
from tests.support.servers import ignore_sdk_deprecations, serving
from tests.support.waiting import eventually

PUBLISHED_TOPICS = (
    topics.MESSAGE_SEND_REQUESTED,
    topics.MESSAGE_SENT,
    topics.MESSAGE_STATUS_UPDATED,
    topics.MESSAGE_FAILED,
    topics.MESSAGE_RECEIVED,
    topics.NUMBER_NEEDED,
    topics.CANNED_REPLY_SENT,
    topics.REVOCATION_DETECTED,
    topics.REVIEW_ITEM_RAISED,
    topics.REVIEW_ITEM_DECIDED,
    topics.CONVERSATION_ASSIGNED,
    topics.SCHEDULED_SEND_CREATED,
    topics.SCHEDULED_SEND_UPDATED,
    topics.SCHEDULED_SEND_STARTED,
    topics.SCHEDULED_SEND_CANCELLED,
)


def pytest_collection_modifyitems(items):
    ignore_sdk_deprecations(items, Path(__file__).parent)


class MovableClock:
    """The clock the texting rules go by in tests: it runs, but from a moment the test chooses.
    By default 19:00 UTC today, inside every US time zone's texting window."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.set(datetime.now(UTC).replace(hour=19, minute=0, second=0, microsecond=0))

    def set(self, moment: datetime) -> None:
        self._base, self._started = moment, time.monotonic()

    def advance(self, by: timedelta) -> None:
        self.set(self() + by)

    def __call__(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._started)


UNKNOWN_GRID_KEY = "no_such_grid_filter"


class ContactsSelectionStandIn:
    """The contacts service's selection contract over a fixed list of ids per account
    (`POST /v1/contacts/selection/ids` and `/count`), checking the caller token as contacts does."""

    def __init__(self, secret: str) -> None:
        self.ids: dict[str, list[str]] = {}
        self.requests: list[dict] = []
        self._secret = secret

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/contacts/selection/ids")
        async def selection_ids(request: Request) -> Response:
            account_id = self._account(request)
            if account_id is None:
                return Response(status_code=401)
            body = await request.json()
            self.requests.append(body)
            if not isinstance(body.get("filter"), dict):
                return Response(status_code=422, content='{"detail": "filter must be an object"}')
            if UNKNOWN_GRID_KEY in body["filter"]:  # as the grid refuses every key it does not know
                return Response(status_code=422, content='{"detail": "invalid request", "errors": [{"field": "filter", "problem": "unknown key"}]}')
            after, limit = body.get("after"), min(int(body.get("limit") or 5000), 5000)
            ids = sorted(self.ids.get(account_id, []))
            remaining = [contact_id for contact_id in ids if after is None or contact_id > after]
            page = remaining[:limit]
            more = len(remaining) > limit
            return Response(content=json.dumps({"ids": page, "next": page[-1] if more else None}), media_type="application/json")

        @app.post("/v1/contacts/selection/count")
        async def selection_count(request: Request) -> Response:
            account_id = self._account(request)
            if account_id is None:
                return Response(status_code=401)
            return Response(content=json.dumps({"total": len(self.ids.get(account_id, []))}), media_type="application/json")

        return app

    def _account(self, request: Request) -> str | None:
        try:
            return verify_caller_token(
                request.headers.get(CALLER_HEADER, ""), self._secret, audience="contacts", max_lifetime=timedelta(minutes=5)
            ).account_id
        except InvalidCallerToken:
            return None


class GatewayStandIn:
    """Receives the carrier's status callbacks like the gateway does (signature checked) and
    forwards their params as JSON to the messaging api, as the system caller."""

    def __init__(self, auth_token: str, secret: str) -> None:
        self.base_url = ""
        self.target: httpx.AsyncClient | None = None
        self.forwarded: list[dict] = []
        self.held: list[dict] = []
        self.holding: set[str] = set()
        self.badly_signed = 0
        self.media_fetches: list[tuple[str, int]] = []
        self._validator = RequestValidator(auth_token)
        self._secret = secret

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/twilio/messages/status")
        async def status(request: Request) -> Response:
            params = {key: str(value) for key, value in (await request.form()).items()}
            if not self._validator.validate(str(request.url), params, request.headers.get("X-Twilio-Signature", "")):
                self.badly_signed += 1
                return Response(status_code=403)
            if params.get("To") in self.holding:
                self.held.append(params)  # the test delivers these itself, in its own order
                return Response(status_code=204)
            if self.target is None or self.target.is_closed:
                return Response(status_code=503)  # the session is ending; the carrier may retry into the void
            answer = await self.target.post("/v1/webhooks/status", json=params, headers=system_headers(self._secret))
            self.forwarded.append(params)
            return Response(status_code=204 if answer.status_code < 400 else answer.status_code)

        @app.post("/webhooks/twilio/messages/inbound")
        async def inbound(request: Request) -> Response:
            params = {key: str(value) for key, value in (await request.form()).items()}
            if not self._validator.validate(str(request.url), params, request.headers.get("X-Twilio-Signature", "")):
                self.badly_signed += 1
                return Response(status_code=403)
            answer = await self.target.post("/v1/webhooks/inbound", json=params, headers=system_headers(self._secret))
            return Response(content="<Response/>", media_type="text/xml", status_code=200 if answer.status_code < 400 else answer.status_code)

        @app.get("/media/{token}")
        async def linked_media(token: str) -> Response:
            """The carrier fetches a text's images here, as it does from the gateway."""
            answer = await self.target.get(f"/v1/media-links/{token}", headers=system_headers(self._secret))
            self.media_fetches.append((token, answer.status_code))
            return Response(content=answer.content, status_code=answer.status_code, media_type=answer.headers.get("content-type"))

        return app


def system_headers(secret: str) -> dict[str, str]:
    """What the gateway sends with a forwarded webhook."""
    return {CALLER_HEADER: sign_caller_token(Caller(account_id=None, user_id=None, role="system"), secret, audience="messaging")}


class EventLog:
    """Every event messaging publishes, read from Kafka by a fresh consumer group; an event
    published twice (the outbox relays publish at least once) is kept once, by its id."""

    def __init__(self, bootstrap_servers: str, namespace: str) -> None:
        self._consumer = AIOKafkaConsumer(
            *(namespace + topic for topic in PUBLISHED_TOPICS),
            bootstrap_servers=bootstrap_servers,
            group_id=namespace + "test-event-log",
            auto_offset_reset="earliest",
        )
        self.events: list[dict] = []
        self._ids: set[str] = set()
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self._consumer.start()
        self._task = asyncio.create_task(self._collect())

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self._consumer.stop()

    async def _collect(self) -> None:
        async for record in self._consumer:
            event = json.loads(record.value)
            event["_key"] = record.key.decode() if record.key else None
            if event["id"] not in self._ids:
                self._ids.add(event["id"])
                self.events.append(event)

    def of(self, account_id: str, event_type: str | None = None, **data) -> list[dict]:
        return [
            event
            for event in self.events
            if event["account_id"] == account_id
            and (event_type is None or event["type"] == event_type)
            and all(event["data"].get(name) == value for name, value in data.items())
        ]

    async def wait_for(self, account_id: str, event_type: str, count: int = 1, timeout: float = 20.0, **data) -> list[dict]:
        async def enough():
            found = self.of(account_id, event_type, **data)
            return found if len(found) >= count else None

        try:
            return await eventually(enough, timeout=timeout, what=f"{count} {event_type} event(s) {data or ''}")
        except AssertionError as error:
            seen = [(event["type"], event["data"].get("status")) for event in self.of(account_id)]
            raise AssertionError(f"{error}; this account's events: {seen}") from None


def random_us_number(area_code: int = 737) -> str:
    rng = random.Random()
    while True:
        candidate = f"+1{area_code}{rng.randrange(200, 1000)}{rng.randrange(10_000):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)) and candidate[5:8] != "555":
            return candidate


def phone(type_: str = "cell", **fields) -> PhoneSnapshot:
    return PhoneSnapshot(phone_id=uuid4().hex, e164=fields.pop("e164", None) or random_us_number(), type=type_, **fields)


@dataclass
class Account:
    """One test's account and user, and what it does through the harness."""

    harness: "Harness"
    account_id: str = field(default_factory=lambda: uuid4().hex)
    user_id: str = field(default_factory=lambda: uuid4().hex)

    @property
    def headers(self) -> dict[str, str]:
        return self.headers_of(self.user_id, "owner")

    def headers_of(self, user_id: str, role: str) -> dict[str, str]:
        """Another user of this account, as the gateway would name them."""
        caller = Caller(account_id=self.account_id, user_id=user_id, role=role)
        return {CALLER_HEADER: sign_caller_token(caller, self.harness.settings.internal_auth_secret, audience="messaging")}

    async def create_contact(self, *phones: PhoneSnapshot, dnc: bool = False, revision: int = 1, wait: bool = True, contact_id: str | None = None) -> ContactSnapshot:
        contact = ContactSnapshot(
            contact_id=contact_id or uuid4().hex, revision=revision, first_name="Pat", last_name="Doe", phones=list(phones), dnc=dnc
        )
        await self.harness.produce(Envelope.wrap(ContactCreated(contact=contact), account_id=self.account_id, subject=contact.contact_id))
        if wait:
            await self.harness.wait_for_contact_revision(self.account_id, contact.contact_id, revision)
        return contact

    async def update_contact(self, contact: ContactSnapshot, **changes) -> ContactSnapshot:
        """Publish the next revision of `contact` with `changes` (as contact.updated)."""
        updated = contact.model_copy(update={"revision": contact.revision + 1, **changes})
        return await self.publish_snapshot(updated, changed=sorted(changes))

    async def publish_snapshot(self, snapshot: ContactSnapshot, *, changed: list[str] = (), wait: bool = True) -> ContactSnapshot:
        envelope = Envelope.wrap(
            ContactUpdated(contact=snapshot, changed=list(changed)), account_id=self.account_id, subject=snapshot.contact_id
        )
        await self.harness.produce(envelope)
        if wait:
            await self.harness.wait_for_contact_revision(self.account_id, snapshot.contact_id, snapshot.revision)
        return snapshot

    async def delete_contact(self, contact: ContactSnapshot) -> None:
        deleted = ContactDeleted(contact_id=contact.contact_id, revision=contact.revision + 1)
        await self.harness.produce(Envelope.wrap(deleted, account_id=self.account_id, subject=contact.contact_id))
        await self.harness.wait_for_contact_revision(self.account_id, contact.contact_id, contact.revision + 1)

    async def set_registration(self, state: str) -> None:
        """Announce the account's A2P registration state, as the numbers service would."""
        updated = RegistrationUpdated(registration_id=uuid4().hex, state=state)
        await self.harness.produce(Envelope.wrap(updated, account_id=self.account_id, subject=self.account_id))

        async def kept():
            return (await self.harness.store.account_settings(self.account_id)).get("registration_state") == state

        await eventually(kept, timeout=30, what=f"registration state {state} of {self.account_id}")

    async def release_number(self, phone_number: str) -> None:
        released = NumberReleased(number_id=uuid4().hex, user_id=self.user_id, phone_number=phone_number)
        await self.harness.produce(Envelope.wrap(released, account_id=self.account_id, subject=self.user_id))

        async def gone():
            return await self.harness.store.sender_number(self.user_id) is None

        await eventually(gone, timeout=30, what=f"sender number of {self.user_id} removed")

    async def provision_number(self, area_code: int = 512, *, with_inbound: bool = False) -> str:
        """Buy a number at the carrier, then announce it as the numbers service would (`with_inbound`:
        its replies come to the stand-in gateway, as a real number's do)."""
        bought = await self.buy_number(area_code, with_inbound=with_inbound)
        await self.announce_number(bought, area_code=area_code)
        return bought["phone_number"]

    async def buy_number(self, area_code: int = 512, *, with_inbound: bool = False) -> dict:
        """A number bought at the carrier that messaging has not heard of yet."""
        data = {"AreaCode": str(area_code)}
        if with_inbound:
            data["SmsUrl"] = self.harness.gateway.base_url + "/webhooks/twilio/messages/inbound"
        answer = await self.harness.carrier.post(f"/2010-04-01/Accounts/{SANDBOX_ACCOUNT_SID}/IncomingPhoneNumbers.json", data=data)
        answer.raise_for_status()
        return answer.json()

    async def announce_number(self, bought: dict, *, area_code: int = 512) -> None:
        """number.provisioned for a bought number, as the numbers service publishes it; waits until messaging knows it."""
        provisioned = NumberProvisioned(
            number_id=uuid4().hex,
            user_id=self.user_id,
            phone_number=bought["phone_number"],
            area_code=str(area_code),
            selection_rule="area_code",
            carrier_sid=bought["sid"],
        )
        await self.harness.produce(Envelope.wrap(provisioned, account_id=self.account_id, subject=self.user_id))
        await eventually(
            lambda: self._has_number(bought["phone_number"]), timeout=30, what=f"sender number of {self.user_id} in the read model"
        )

    async def _has_number(self, phone_number: str) -> bool:
        sender = await self.harness.store.sender_number(self.user_id)
        return sender is not None and sender["phone_number"] == phone_number

    async def send(self, contact_id: str, body: str = "Hello from the campaign", **extra) -> httpx.Response:
        return await self.harness.api.post("/v1/messages", json={"contact_id": contact_id, "body": body, **extra}, headers=self.headers)

    async def get(self, path: str, **params) -> httpx.Response:
        return await self.harness.api.get(path, headers=self.headers, params=params)

    async def message(self, message_id: str) -> dict:
        answer = await self.get(f"/v1/messages/{message_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def message_reaches(self, message_id: str, status: str, timeout: float = 20.0) -> dict:
        seen = []

        async def reached():
            found = await self.message(message_id)
            seen.append(found["status"])
            return found if found["status"] == status else None

        try:
            return await eventually(reached, timeout=timeout, what=f"message {message_id} to reach {status}")
        except AssertionError as error:
            raise AssertionError(f"{error}; statuses seen: {list(dict.fromkeys(seen))}") from None


@dataclass
class Harness:
    settings: MessagingSettings
    api: httpx.AsyncClient
    store: MessagingStore
    carrier: httpx.AsyncClient
    producer: AIOKafkaProducer
    events: EventLog
    gateway: GatewayStandIn
    workers: list
    clock: MovableClock
    selection: ContactsSelectionStandIn

    def account(self) -> Account:
        return Account(self)

    async def produce(self, envelope: Envelope) -> None:
        await self.produce_raw(envelope.to_document())

    async def produce_raw(self, event: dict) -> None:
        """An event as another service (or a redelivery) would put it on its topic."""
        document = {name: value for name, value in event.items() if name != "_key"}
        topic = self.settings.kafka_topic_namespace + document["type"]
        await self.producer.send_and_wait(topic, json.dumps(document).encode(), key=document["subject"].encode())

    async def wait_for_contact_revision(self, account_id: str, contact_id: str, revision: int) -> None:
        async def applied():
            contact = await self.store.contact(account_id, contact_id)
            return contact is not None and contact["revision"] >= revision

        await eventually(applied, timeout=30, what=f"contact {contact_id} revision {revision} in contacts_view")

    async def carrier_log(self, to: str | None = None, *, from_: str | None = None) -> list[dict]:
        """What the carrier really sent: the count that proves exactly-once."""
        params = {name: value for name, value in (("to", to), ("from", from_)) if value}
        answer = await self.carrier.get("/sandbox/messages", params=params)
        answer.raise_for_status()
        return answer.json()["messages"]

    async def carrier_fault(self, **fault) -> None:
        """The carrier's next Messages create calls fail as described (see the sandbox's /sandbox/faults)."""
        answer = await self.carrier.post("/sandbox/faults", json=fault)
        answer.raise_for_status()

    async def carrier_behaviour(self, phone_number: str, error_code: int, delivery_status: str = "undelivered") -> None:
        answer = await self.carrier.post(
            "/sandbox/behaviours",
            json={"phone_number": phone_number, "error_code": error_code, "delivery_status": delivery_status},
        )
        answer.raise_for_status()

    async def send_at_carrier(self, *, to: str, from_: str, body: str) -> dict:
        """A text sent straight at the carrier, as a worker that crashed right after its call would have."""
        answer = await self.carrier.post(
            f"/2010-04-01/Accounts/{SANDBOX_ACCOUNT_SID}/Messages.json",
            data={"To": to, "From": from_, "Body": body, "StatusCallback": self.settings.gateway_public_url + "/webhooks/twilio/messages/status"},
        )
        answer.raise_for_status()
        return answer.json()

    async def system_post(self, path: str, params: dict) -> httpx.Response:
        return await self.api.post(path, json=params, headers=system_headers(self.settings.internal_auth_secret))

    async def system_get(self, path: str) -> httpx.Response:
        return await self.api.get(path, headers=system_headers(self.settings.internal_auth_secret))


async def settle(broker) -> None:
    """Wait until each consumer owns partitions and knows where it reads from (and commit that),
    so that tests measure the service rather than Kafka's group joins."""
    for subscriber in broker.subscribers:
        for index in range(len(getattr(subscriber, "consumer_subgroup", None) or [None])):

            async def assigned(index=index):
                group = getattr(subscriber, "consumer_subgroup", None) or [subscriber.consumer]
                consumer = group[index]
                return consumer if consumer is not None and consumer.assignment() else None

            consumer = await eventually(assigned, timeout=60, what=f"partitions for {subscriber}")
            for partition in consumer.assignment():
                await consumer.position(partition)
            await consumer.commit()


@pytest.fixture(scope="session")
async def carrier_url():
    settings = CarrierSettings(
        _env_file=None,
        account_sid=SANDBOX_ACCOUNT_SID,
        auth_token=SANDBOX_AUTH_TOKEN,
        status_delay_min_seconds=0.0,
        status_delay_max_seconds=0.02,
        webhook_max_attempts=3,
        webhook_retry_backoff_seconds=0.05,
        fault_timeout_seconds=5.0,
    )
    async with serving(create_carrier_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
async def messaging(infra, run_id, carrier_url):
    """The whole messaging service (api + one worker) and the tools to drive and observe it."""
    secret = f"messaging-tests-internal-secret-{run_id}"
    gateway = GatewayStandIn(SANDBOX_AUTH_TOKEN, secret)
    selection = ContactsSelectionStandIn(secret)
    clock = MovableClock()
    async with serving(gateway.app()) as gateway_url, serving(selection.app()) as contacts_url:
        gateway.base_url = gateway_url
        settings = MessagingSettings(
            _env_file=None,
            kafka_bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
            mongo_url=infra["MONGO_URL"],
            internal_auth_secret=secret,
            environment="test",
            database=f"messaging_{run_id}",
            consumer_group=f"messaging-{run_id}",
            worker_group=f"messaging-send-workers-{run_id}",
            gateway_public_url=gateway_url,
            twilio_account_sid=SANDBOX_ACCOUNT_SID,
            twilio_auth_token=SANDBOX_AUTH_TOKEN,
            twilio_api_base_url=carrier_url,
            twilio_timeout_seconds=1.0,
            kafka_topic_namespace=f"messaging-{run_id}.",  # topics of this test run only
            contact_wait_seconds=3.0,
            send_backoff_seconds=0.05,
            sending_lease_seconds=5.0,
            contacts_url=contacts_url,
            sender_segments_per_second=0,  # tests of the rate limit set their own
            worker_consumers=1,
            holds_poll_seconds=0.2,
            reconcile_poll_seconds=3600,  # the reconciliation test calls it itself
            reconcile_after_seconds=3600,
            job_recount_quiet_seconds=3.0,
            job_recount_poll_seconds=1.0,
            review_deadline_poll_seconds=0.3,
            schedule_poll_seconds=0.2,
        )
        app = create_app(settings, clock=clock)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://messaging", timeout=30) as api,
            httpx.AsyncClient(base_url=carrier_url, auth=(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN), timeout=30) as carrier,
        ):
            gateway.target = api
            producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
            await producer.start()
            events = EventLog(settings.kafka_bootstrap_servers, settings.kafka_topic_namespace)
            await events.start()
            worker = build_worker(settings, worker_id="worker-a", clock=clock)
            try:
                async with running_worker(worker):
                    await settle(app.state.runtime.broker)
                    await settle(worker.runtime.broker)
                    yield Harness(settings, api, app.state.store, carrier, producer, events, gateway, [worker], clock, selection)
            finally:
                await events.stop()
                await producer.stop()
    cleanup = AsyncMongoClient(infra["MONGO_URL"])
    await cleanup.drop_database(settings.database)
    await cleanup.close()


@pytest.fixture
async def account(messaging: Harness):
    """A fresh account and user; the carrier's scripted faults and behaviours are cleared after."""
    yield messaging.account()
    messaging.clock.reset()
    await messaging.carrier.delete("/sandbox/faults")
    await messaging.carrier.delete("/sandbox/behaviours")


@pytest.fixture
def second_worker(messaging: Harness) -> Callable:
    """Starts another send worker in this process (same group); stopped at the end of the test."""

    @contextlib.asynccontextmanager
    async def started(worker_id: str = "worker-b"):
        worker = build_worker(messaging.settings, worker_id=worker_id, clock=messaging.clock)
        async with running_worker(worker):
            messaging.workers.append(worker)
            try:
                yield worker
            finally:
                messaging.workers.remove(worker)

    return started
