"""The notifications service in-process against real Kafka + FerretDB, sending email to a
real local SMTP server (aiosmtpd on a free port). Started once per session; every test
uses its own account ids."""

import email
import email.policy
import threading
import uuid
from dataclasses import dataclass, field

import httpx
import pytest
from aiosmtpd.controller import Controller

from services.notifications.bootstrap import NotificationsService, build_service, http_app, running
from services.notifications.settings import NotificationsSettings
from shared import topics
from shared.caller import CALLER_HEADER, Caller, sign_caller_token
from shared.mongo import connect
from tests.support.kafka import EventLog, start_group_at_end, watching
from tests.support.servers import free_port

SECRET = "notifications-tests-internal-secret-0123456789"
CONSUMED = [
    topics.USER_CREATED, topics.USER_UPDATED, topics.USER_SIGN_UP_ATTEMPTED, topics.MESSAGE_RECEIVED,
    topics.MESSAGE_FAILED, topics.NUMBER_PROVISIONED, topics.REGISTRATION_UPDATED,
]


@dataclass
class Mailbox:
    """What the SMTP server received (filled from aiosmtpd's thread)."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


@dataclass
class NotificationsHarness:
    settings: NotificationsSettings
    service: NotificationsService
    http: httpx.AsyncClient
    events: EventLog
    mailbox: Mailbox

    @property
    def kafka(self) -> str:
        return self.settings.kafka_bootstrap_servers

    def headers(self, account_id: str, user_id: str, role: str = "texter") -> dict[str, str]:
        return {CALLER_HEADER: sign_caller_token(Caller(account_id=account_id, user_id=user_id, role=role), SECRET, audience="notifications")}

    async def inbox(self, account_id: str, user_id: str, **params) -> dict:
        response = await self.http.get("/v1/notifications", params=params, headers=self.headers(account_id, user_id))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="session")
async def notifications(infra, run_id, mailbox):
    box, smtp_port = mailbox
    settings = NotificationsSettings(
        _env_file=None,
        kafka_bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        mongo_url=infra["MONGO_URL"],
        internal_auth_secret=SECRET,
        environment="test",
        database=f"notifications_{run_id}",
        consumer_group=f"notifications-test-{run_id}",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_from="CRM <crm@example.test>",
    )
    await start_group_at_end(settings.kafka_bootstrap_servers, settings.consumer_group, CONSUMED)
    service = build_service(settings)
    try:
        async with (
            running(service),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=http_app(service)), base_url="http://notifications") as http,
            watching(settings.kafka_bootstrap_servers, [topics.NOTIFICATION_CREATED]) as events,
        ):
            yield NotificationsHarness(settings, service, http, events, box)
    finally:
        client = connect(settings.mongo_url)
        await client.drop_database(settings.database)
        await client.close()


@pytest.fixture
def account_id() -> str:
    return f"acct-{uuid.uuid4().hex}"
