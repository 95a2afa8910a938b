"""What callers ask the contacts service to do (imperative), already parsed from
HTTP or Kafka but not yet checked against the rules."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.contacts.domain.grid import ContactFilter
from services.contacts.domain.model import Actor, Consent
from services.contacts.domain.phones import PhoneInput
from shared.events.contacts import OptSource


@dataclass(frozen=True)
class CreateContact:
    account_id: str
    actor: Actor
    first_name: str | None = None
    last_name: str | None = None
    emails: list[str] = field(default_factory=list)
    address: dict[str, str | None] | None = None
    phones: list[PhoneInput] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    owner_user_id: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class UpdateContact:
    """Only the fields present in `changes` change; `phones` replaces the list."""

    account_id: str
    contact_id: str
    actor: Actor
    changes: dict[str, Any]
    phones: list[PhoneInput] | None = None
    expected_revision: int | None = None


@dataclass(frozen=True)
class DeleteContact:
    account_id: str
    contact_id: str
    actor: Actor


@dataclass(frozen=True)
class TagContact:
    account_id: str
    contact_id: str
    actor: Actor
    tag: str
    phone_id: str | None = None
    consent: Consent | None = None


@dataclass(frozen=True)
class UntagContact:
    account_id: str
    contact_id: str
    actor: Actor
    tag: str
    phone_id: str | None = None


@dataclass(frozen=True)
class RecordOptOut:
    """A number of this account unsubscribed (STOP keyword or carrier error 21610)."""

    account_id: str
    e164: str
    source: OptSource
    event_id: str
    event_time: datetime
    keyword: str | None = None


@dataclass(frozen=True)
class RecordOptIn:
    """A number of this account re-subscribed by texting START."""

    account_id: str
    e164: str
    event_id: str
    event_time: datetime
    keyword: str | None = None


@dataclass(frozen=True)
class ListContacts:
    account_id: str
    filter: ContactFilter = field(default_factory=ContactFilter)
    sort: str | None = None
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class TagMany:
    """Tag (or untag) a selection: given ids, or every contact matching a grid filter."""

    account_id: str
    actor: Actor
    tag: str
    untag: bool = False
    contact_ids: list[str] | None = None
    filter: ContactFilter | None = None


@dataclass(frozen=True)
class RecordActivity:
    """A text, reply or call with the person, seen on another service's event."""

    account_id: str
    contact_id: str
    kind: str  # texted, replied, called
    event_id: str
    at: datetime
    by_user_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplyCannedReplyActions:
    """A saved reply was sent to the contact: its tags, and consent on the phones it went to."""

    account_id: str
    contact_id: str
    user_id: str
    add_tags: list[str]
    phone_ids: list[str]
    opt_in_method: str | None = None
    opt_in_note: str | None = None
