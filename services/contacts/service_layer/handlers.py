"""The contacts use cases: plain async functions, a command in, ports as arguments.
Every change is written together with its events (outbox) in one document write."""

from collections.abc import Callable
from dataclasses import dataclass

from services.contacts.domain.commands import (
    CreateContact,
    DeleteContact,
    ListContacts,
    RecordOptIn,
    RecordOptOut,
    TagContact,
    UntagContact,
    UpdateContact,
)
from services.contacts.domain.errors import ContactBusy, ContactNotFound, InvalidContact, RevisionConflict
from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord, ParsedPhoneInput, parse_phone_inputs
from services.contacts.domain.search import Position, parse_query, sort_keys
from services.contacts.domain.tags import normalize_tag
from services.contacts.service_layer.ports import Ports
from shared.events import Envelope

MAX_ATTEMPTS = 8
MAX_PAGE = 200


@dataclass(frozen=True)
class ContactPage:
    items: list[Contact]
    next_cursor: str | None


async def create_contact(command: CreateContact, *, ports: Ports) -> Contact:
    """Create a contact and its `contact.created` event."""
    tags = [normalize_tag(tag, field=f"tags.{index}") for index, tag in enumerate(command.tags)]
    phones = parse_phone_inputs(command.phones, region=ports.default_region)
    contact = Contact.create(
        contact_id=ports.new_contact_id(),
        account_id=command.account_id,
        first_name=command.first_name,
        last_name=command.last_name,
        emails=command.emails,
        address=command.address,
        phones=phones,
        tags=tags,
        custom_fields=command.custom_fields,
        owner_user_id=command.owner_user_id,
        notes=command.notes,
        opted_out=await _opted_out(ports, command.account_id, phones),
        new_phone_id=ports.new_phone_id,
        actor=command.actor,
        now=ports.clock(),
    )
    await ports.contacts.add(contact, _envelopes(contact))
    return contact


async def get_contact(account_id: str, contact_id: str, *, ports: Ports) -> Contact:
    """The caller's account's contact, or ContactNotFound (also for other accounts' ids)."""
    contact = await ports.contacts.get(account_id, contact_id)
    if contact is None:
        raise ContactNotFound(contact_id)
    return contact


async def update_contact(command: UpdateContact, *, ports: Ports) -> Contact:
    """Partial update; emits `contact.updated` naming the changed fields, or nothing."""
    phones = None
    opted_out: dict[str, OptOutRecord] = {}
    if command.phones is not None:
        phones = parse_phone_inputs(command.phones, region=ports.default_region)
        opted_out = await _opted_out(ports, command.account_id, phones)

    def edit(contact: Contact) -> None:
        if command.expected_revision is not None and contact.revision != command.expected_revision:
            raise RevisionConflict(command.expected_revision, contact.revision)
        contact.edit(
            command.changes,
            phones=phones,
            opted_out=opted_out,
            new_phone_id=ports.new_phone_id,
            actor=command.actor,
            now=ports.clock(),
        )

    return await _change(ports, command.account_id, command.contact_id, edit)


async def delete_contact(command: DeleteContact, *, ports: Ports) -> None:
    """Soft delete: the contact disappears from reads; `contact.deleted` is emitted."""
    await _change(
        ports, command.account_id, command.contact_id, lambda contact: contact.delete(actor=command.actor, now=ports.clock())
    )


async def tag_contact(command: TagContact, *, ports: Ports) -> Contact:
    """Add a tag; tagging twice changes and emits nothing the second time."""
    tag = normalize_tag(command.tag)
    return await _change(
        ports,
        command.account_id,
        command.contact_id,
        lambda contact: contact.tag(
            tag, phone_id=command.phone_id, consent=command.consent, actor=command.actor, now=ports.clock()
        ),
    )


async def untag_contact(command: UntagContact, *, ports: Ports) -> Contact:
    """Remove a tag; removing an absent tag changes and emits nothing."""
    tag = normalize_tag(command.tag)
    return await _change(
        ports,
        command.account_id,
        command.contact_id,
        lambda contact: contact.untag(tag, phone_id=command.phone_id, actor=command.actor, now=ports.clock()),
    )


async def list_contacts(query: ListContacts, *, ports: Ports) -> ContactPage:
    """A page of live contacts, by name or phone digits and tag, in name order."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise InvalidContact.of("limit", f"limit is 1 to {MAX_PAGE}")
    terms = parse_query(query.q)
    tag = normalize_tag(query.tag) if query.tag is not None else None
    after = Position.decode(query.cursor) if query.cursor else None
    found = await ports.contacts.page(query.account_id, terms=terms, tag=tag, after=after, limit=query.limit + 1)
    items = found[: query.limit]
    next_cursor = None
    if len(found) > query.limit:
        last = items[-1]
        last_key, first_key = sort_keys(last.first_name, last.last_name)
        next_cursor = Position(last_key, first_key, last.contact_id).encode()
    return ContactPage(items, next_cursor)


async def record_opt_out(command: RecordOptOut, *, ports: Ports) -> int:
    """Every live contact phone of the account with that number is opted out; returns
    how many contacts changed (0 when the event was already applied)."""
    opt_out = OptOutRecord(source=command.source, at=command.event_time, keyword=command.keyword)
    await ports.opt_outs.record(command.account_id, command.e164, opt_out=opt_out, event_time=command.event_time)
    return await _for_each_contact_with(
        ports,
        command.account_id,
        command.e164,
        lambda contact: contact.record_opt_out(
            e164=command.e164,
            source=command.source,
            keyword=command.keyword,
            event_id=command.event_id,
            event_time=command.event_time,
            now=ports.clock(),
        ),
    )


async def record_opt_in(command: RecordOptIn, *, ports: Ports) -> int:
    """The person re-subscribed by keyword: their phones with that number are opted in."""
    await ports.opt_outs.record(command.account_id, command.e164, opt_out=None, event_time=command.event_time)
    return await _for_each_contact_with(
        ports,
        command.account_id,
        command.e164,
        lambda contact: contact.record_opt_in(
            e164=command.e164,
            keyword=command.keyword,
            event_id=command.event_id,
            event_time=command.event_time,
            now=ports.clock(),
        ),
    )


# ----- helpers ---------------------------------------------------------------------------


async def _for_each_contact_with(ports: Ports, account_id: str, e164: str, apply: Callable[[Contact], object]) -> int:
    changed = 0
    for contact_id in await ports.contacts.ids_with_number(account_id, e164):
        try:
            _, did_change = await _apply(ports, account_id, contact_id, apply)
        except ContactNotFound:
            continue  # deleted meanwhile
        changed += did_change
    return changed


async def _change(ports: Ports, account_id: str, contact_id: str, apply: Callable[[Contact], object]) -> Contact:
    contact, _ = await _apply(ports, account_id, contact_id, apply)
    return contact


async def _apply(
    ports: Ports, account_id: str, contact_id: str, apply: Callable[[Contact], object]
) -> tuple[Contact, bool]:
    """Load, change, and write back only if nobody changed it meanwhile (compare on
    revision); on a clash, start again from the newer version. A change that records
    no event is no change at all and writes nothing."""
    for _ in range(MAX_ATTEMPTS):
        contact = await ports.contacts.get(account_id, contact_id)
        if contact is None:
            raise ContactNotFound(contact_id)
        revision = contact.revision
        apply(contact)
        events = _envelopes(contact)
        if not events:
            return contact, False
        if await ports.contacts.save(contact, expected_revision=revision, events=events):
            return contact, True
    raise ContactBusy(contact_id)


def _envelopes(contact: Contact) -> list[Envelope]:
    return [
        Envelope.wrap(data, account_id=contact.account_id, subject=contact.contact_id) for data in contact.pull_events()
    ]


async def _opted_out(ports: Ports, account_id: str, phones: list[ParsedPhoneInput]) -> dict[str, OptOutRecord]:
    if not phones:
        return {}
    return await ports.opt_outs.opted_out(account_id, [item.parsed.e164 for item in phones])

