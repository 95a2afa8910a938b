"""The numbers service in-process against real Kafka + FerretDB, buying from a real
sandbox carrier served by uvicorn on a free port. Started once per session; every test
uses its own account ids."""

import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from services.numbers.adapters.twilio_carrier import NumberWebhooks, TwilioCarrier
from services.numbers.adapters.twilio_messaging import MessagingWebhooks, TwilioA2P
from services.numbers.bootstrap import NumbersService, build_service, http_app, running
from services.numbers.domain.geography import NumberSearch
from services.numbers.service_layer.ports import CarrierError, OwnedNumber
from services.numbers.settings import NumbersSettings
from services.sandbox_carrier.app import create_app as create_carrier_app
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN
from services.sandbox_carrier.config import Settings as CarrierSettings
from shared import topics
from shared.mongo import connect
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from tests.support.kafka import EventLog, produce, start_group_at_end, watching
from tests.support.servers import ignore_sdk_deprecations, serving

SECRET = "numbers-tests-internal-secret-0123456789"
GATEWAY_URL = "http://gateway.test:8000"


def pytest_collection_modifyitems(items):
    ignore_sdk_deprecations(items, Path(__file__).parent)


class ScriptableCarrier:
    """The real Twilio adapter, plus scripted trouble for one user's purchases
    (matched by the user id in the number's FriendlyName)."""

    def __init__(self, real: TwilioCarrier) -> None:
        self.real = real
        self.refusing: set[str] = set()
        self.crashing_once: set[str] = set()

    async def search(self, search: NumberSearch, *, limit: int) -> list[str]:
        return await self.real.search(search, limit=limit)

    async def find_owned(self, phone_number: str) -> OwnedNumber | None:
        return await self.real.find_owned(phone_number)

    async def rename(self, carrier_sid: str, *, friendly_name: str) -> OwnedNumber:
        return await self.real.rename(carrier_sid, friendly_name=friendly_name)

    async def release(self, carrier_sid: str) -> None:
        await self.real.release(carrier_sid)

    async def place_call(self, *, to: str, from_number: str, twiml: str) -> str:
        return await self.real.place_call(to=to, from_number=from_number, twiml=twiml)

    async def buy(self, phone_number: str, *, friendly_name: str) -> OwnedNumber:
        if any(user_id in friendly_name for user_id in self.refusing):
            raise CarrierError("carrier answered 503: Service Unavailable (scripted)")
        owned = await self.real.buy(phone_number, friendly_name=friendly_name)
        for user_id in list(self.crashing_once):
            if user_id in friendly_name:
                self.crashing_once.discard(user_id)
                raise RuntimeError("simulated crash right after the carrier sold the number")
        return owned


@dataclass
class NumbersHarness:
    settings: NumbersSettings
    service: NumbersService
    http: httpx.AsyncClient
    carrier: ScriptableCarrier
    carrier_control: httpx.AsyncClient
    events: EventLog

    @property
    def kafka(self) -> str:
        return self.settings.kafka_bootstrap_servers

    async def produce(self, *envelopes) -> None:
        """Publish on this run's topics (its own namespace: other runs' services never see them)."""
        await produce(self.kafka, *envelopes, namespace=self.settings.kafka_topic_namespace)

    def headers(self, account_id: str, user_id: str | None, role: str = "texter") -> dict[str, str]:
        return {CALLER_HEADER: sign_caller_token(Caller(account_id=account_id, user_id=user_id, role=role), SECRET, audience="numbers")}

    def system_headers(self) -> dict[str, str]:
        """As the gateway forwards a Twilio webhook. (A token with no user id at all is refused
        by shared.caller: PyJWT rejects a null `sub`.)"""
        return self.headers(None, "gateway", role="system")

    async def numbers_at_carrier(self, user_id: str) -> list[dict]:
        response = await self.carrier_control.get("/sandbox/incoming-phone-numbers")
        response.raise_for_status()
        return [n for n in response.json()["incoming_phone_numbers"] if user_id in (n["friendly_name"] or "")]


@pytest.fixture(scope="session")
async def sandbox_carrier_url():
    settings = CarrierSettings(_env_file=None, account_sid=SANDBOX_ACCOUNT_SID, auth_token=SANDBOX_AUTH_TOKEN)
    async with serving(create_carrier_app(settings)) as url:
        yield url


def numbers_settings(infra: dict, *, database: str, consumer_group: str, carrier_url: str) -> NumbersSettings:
    """Topics under a namespace of their own (named after the database), so that the numbers service of
    another test run on the same Kafka never takes this run's requests."""
    return NumbersSettings(
        _env_file=None,
        kafka_topic_namespace=f"{database}.",
        kafka_bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        mongo_url=infra["MONGO_URL"],
        internal_auth_secret=SECRET,
        environment="test",
        database=database,
        consumer_group=consumer_group,
        gateway_public_url=GATEWAY_URL,
        twilio_api_base_url=carrier_url,
        twilio_account_sid=SANDBOX_ACCOUNT_SID,
        twilio_auth_token=SANDBOX_AUTH_TOKEN,
        retry_poll_seconds=0.2,
        retry_base_delay_seconds=0.5,
        retry_max_delay_seconds=2.0,
        retry_max_attempts=6,
        lease_seconds=2.0,
        stale_purchase_seconds=1.0,
        numbers_per_day=1_000,  # some tests buy a hundred numbers for one account; the cap's test sets its own
        registration_poll_seconds=0.3,
    )


@pytest.fixture(scope="session")
async def numbers(infra, run_id, sandbox_carrier_url):
    settings = numbers_settings(
        infra, database=f"numbers_{run_id}", consumer_group=f"numbers-test-{run_id}", carrier_url=sandbox_carrier_url
    )
    await start_group_at_end(
        settings.kafka_bootstrap_servers, settings.consumer_group,
        [topics.USER_CREATED, topics.USER_UPDATED, topics.NUMBER_NEEDED], namespace=settings.kafka_topic_namespace,
    )
    await start_contacts_view_at_end(settings)
    real = TwilioCarrier.connect(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        base_url=settings.twilio_api_base_url,
        timeout=10,
        webhooks=NumberWebhooks.at_gateway(settings.gateway_public_url),
    )
    carrier = ScriptableCarrier(real)
    a2p = TwilioA2P(real.client, MessagingWebhooks.at_gateway(settings.gateway_public_url), base_url=sandbox_carrier_url)
    service = build_service(settings, carrier=carrier, a2p_carrier=a2p)
    try:
        async with (
            running(service),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=http_app(service)), base_url="http://numbers") as http,
            httpx.AsyncClient(base_url=sandbox_carrier_url, auth=(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN)) as control,
            watching(
                settings.kafka_bootstrap_servers,
                [settings.kafka_topic_namespace + topic for topic in (
                    topics.NUMBER_PROVISIONED, topics.NUMBER_RELEASED, topics.NUMBER_PURCHASE_FAILED,
                    topics.REGISTRATION_UPDATED, topics.REGISTRATION_SAVED, topics.CALL_COMPLETED,
                    topics.NUMBER_OPT_OUT_HANDLING_CHANGED)],
            ) as events,
        ):
            yield NumbersHarness(settings, service, http, carrier, control, events)
    finally:
        await real.close()
        await drop_database(settings.mongo_url, settings.database)


async def start_contacts_view_at_end(settings: NumbersSettings) -> None:
    """The contacts read model's one group over every contact.* topic starts at their current end."""
    contact_topics = [topics.CONTACT_CREATED, topics.CONTACT_UPDATED, topics.CONTACT_TAGGED, topics.CONTACT_UNTAGGED,
                      topics.CONTACT_OPTED_OUT, topics.CONTACT_OPTED_IN, topics.CONTACT_DELETED]
    await start_group_at_end(
        settings.kafka_bootstrap_servers, f"{settings.consumer_group}.contacts-view", contact_topics, per_topic=False,
        namespace=settings.kafka_topic_namespace,
    )


async def drop_database(mongo_url: str, name: str) -> None:
    client = connect(mongo_url)
    try:
        await client.drop_database(name)
    finally:
        await client.close()


@pytest.fixture
def account_id() -> str:
    return f"acct-{uuid.uuid4().hex}"
