"""What the handlers need from the outside world; Mongo adapters implement these
for the service, in-memory fakes for unit tests."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from uuid import uuid4

from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord
from services.contacts.domain.grid import Criteria, Cursor, SortOrder
from services.contacts.domain.tags import TagLimits
from shared.events import Envelope


class ContactRepository(Protocol):
    async def add(self, contact: Contact, events: list[Envelope]) -> None:
        """Insert a new contact together with its events (one write)."""

    async def get(self, account_id: str, contact_id: str) -> Contact | None:
        """The live (not deleted) contact of this account, or None."""

    async def save(self, contact: Contact, *, expected_revision: int, events: list[Envelope]) -> bool:
        """Write the contact and its events if it is still at `expected_revision`."""

    async def ids_with_number(self, account_id: str, e164: str) -> list[str]:
        """Live contacts of the account with a phone of this number."""

    async def page(
        self, account_id: str, criteria: Criteria, order: SortOrder, *, after: Cursor | None, limit: int
    ) -> list[Contact]:
        """Live contacts matching `criteria` in `order`, after `after`."""

    async def count(self, account_id: str, criteria: Criteria) -> int:
        """How many live contacts match."""

    async def select_ids(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int) -> list[str]:
        """Ids of matching live contacts in ascending id order, after `after`."""

    async def in_id_order(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int) -> list[Contact]:
        """Matching live contacts in ascending id order, after `after`."""


class TagRegistry(Protocol):
    """The account's custom tags (name, colour) as shown in the tag picker."""

    async def ensure(self, account_id: str, names: list[str], *, now: datetime, limit: int | None = None) -> None:
        """Register tags in use that are not known yet (no colour); with `limit`, refuse
        (TagLimitReached) tags that would take the account past it."""

    async def canonical(self, account_id: str, names: list[str]) -> dict[str, str]:
        """Each name as the account spells it (tags differ in more than case)."""

    async def count(self, account_id: str) -> int:
        """How many custom tags the account has."""

    async def ensure_within(self, account_id: str, names: list[str], *, now: datetime, limit: int) -> set[str]:
        """Register the missing names while the account has room; the names it now has."""


class AccountSettingsStore(Protocol):
    async def phone_region(self, account_id: str) -> str | None:
        """The account's default region for numbers typed without a country code."""

    async def set_phone_region(self, account_id: str, region: str) -> None: ...


class OptOutRegistry(Protocol):
    """Per account and number, whether the person unsubscribed; survives the number
    being removed from a contact and added again, or added to a new contact."""

    async def opted_out(self, account_id: str, numbers: list[str]) -> dict[str, OptOutRecord]: ...

    async def record(self, account_id: str, e164: str, *, opt_out: OptOutRecord | None, event_time: datetime) -> None:
        """Remember the newest keyword/carrier decision (`opt_out` None means subscribed)."""


def now_in_milliseconds() -> datetime:
    """MongoDB keeps milliseconds; so do we, so that what we return is what we stored."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_id() -> str:
    return uuid4().hex


def new_phone_id() -> str:
    return uuid4().hex[:16]


class _NoTagRegistry:
    async def ensure(self, account_id: str, names: list[str], *, now: datetime, limit: int | None = None) -> None:
        return None

    async def canonical(self, account_id: str, names: list[str]) -> dict[str, str]:
        return {name: name for name in names}

    async def count(self, account_id: str) -> int:
        return 0

    async def ensure_within(self, account_id: str, names: list[str], *, now: datetime, limit: int) -> set[str]:
        return set(names)


class _NoAccountSettings:
    def __init__(self) -> None:
        self.regions: dict[str, str] = {}

    async def phone_region(self, account_id: str) -> str | None:
        return self.regions.get(account_id)

    async def set_phone_region(self, account_id: str, region: str) -> None:
        self.regions[account_id] = region


@dataclass
class Ports:
    contacts: ContactRepository
    opt_outs: OptOutRegistry
    default_region: str = "US"
    tags: TagRegistry = field(default_factory=_NoTagRegistry)
    accounts: AccountSettingsStore = field(default_factory=_NoAccountSettings)
    clock: Callable[[], datetime] = now_in_milliseconds
    new_contact_id: Callable[[], str] = new_id
    new_phone_id: Callable[[], str] = new_phone_id
    tag_limits: TagLimits = field(default_factory=TagLimits)


async def region_of(ports: Ports, account_id: str) -> str:
    """The account's phone region, else the service default."""
    return await ports.accounts.phone_region(account_id) or ports.default_region


async def canonical_tag(ports: Ports, account_id: str, name: str) -> str:
    return (await ports.tags.canonical(account_id, [name]))[name]
