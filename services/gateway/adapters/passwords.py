"""Password hashing with argon2id, and judging a new password, off the event loop and a bounded
number at a time.

An argon2 hash costs tens of milliseconds of CPU by design: done on the event loop, 60
concurrent wrong logins would stall every other request of the process. Each hash runs in a
worker thread (argon2 releases the GIL), and a semaphore sized from settings holds the rest
waiting, so hashing takes at most that many cores however many logins arrive at once. Judging
a new password's strength (pure Python, up to ~15 ms) takes the same slots."""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.gateway.domain import password_policy


def hash_password(password: str) -> str:
    """A hash made at once, on the caller's thread: for start-up, never for a request."""
    return PasswordHasher().hash(password)


class PasswordHashing:
    def __init__(self, concurrency: int, hasher: PasswordHasher | None = None) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._hasher = hasher or PasswordHasher()

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def matches(self, password_hash: str, password: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(self._verified, password_hash, password)

    async def weakness(self, password: str, *, personal: list[str]) -> str | None:
        """Why a new password is refused, or None: see password_policy."""
        async with self._slots:
            return await asyncio.to_thread(password_policy.weakness, password, personal=personal)

    def _verified(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
