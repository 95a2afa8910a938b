"""The contacts service against the real Kafka and FerretDB: one runtime (consumers and
outbox relay running) and one ASGI client for the session; accounts random per test."""

from collections.abc import Callable
from uuid import uuid4

import httpx
import pytest

from services.contacts.bootstrap import build_contacts_runtime, create_app
from services.contacts.settings import ContactsSettings
from shared import topics
from shared.caller import Caller
from shared.kafka import ensure_topics
from tests.contacts.cleanup import remove_test_data
from tests.contacts.kafka_tap import EventProducer, EventTap
from tests.support.callers import FreshCallerHeaders

CONTACT_TOPICS = (
    topics.CONTACT_CREATED,
    topics.CONTACT_UPDATED,
    topics.CONTACT_TAGGED,
    topics.CONTACT_UNTAGGED,
    topics.CONTACT_DELETED,
    topics.CONTACT_OPTED_OUT,
    topics.CONTACT_OPTED_IN,
)
SECRET = "contacts-tests-internal-secret-of-enough-length"


@pytest.fixture(scope="session")
def contacts_settings(infra, run_id) -> ContactsSettings:
    return ContactsSettings(
        kafka_bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        mongo_url=infra["MONGO_URL"],
        internal_auth_secret=SECRET,
        database=f"contacts_{run_id}",
        consumer_group=f"contacts-{run_id}",
        # The shared topics hold every earlier run's texts and calls; a test sees its own.
        activity_history=False,
    )


@pytest.fixture(scope="session")
async def tap(infra) -> EventTap:
    await ensure_topics(infra["KAFKA_BOOTSTRAP_SERVERS"])
    event_tap = EventTap(infra["KAFKA_BOOTSTRAP_SERVERS"], CONTACT_TOPICS)
    await event_tap.start()
    yield event_tap
    await event_tap.stop()


@pytest.fixture(scope="session")
async def producer(infra) -> EventProducer:
    event_producer = EventProducer(infra["KAFKA_BOOTSTRAP_SERVERS"])
    await event_producer.start()
    yield event_producer
    await event_producer.stop()


@pytest.fixture(scope="session")
async def contacts_runtime(contacts_settings, tap):
    runtime = build_contacts_runtime(contacts_settings)
    await runtime.start()
    yield runtime
    await remove_test_data(runtime)
    await runtime.stop()



@pytest.fixture(scope="session")
async def http(contacts_settings, contacts_runtime) -> httpx.AsyncClient:
    app = create_app(contacts_settings, runtime=contacts_runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://contacts") as client:
        yield client


@pytest.fixture
def account() -> str:
    return f"acc-{uuid4().hex[:12]}"


@pytest.fixture
def as_user() -> Callable[..., dict[str, str]]:
    """Headers of a user of an account, as the gateway would send them."""

    def headers(account_id: str, user_id: str = "user-1", role: str = "texter") -> dict[str, str]:
        return FreshCallerHeaders(Caller(account_id=account_id, user_id=user_id, role=role), SECRET, audience="contacts")

    return headers
