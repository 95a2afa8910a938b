"""Unit tests of the contacts handlers over in-memory ports."""

from datetime import UTC, datetime

import pytest

from services.contacts.domain.grid import ContactFilter
from services.contacts.domain.commands import (
    CreateContact,
    DeleteContact,
    ListContacts,
    RecordOptIn,
    RecordOptOut,
    TagContact,
    UpdateContact,
)
from services.contacts.domain.errors import ContactNotFound, InvalidContact, RevisionConflict
from services.contacts.domain.model import Actor
from services.contacts.domain.phones import PhoneInput
from services.contacts.service_layer import handlers
from tests.contacts.fakes import fake_ports

USER = Actor(user_id="u1")
STOP_TIME = datetime(2026, 2, 1, tzinfo=UTC)


async def create(ports, account="acc", first="Ada", last="Lovelace", phones=("2025550123",), **extra):
    command = CreateContact(
        account_id=account, actor=USER, first_name=first, last_name=last,
        phones=[PhoneInput(number, type="cell") for number in phones], **extra,
    )
    return await handlers.create_contact(command, ports=ports)


async def test_create_writes_the_contact_with_its_created_event_keyed_by_contact():
    ports = fake_ports()
    contact = await create(ports)
    [event] = ports.contacts.events()
    assert event.type == "contact.created" and event.subject == contact.contact_id and event.account_id == "acc"
    assert event.data.contact.phones[0].e164 == "+12025550123"


async def test_other_accounts_never_see_or_change_a_contact():
    ports = fake_ports()
    contact = await create(ports)
    with pytest.raises(ContactNotFound):
        await handlers.get_contact("other", contact.contact_id, ports=ports)
    with pytest.raises(ContactNotFound):
        await handlers.tag_contact(
            TagContact(account_id="other", contact_id=contact.contact_id, actor=USER, tag="x"), ports=ports
        )
    with pytest.raises(ContactNotFound):
        await handlers.delete_contact(DeleteContact(account_id="other", contact_id=contact.contact_id, actor=USER), ports=ports)


async def test_an_edit_against_a_stale_revision_is_refused():
    ports = fake_ports()
    contact = await create(ports)
    command = UpdateContact(account_id="acc", contact_id=contact.contact_id, actor=USER,
                            changes={"notes": "x"}, expected_revision=0)
    with pytest.raises(RevisionConflict):
        await handlers.update_contact(command, ports=ports)


async def test_a_concurrent_write_is_retried_on_the_newer_version_not_overwritten():
    ports = fake_ports()
    contact = await create(ports)

    async def someone_else_tags():
        ports.contacts.interfere_before_save = None
        await handlers.tag_contact(
            TagContact(account_id="acc", contact_id=contact.contact_id, actor=USER, tag="Volunteer"), ports=ports
        )

    ports.contacts.interfere_before_save = someone_else_tags
    updated = await handlers.update_contact(
        UpdateContact(account_id="acc", contact_id=contact.contact_id, actor=USER, changes={"notes": "hello"}),
        ports=ports,
    )
    assert updated.tags == ["Volunteer"] and updated.notes == "hello" and updated.revision == 3
    assert [event.data.contact.revision for event in ports.contacts.events()] == [1, 2, 3]


async def test_invalid_input_writes_nothing():
    ports = fake_ports()
    with pytest.raises(InvalidContact):
        await create(ports, phones=("2025550123", "nope"))
    assert ports.contacts.documents == {} and ports.contacts.events() == []


async def test_stop_opts_out_every_contact_with_the_number_once_and_new_contacts_inherit_it():
    ports = fake_ports()
    first = await create(ports)
    second = await create(ports, first="Charles", last="Babbage", phones=("4155552671", "(202) 555-0123"))
    elsewhere = await create(ports, account="other")
    stop = RecordOptOut(account_id="acc", e164="+12025550123", source="keyword", keyword="STOP",
                        event_id="evt-1", event_time=STOP_TIME)
    assert await handlers.record_opt_out(stop, ports=ports) == 2
    assert await handlers.record_opt_out(stop, ports=ports) == 0, "a redelivered event changes nothing"
    assert len(ports.contacts.events("contact.opted_out")) == 2
    assert not (await handlers.get_contact("other", elsewhere.contact_id, ports=ports)).phones[0].opted_out
    assert (await handlers.get_contact("acc", second.contact_id, ports=ports)).phones[1].opted_out
    assert (await handlers.get_contact("acc", first.contact_id, ports=ports)).phones[0].opt_out.keyword == "STOP"

    later = await create(ports, first="Grace", last="Hopper", phones=("+1 202 555 0123",))
    assert later.phones[0].opted_out and later.phones[0].opt_out.source == "keyword"

    start = RecordOptIn(account_id="acc", e164="+12025550123", keyword="START", event_id="evt-2",
                        event_time=STOP_TIME.replace(day=2))
    assert await handlers.record_opt_in(start, ports=ports) == 3
    newest = await create(ports, first="Alan", last="Turing", phones=("2025550123",))
    assert not newest.phones[0].opted_out


async def test_pages_follow_name_order_and_filters():
    ports = fake_ports()
    for first, last in [("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper"), ("Anita", "Borg"), ("Adele", "Goldberg")]:
        await create(ports, first=first, last=last, phones=())
    names, cursor = [], None
    while True:
        page = await handlers.list_contacts(ListContacts(account_id="acc", limit=2, cursor=cursor), ports=ports)
        names += [contact.last_name for contact in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert names == ["Borg", "Goldberg", "Hopper", "Lovelace", "Turing"]
    page = await handlers.list_contacts(ListContacts(account_id="acc", filter=ContactFilter(q="a")), ports=ports)
    assert [contact.first_name for contact in page.items] == ["Anita", "Adele", "Ada", "Alan"]
    with pytest.raises(InvalidContact):
        await handlers.list_contacts(ListContacts(account_id="acc", limit=0), ports=ports)
