"""Failed logins are throttled per email and per client address, in the store (so every gateway
process counts the same attempts), with a 429 and Retry-After; the right password waits too."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from services.gateway.adapters.throttle_store import LOGIN_THROTTLE, MongoWindowCounters
from services.gateway.service_layer.login_throttle import LoginThrottle
from tests.gateway.conftest import PUBLIC_URL

PASSWORD = "correct horse battery staple"


async def _account(gateway) -> str:
    email = f"sam-{uuid.uuid4().hex[:10]}@example.org"
    answer = await gateway.post("/api/accounts", json={"account_name": "Campaign", "name": "Sam", "email": email, "password": PASSWORD})
    assert answer.status_code == 202, answer.text
    return email


def _from(gateway, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway.app, client=(address, 40000)), base_url=PUBLIC_URL)


async def test_wrong_passwords_for_one_email_get_a_429_and_the_right_one_waits_too(gateway):
    email = await _account(gateway)
    async with _from(gateway, "10.1.0.1") as guesser:
        answers = [await guesser.post("/api/auth/login", json={"email": email, "password": f"guess number {n}"}) for n in range(8)]
        assert [answer.status_code for answer in answers] == [401] * 5 + [429] * 3
        throttled = answers[-1]
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        assert "too many failed logins for this email" in throttled.json()["detail"]
        right = await guesser.post("/api/auth/login", json={"email": email.upper(), "password": PASSWORD})
        assert right.status_code == 429
    async with _from(gateway, "10.1.0.2") as elsewhere:  # the email's window holds whoever asks
        assert (await elsewhere.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 429


async def test_a_spent_window_lets_the_right_password_in_again(gateway):
    email = await _account(gateway)
    async with _from(gateway, "10.2.0.1") as client:
        for n in range(5):
            await client.post("/api/auth/login", json={"email": email, "password": f"guess number {n}"})
        assert (await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 429
        counters = gateway.app.state.runtime.db[LOGIN_THROTTLE]
        spent = await counters.update_many({"_id": {"$regex": email.replace(".", r"\.")}}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}})
        assert spent.modified_count >= 1
        assert (await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 200


async def test_failures_from_one_address_across_many_emails_are_throttled_for_that_address_only(gateway):
    tag = uuid.uuid4().hex[:8]
    async with _from(gateway, "10.3.0.1") as sprayer, _from(gateway, "10.3.0.2") as neighbour:
        answers = [
            await sprayer.post("/api/auth/login", json={"email": f"user{n}-{tag}@example.org", "password": "Summer2026!"}) for n in range(31)
        ]
        assert [answer.status_code for answer in answers] == [401] * 30 + [429]
        assert "your address" in answers[-1].json()["detail"] and int(answers[-1].headers["Retry-After"]) >= 1
        email = await _account(gateway)
        assert (await sprayer.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 429
        assert (await neighbour.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 200


async def test_the_counts_are_shared_by_every_gateway_process_through_the_store(gateway):
    email = await _account(gateway)
    async with _from(gateway, "10.4.0.1") as client:
        for n in range(3):
            assert (await client.post("/api/auth/login", json={"email": email, "password": f"guess {n} wrong"})).status_code == 401
    settings = gateway.app.state.settings
    another_process = LoginThrottle(
        MongoWindowCounters(gateway.app.state.runtime.db),
        per_email=settings.login_failures_per_email, per_address=settings.login_failures_per_address,
    )
    await another_process.failed(email=email, address="10.4.0.9")
    await another_process.failed(email=email, address="10.4.0.9")
    async with _from(gateway, "10.4.0.1") as client:
        assert (await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})).status_code == 429
