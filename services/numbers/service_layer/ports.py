"""What the handlers need from the outside world, as protocols with a real adapter and a fake."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.numbers.domain.geography import NumberSearch
from services.numbers.domain.lines import Candidate, Line, Purchase
from shared.events import Envelope


class CarrierError(Exception):
    """The carrier refused or could not be reached; the attempt may be retried later."""


class NumberUnavailable(CarrierError):
    """The number was bought by someone else (or never was for sale)."""


@dataclass(frozen=True)
class OwnedNumber:
    phone_number: str
    carrier_sid: str
    friendly_name: str = ""


class Carrier(Protocol):
    async def search(self, search: NumberSearch, *, limit: int) -> list[str]:
        """E.164 numbers for sale that match `search` and take both texts and calls."""

    async def find_owned(self, phone_number: str) -> OwnedNumber | None:
        """The number if our carrier account already owns it."""

    async def buy(self, phone_number: str, *, friendly_name: str) -> OwnedNumber:
        """Buy `phone_number` with its texts and calls pointed at the gateway."""


@dataclass(frozen=True)
class UserRecord:
    account_id: str
    user_id: str
    email: str
    name: str
    role: str
    primary_cell: str | None
    primary_cell_area_code: str | None
    active: bool
    eager_number_purchase: bool


class UsersView(Protocol):
    async def save(self, user: UserRecord, *, as_of: datetime) -> bool:
        """Keep `user` unless a newer revision is stored; True if it was kept."""

    async def get(self, account_id: str, user_id: str) -> UserRecord | None: ...

    async def in_account(self, account_id: str) -> dict[str, UserRecord]: ...


class Lines(Protocol):
    async def claim(self, *, account_id: str, user_id: str, reason: str, now: datetime) -> Line:
        """Create the user's line if it does not exist; return it either way."""

    async def take(self, line_id: str, *, worker: str, now: datetime, until: datetime) -> Line | None:
        """Lease a workable line to `worker`; None if it is done or leased by another."""

    async def choose_candidate(self, line_id: str, *, worker: str, candidate: Candidate | None, now: datetime) -> bool:
        """Record the number about to be bought; False if `worker` lost its lease."""

    async def activate(
        self,
        line_id: str,
        *,
        worker: str,
        purchase: Purchase,
        number_id: str,
        area_code: str,
        now: datetime,
        events: list[Envelope],
    ) -> bool:
        """Record the bought number and its event; False if `worker` lost its lease."""

    async def fail(
        self, line_id: str, *, worker: str, error: str, next_attempt_at: datetime | None, now: datetime
    ) -> bool: ...

    async def await_user(self, line_id: str, *, worker: str, reason: str, now: datetime) -> bool: ...

    async def get(self, line_id: str) -> Line | None: ...

    async def due(self, *, now: datetime, stale_before: datetime, limit: int) -> list[Line]:
        """Failed lines whose retry is due, and purchases abandoned by a worker that died."""

    async def active_with_number(self, phone_number: str) -> Line | None: ...

    async def in_account(self, account_id: str, *, user_id: str | None = None) -> list[Line]: ...


@dataclass
class NumbersPorts:
    """Everything the handlers work with; built by bootstrap, faked in unit tests."""

    users: UsersView
    lines: Lines
    carrier: Carrier | None
    notify_written: Callable[[], None] = lambda: None
