"""Password hashing is bounded: however many logins arrive at once, at most the configured
number of argon2 hashes run, off the event loop, so other requests keep being answered."""

import asyncio
import threading
import uuid

import httpx
from argon2 import PasswordHasher

from tests.gateway.conftest import PUBLIC_URL
from tests.support.accounts import sign_up_and_sign_in


class CountingHasher(PasswordHasher):
    """argon2 as configured, counting how many hashes run at the same moment."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.running = self.peak = self.calls = 0

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        with self._lock:
            self.running += 1
            self.calls += 1
            self.peak = max(self.peak, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


def _from(app, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url=PUBLIC_URL, timeout=120)


async def test_60_concurrent_wrong_logins_hash_at_most_the_configured_number_at_once_and_me_still_answers(gateway):
    tag = uuid.uuid4().hex[:10]
    session = await sign_up_and_sign_in(gateway, {
        "account_name": f"Campaign {tag}", "name": "Sam", "email": f"sam-{tag}@example.org", "password": "correct horse battery staple",
    })
    me_headers = {"Authorization": f"Bearer {session['access_token']}"}
    app = gateway.app
    passwords = app.state.passwords
    counting, original = CountingHasher(), passwords._hasher
    passwords._hasher = counting
    clients = [_from(app, f"10.60.{n}.1") for n in range(60)]
    try:
        logins = [
            asyncio.create_task(client.post("/api/auth/login", json={"email": f"nobody-{n}-{tag}@example.org", "password": "wrong password!!"}))
            for n, client in enumerate(clients)
        ]
        answered_during = []
        while not all(login.done() for login in logins):
            me = await gateway.get("/api/me", headers=me_headers)
            assert me.status_code == 200
            if not all(login.done() for login in logins):
                answered_during.append(me)
        results = await asyncio.gather(*logins)
    finally:
        passwords._hasher = original
        for client in clients:
            await client.aclose()
    assert [result.status_code for result in results] == [401] * 60
    assert counting.calls == 60
    assert counting.peak <= app.state.settings.password_hashing_concurrency
    assert len(answered_during) >= 3, "GET /api/me was not answered while the logins were being checked"
