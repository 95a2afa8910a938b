"""Sign-up tells nobody whether an email is registered: a new and a registered email get the
same answer after the same work (the password judged and hashed), the registered user keeps
their password, and only their own password signs in."""

import asyncio
import json
import threading
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from argon2 import PasswordHasher

from services.gateway.adapters.repository import ACCOUNTS, USERS
from tests.support.accounts import sign_up_and_sign_in
from tests.support.waiting import eventually

PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "tidal orbit copper kettle"


def _body(**overrides) -> dict:
    tag = uuid.uuid4().hex[:10]
    return {"account_name": f"Campaign {tag}", "name": "Sam Owner", "email": f"sam-{tag}@example.org",
            "password": PASSWORD, "primary_cell": "512-474-2000", **overrides}


class CountingHashes(PasswordHasher):
    """argon2 as configured, counting the hashes it makes."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.hashes = 0

    def hash(self, password, *, salt=None):
        with self._lock:
            self.hashes += 1
        return super().hash(password, salt=salt)


@pytest.fixture
def counting(gateway):
    passwords = gateway.app.state.passwords
    counting, original = CountingHashes(), passwords._hasher
    passwords._hasher = counting
    yield counting
    passwords._hasher = original


async def test_a_new_and_a_registered_email_get_the_same_answer_after_the_same_work(gateway, counting):
    new = await gateway.post("/api/accounts", json=_body())
    assert counting.hashes == 1
    registered = _body()
    await sign_up_and_sign_in(gateway, registered)
    counting.hashes = 0
    again = await gateway.post("/api/accounts", json={**registered, "account_name": "Another", "password": OTHER_PASSWORD})
    assert counting.hashes == 1
    assert (new.status_code, new.json()) == (again.status_code, again.json())
    assert new.status_code == 202 and "sign in" in new.json()["detail"].lower()
    assert set(new.headers) - {"x-correlation-id"} == set(again.headers) - {"x-correlation-id"}


async def test_signing_up_with_a_registered_email_changes_nothing_and_its_password_does_not_sign_in(gateway):
    db = gateway.app.state.runtime.db
    registered = _body()
    session = await sign_up_and_sign_in(gateway, registered)
    stored = await db[USERS].find_one({"_id": session["user"]["id"]})
    taken_over = {**registered, "account_name": f"Takeover {uuid.uuid4().hex[:8]}", "name": "Mallory", "password": OTHER_PASSWORD}
    assert (await gateway.post("/api/accounts", json=taken_over)).status_code == 202

    after = await db[USERS].find_one({"_id": session["user"]["id"]})
    assert (after["password_hash"], after["name"], after["account_id"]) == (stored["password_hash"], stored["name"], stored["account_id"])
    assert await db[USERS].count_documents({"email": registered["email"]}) == 1
    assert await db[ACCOUNTS].count_documents({"name": taken_over["account_name"]}) == 0
    refused = await gateway.post("/api/auth/login", json={"email": registered["email"], "password": OTHER_PASSWORD})
    wrong = await gateway.post("/api/auth/login", json={"email": registered["email"], "password": "wrong password!!"})
    assert (refused.status_code, refused.json()) == (wrong.status_code, wrong.json()) == (401, {"detail": "wrong email or password"})
    own = await gateway.post("/api/auth/login", json={"email": registered["email"].upper(), "password": PASSWORD})
    assert own.status_code == 200 and own.json()["user"]["id"] == session["user"]["id"]


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234"])
async def test_a_weak_password_is_the_same_422_for_a_new_and_a_registered_email(gateway, weak):
    registered = _body()
    await sign_up_and_sign_in(gateway, registered)
    for_new = await gateway.post("/api/accounts", json=_body(password=weak))
    for_registered = await gateway.post("/api/accounts", json={**registered, "password": weak})
    assert for_new.status_code == for_registered.status_code == 422
    assert for_new.json() == for_registered.json()
    assert [problem["field"] for problem in for_new.json()["errors"]] == ["body.password"]


async def test_concurrent_sign_ups_with_one_new_email_make_one_user_and_no_stray_account(gateway):
    db = gateway.app.state.runtime.db
    email = f"race-{uuid.uuid4().hex[:10]}@example.org"
    bodies = [_body(email=email, account_name=f"Race {uuid.uuid4().hex[:8]}") for _ in range(4)]
    answers = await asyncio.gather(*(gateway.post("/api/accounts", json=body) for body in bodies))
    assert [answer.status_code for answer in answers] == [202] * 4
    assert len({str(answer.json()) for answer in answers}) == 1
    [user] = await db[USERS].find({"email": email}).to_list()
    names = [body["account_name"] for body in bodies]
    assert [account["_id"] for account in await db[ACCOUNTS].find({"name": {"$in": names}}).to_list()] == [user["account_id"]]


async def test_the_registered_user_is_told_once_an_hour_however_often_someone_signs_up_with_their_email(gateway, infra, run_id):
    db = gateway.app.state.runtime.db
    registered = _body()
    session = await sign_up_and_sign_in(gateway, registered)
    user_id = session["user"]["id"]
    consumer = AIOKafkaConsumer(
        f"gateway-{run_id}.user.sign_up_attempted", bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"],
        group_id=f"gateway-test-{uuid.uuid4().hex}", auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        for _ in range(3):
            assert (await gateway.post("/api/accounts", json={**registered, "password": OTHER_PASSWORD})).status_code == 202
        gateway.app.state.runtime.relay.kick()

        async def published():  # the relay takes an event out of the outbox once Kafka has it
            return "outbox" not in await db[USERS].find_one({"_id": user_id})
        await eventually(published, what="the user's events to be published")
        told = []
        for _ in range(3):
            batches = await consumer.getmany(timeout_ms=1000)
            told += [json.loads(m.value) for batch in batches.values() for m in batch if m.key == user_id.encode()]
    finally:
        await consumer.stop()
    [event] = told
    assert (event["account_id"], event["subject"], event["data"]["user_id"]) == (session["user"]["account_id"], user_id, user_id)
