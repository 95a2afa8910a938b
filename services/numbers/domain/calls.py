"""Calls through a user's number: who is calling, who may be called, and how a call ended."""

from dataclasses import dataclass, field
from datetime import datetime

from shared.events.numbers import CallDirection

# Twilio's CallStatus values once a call is over.
FINAL_CALL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


@dataclass(frozen=True)
class ContactPhone:
    phone_id: str
    e164: str
    wrong_number: bool = False


@dataclass(frozen=True)
class ContactCard:
    """What numbers keeps of a contact (from contact.* events): enough to name a caller and to call them."""

    account_id: str
    contact_id: str
    name: str
    dnc: bool
    phones: tuple[ContactPhone, ...] = ()

    def phone(self, phone_id: str) -> ContactPhone | None:
        return next((phone for phone in self.phones if phone.phone_id == phone_id), None)

    def phone_with_number(self, e164: str) -> ContactPhone | None:
        return next((phone for phone in self.phones if phone.e164 == e164), None)


class CallRefused(Exception):
    """A click-to-call the product will not place; the message says why."""


def check_callable(contact: ContactCard, phone: ContactPhone) -> None:
    """Do Not Contact limits outreach and a wrong number reaches a stranger: neither is dialled."""
    if contact.dnc:
        raise CallRefused(f"{contact.name or 'this contact'} is tagged Do Not Contact")
    if phone.wrong_number:
        raise CallRefused(f"{phone.e164} is marked Wrong Number")


@dataclass
class CallRecord:
    """A click-to-call placed by the product, kept until its status callback says how it ended."""

    id: str
    account_id: str
    user_id: str
    contact_id: str
    phone_id: str
    their_number: str
    our_number: str
    user_phone: str
    direction: CallDirection = "outbound"
    call_sid: str | None = None
    outcome: str | None = None
    duration_seconds: int | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    extra: dict = field(default_factory=dict)


def duration_of(raw: str | None) -> int:
    try:
        return max(int(raw or 0), 0)
    except ValueError:
        return 0
