"""What the handlers need from the outside world; Mongo adapters implement these
for the service, in-memory fakes for unit tests."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import uuid4

from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord
from services.contacts.domain.search import Position, SearchTerms
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
        self, account_id: str, *, terms: SearchTerms, tag: str | None, after: Position | None, limit: int
    ) -> list[Contact]:
        """Live contacts in (last name, first name, id) order, after `after`."""


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


@dataclass
class Ports:
    contacts: ContactRepository
    opt_outs: OptOutRegistry
    default_region: str = "US"
    clock: Callable[[], datetime] = now_in_milliseconds
    new_contact_id: Callable[[], str] = new_id
    new_phone_id: Callable[[], str] = new_phone_id
