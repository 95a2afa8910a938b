"""Failed logins slow an attacker down: counted per email and per client address, each over
several windows at once (say 5 a minute, 20 an hour, 100 a day), so that a guesser waits a
minute, then an hour, then a day, while a user who mistypes twice notices nothing. Once a window
is full, every login for that email or from that address is refused with when to try again,
the right password included, and without spending a password hash on it."""

import math
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter

from services.gateway.domain.errors import LoginThrottled


class LoginThrottle:
    def __init__(self, storage: Storage, *, per_email: str, per_address: str) -> None:
        self._limiter = FixedWindowRateLimiter(storage)
        self._per_email = parse_many(per_email)
        self._per_address = parse_many(per_address)

    def _counters(self, email: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [(limit, "login-failures-email", email) for limit in self._per_email] + [
            (limit, "login-failures-address", address) for limit in self._per_address
        ]

    async def check(self, *, email: str, address: str) -> None:
        """Raise LoginThrottled while a window of this email or address is full."""
        waits = []
        for limit, scope, key in self._counters(email, address):
            if not await self._limiter.test(limit, scope, key):
                stats = await self._limiter.get_window_stats(limit, scope, key)
                waits.append((stats.reset_time - time.time(), scope))
        if waits:
            seconds, scope = max(waits)
            whose = "this email" if scope.endswith("email") else "your address"
            raise LoginThrottled(
                f"too many failed logins for {whose}: try again in {math.ceil(seconds)} s", retry_after=max(1, math.ceil(seconds))
            )

    async def failed(self, *, email: str, address: str) -> None:
        for limit, scope, key in self._counters(email, address):
            await self._limiter.hit(limit, scope, key)
