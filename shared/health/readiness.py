"""Whether a process can reach Kafka and its store, checked cheaply: each check is bounded by a
short timeout and its answer kept for a moment, so probes at any rate cost one look per interval."""

import asyncio
import time
from collections.abc import Awaitable, Callable

Check = Callable[[], Awaitable[bool]]


class Readiness:
    def __init__(self, checks: dict[str, Check], *, timeout_seconds: float = 1.0, keep_seconds: float = 2.0) -> None:
        self._checks = checks
        self._timeout = timeout_seconds
        self._keep = keep_seconds
        self._answer: dict[str, bool] = {}
        self._answered_at = float("-inf")
        self._lock = asyncio.Lock()

    async def report(self) -> dict[str, bool]:
        """Each dependency by name: reachable or not (the last answer, if it is fresh enough)."""
        async with self._lock:
            if time.monotonic() - self._answered_at >= self._keep:
                results = await asyncio.gather(*(self._bounded(check) for check in self._checks.values()))
                self._answer = dict(zip(self._checks, results))
                self._answered_at = time.monotonic()
            return dict(self._answer)

    async def _bounded(self, check: Check) -> bool:
        try:
            return bool(await asyncio.wait_for(check(), timeout=self._timeout))
        except Exception:
            return False


def mongo_check(client) -> Check:
    async def store_answers() -> bool:
        await client.admin.command("ping")
        return True

    return store_answers


def kafka_check(broker, timeout_seconds: float = 1.0) -> Check:
    async def kafka_answers() -> bool:
        return await broker.ping(timeout=timeout_seconds)

    return kafka_answers
