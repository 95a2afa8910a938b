"""Password hashing with argon2id, off the event loop and a bounded number at a time.

An argon2 hash costs tens of milliseconds of CPU by design: done on the event loop, 60
concurrent wrong logins would stall every other request of the process. Each hash runs in a
worker thread (argon2 releases the GIL), and a semaphore sized from settings holds the rest
waiting, so hashing takes at most that many cores however many logins arrive at once."""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


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

    def _verified(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
