"""The contacts use cases: plain async functions, a command in, ports as arguments.
Every change is written together with its events (outbox) in one document write."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from services.contacts.domain.commands import (
    ApplyCannedReplyActions,
    CreateContact,
    RecordActivity,
    TagMany,
    DeleteContact,
    ListContacts,
    RecordOptIn,
    RecordOptOut,
    TagContact,
    UntagContact,
    UpdateContact,
)
from services.contacts.domain.errors import ConsentConflict, ContactBusy, ContactNotFound, InvalidContact, RevisionConflict
from services.contacts.domain.model import Actor, Consent, Contact
from services.contacts.domain.phones import OptOutRecord, ParsedPhoneInput, parse_phone_inputs
from services.contacts.domain.grid import ContactFilter, Cursor, criteria_of, position_of, sort_order
from services.contacts.domain.tags import (
    OPT_IN,
    PHONE_TAGS,
    SYSTEM_TAGS,
    TagLimitReached,
    custom_tags,
    normalize_tag,
    refuse_past_contact_limit,
)
from services.contacts.domain.grid import Criteria
from services.contacts.service_layer.ports import Ports, canonical_tag, region_of
from shared.events import Envelope

MAX_ATTEMPTS = 8
MAX_PAGE = 200
MAX_SELECTION_PAGE = 5000


@dataclass(frozen=True)
class ContactPage:
    items: list[Contact]
    next_cursor: str | None


async def create_contact(command: CreateContact, *, ports: Ports) -> Contact:
    """Create a contact and its `contact.created` event."""
    tags = [normalize_tag(tag, field=f"tags.{index}") for index, tag in enumerate(command.tags)]
    spelled = await ports.tags.canonical(command.account_id, tags)
    tags = [spelled[tag] for tag in tags]
    refuse_past_contact_limit([], tags, allowed=ports.tag_limits.per_contact)
    phones = parse_phone_inputs(command.phones, region=await region_of(ports, command.account_id))
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
    await ports.tags.ensure(command.account_id, custom_tags(contact.tags), now=ports.clock(), limit=ports.tag_limits.per_account)
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
        phones = parse_phone_inputs(command.phones, region=await region_of(ports, command.account_id))
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
    tag = await canonical_tag(ports, command.account_id, normalize_tag(command.tag))
    if tag not in SYSTEM_TAGS:
        await ports.tags.ensure(command.account_id, [tag], now=ports.clock(), limit=ports.tag_limits.per_account)

    def add(contact: Contact) -> bool:
        refuse_past_contact_limit(contact.tags, [tag], allowed=ports.tag_limits.per_contact)
        return contact.tag(tag, phone_id=command.phone_id, consent=command.consent, actor=command.actor, now=ports.clock())

    return await _change(ports, command.account_id, command.contact_id, add)


async def untag_contact(command: UntagContact, *, ports: Ports) -> Contact:
    """Remove a tag; removing an absent tag changes and emits nothing."""
    tag = await canonical_tag(ports, command.account_id, normalize_tag(command.tag))
    return await _change(
        ports,
        command.account_id,
        command.contact_id,
        lambda contact: contact.untag(tag, phone_id=command.phone_id, actor=command.actor, now=ports.clock()),
    )


async def list_contacts(query: ListContacts, *, ports: Ports) -> ContactPage:
    """A page of the grid: live contacts matching the filter, in the chosen order."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise InvalidContact.of("limit", f"limit is 1 to {MAX_PAGE}")
    criteria = await resolve_filter(ports, query.account_id, query.filter)
    order = sort_order(query.sort)
    after = Cursor.decode(query.cursor, order) if query.cursor else None
    found = await ports.contacts.page(query.account_id, criteria, order, after=after, limit=query.limit + 1)
    items = found[: query.limit]
    next_cursor = position_of(items[-1], order).encode() if len(found) > query.limit else None
    return ContactPage(items, next_cursor)


async def count_contacts(account_id: str, selection: ContactFilter, *, ports: Ports) -> int:
    """How many live contacts of the account match the filter."""
    return await ports.contacts.count(account_id, await resolve_filter(ports, account_id, selection))


async def select_ids(
    account_id: str, selection: ContactFilter, *, after: str | None, limit: int, ports: Ports
) -> tuple[list[str], str | None]:
    """One page of a "select all matching" selection, in ascending id order, and the id
    to continue after (None when done)."""
    if not 1 <= limit <= MAX_SELECTION_PAGE:
        raise InvalidContact.of("limit", f"limit is 1 to {MAX_SELECTION_PAGE}")
    criteria = await resolve_filter(ports, account_id, selection)
    ids = await ports.contacts.select_ids(account_id, criteria, after=after, limit=limit + 1)
    page = ids[:limit]
    return page, page[-1] if len(ids) > limit else None


async def each_selected(account_id: str, selection: ContactFilter, *, ports: Ports, batch: int = 500):
    """Every matching contact id, a page at a time (for bulk actions and exports)."""
    after = None
    while True:
        ids, after = await select_ids(account_id, selection, after=after, limit=batch, ports=ports)
        for contact_id in ids:
            yield contact_id
        if after is None:
            return


@dataclass(frozen=True)
class BulkOutcome:
    matched: int
    changed: int
    not_found: list[str]
    at_tag_limit: int = 0


async def tag_many(command: TagMany, *, ports: Ports) -> BulkOutcome:
    """Tag or untag every contact of a selection (ids, or a grid filter); each contact
    that changes emits its own contact.tagged / contact.untagged."""
    tag = await canonical_tag(ports, command.account_id, normalize_tag(command.tag))
    if tag in PHONE_TAGS:
        raise InvalidContact.of("tag", f"'{tag}' is about one phone; tag phones one contact at a time")
    if (command.contact_ids is None) == (command.filter is None):
        raise InvalidContact.of("contact_ids", "give either contact_ids or filter")
    if not command.untag and tag not in SYSTEM_TAGS:
        await ports.tags.ensure(command.account_id, [tag], now=ports.clock(), limit=ports.tag_limits.per_account)

    def apply(contact: Contact) -> object:
        if command.untag:
            return contact.untag(tag, phone_id=None, actor=command.actor, now=ports.clock())
        refuse_past_contact_limit(contact.tags, [tag], allowed=ports.tag_limits.per_contact)
        return contact.tag(tag, phone_id=None, consent=None, actor=command.actor, now=ports.clock())

    matched = changed = at_limit = 0
    not_found = []
    async for contact_id in _ids_of(command, ports):
        try:
            _, did_change = await _apply(ports, command.account_id, contact_id, apply)
        except ContactNotFound:
            not_found.append(contact_id)
            continue
        except TagLimitReached:
            at_limit += 1  # the rest of the selection is still tagged
            continue
        matched += 1
        changed += did_change
    return BulkOutcome(matched, changed, not_found, at_limit)


async def _ids_of(command: TagMany, ports: Ports):
    if command.contact_ids is not None:
        for contact_id in dict.fromkeys(command.contact_ids):
            yield contact_id
    else:
        # Pages follow the id, so contacts this action moves in or out of the selection
        # are neither skipped nor visited twice.
        async for contact_id in each_selected(command.account_id, command.filter, ports=ports):
            yield contact_id


async def record_activity(command: RecordActivity, *, ports: Ports) -> bool:
    """Put a text, reply or call on the contact's timeline, once per event."""
    for _ in range(MAX_ATTEMPTS):
        contact = await ports.contacts.get(command.account_id, command.contact_id)
        if contact is None:
            return False  # deleted, or not ours
        revision = contact.revision
        at = command.at.replace(microsecond=command.at.microsecond // 1000 * 1000)
        if not contact.record_activity(
            command.kind, by_user_id=command.by_user_id, event_id=f"{command.kind}:{command.event_id}", at=at, detail=command.detail,
            now=ports.clock(),
        ):
            return False
        if await ports.contacts.save(contact, expected_revision=revision, events=[]):
            return True
    raise ContactBusy(command.contact_id)


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


async def apply_canned_reply_actions(command: ApplyCannedReplyActions, *, ports: Ports) -> list[str]:
    """Tag the contact and record the consent a sent saved reply carries, as its sender; each
    change once however often the event comes. Returns what could not be applied, and why."""
    actor = Actor(user_id=command.user_id, source="user")
    changes = [TagContact(command.account_id, command.contact_id, actor, tag) for tag in command.add_tags]
    if command.opt_in_method:
        consent = Consent(method=command.opt_in_method, note=command.opt_in_note)
        changes += [
            TagContact(command.account_id, command.contact_id, actor, OPT_IN, phone_id=phone_id, consent=consent)
            for phone_id in command.phone_ids
        ]
    refused = []
    for change in changes:
        try:
            await tag_contact(change, ports=ports)
        except ContactNotFound:
            return [f"contact {command.contact_id} is gone"]
        except (InvalidContact, ConsentConflict, TagLimitReached) as error:
            refused.append(f"{change.tag}: {error}")
    return refused


# ----- helpers ---------------------------------------------------------------------------


async def resolve_filter(ports: Ports, account_id: str, selection: ContactFilter) -> Criteria:
    """The filter checked, its tags spelled as the account spells them."""
    criteria = criteria_of(selection)
    names = [*criteria.tags_all, *criteria.tags_any, *criteria.tags_none]
    spelled = await ports.tags.canonical(account_id, names)
    return replace(
        criteria,
        tags_all=tuple(spelled[tag] for tag in criteria.tags_all),
        tags_any=tuple(spelled[tag] for tag in criteria.tags_any),
        tags_none=tuple(spelled[tag] for tag in criteria.tags_none),
    )


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

