"""Unit tests of the contact rules (no I/O)."""

import random
import string
from datetime import UTC, datetime, timedelta

import pytest
from email_validator import EmailNotValidError, validate_email

from services.contacts.domain import fields
from services.contacts.domain.errors import ConsentConflict, InvalidContact
from services.contacts.domain.model import TIMELINE_LIMIT, Actor, Consent, Contact
from services.contacts.domain.phones import OptOutRecord, PhoneInput, parse_phone_inputs
from services.contacts.domain.grid import SORTS, Cursor
from services.contacts.domain.search import name_prefixes, parse_query, phone_digit_prefixes
from services.contacts.domain.tags import DO_NOT_CONTACT, OPT_IN, WRONG_NUMBER, normalize_tag

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
USER = Actor(user_id="user-1")
_ids = iter(range(1, 10**6))


def new_phone_id() -> str:
    return f"p{next(_ids)}"


def make_contact(*, phones=("2025550123",), first="Ada", last="Lovelace", tags=(), opted_out=None, **extra) -> Contact:
    contact = Contact.create(
        contact_id="c1",
        account_id="acc",
        first_name=first,
        last_name=last,
        emails=extra.get("emails", []),
        address=extra.get("address"),
        phones=parse_phone_inputs([PhoneInput(number, type="cell") for number in phones], region="US"),
        tags=list(tags),
        custom_fields=extra.get("custom_fields", {}),
        owner_user_id=None,
        notes=None,
        opted_out=opted_out or {},
        new_phone_id=new_phone_id,
        actor=USER,
        now=T0,
    )
    contact.pull_events()
    return contact


def problems(error: InvalidContact) -> dict[str, str]:
    return {problem.field: problem.problem for problem in error.problems}


# ----- creation and plain fields -------------------------------------------------------


def test_a_new_contact_is_at_revision_one_with_a_created_event_and_timeline_entry():
    contact = Contact.create(
        contact_id="c1", account_id="acc", first_name="  Ada ", last_name=None, emails=[], address=None, phones=[],
        tags=[], custom_fields={}, owner_user_id=None, notes=None, opted_out={}, new_phone_id=new_phone_id,
        actor=USER, now=T0,
    )
    [event] = contact.pull_events()
    assert contact.revision == 1 and event.contact.revision == 1
    assert event.event_type == "contact.created" and event.contact.first_name == "Ada"
    assert contact.owner_user_id == "user-1", "the creator owns the contact unless told otherwise"
    assert [(entry.kind, entry.by_user_id) for entry in contact.timeline] == [("created", "user-1")]


def test_a_contact_needs_a_first_or_last_name():
    with pytest.raises(InvalidContact) as caught:
        make_contact(first="  ", last="")
    assert set(problems(caught.value)) == {"first_name", "last_name"}
    assert make_contact(first="", last="Hopper").last_name == "Hopper"


def test_emails_are_validated_normalised_and_deduplicated():
    contact = make_contact(emails=["Ada@Example.COM", "ada@example.com", "ada@work.org"])
    assert contact.emails == ["Ada@example.com", "ada@work.org"]
    with pytest.raises(InvalidContact) as caught:
        make_contact(emails=["ok@example.com", "not-an-email"])
    assert list(problems(caught.value)) == ["emails.1"]


def test_zip_codes_are_checked_and_formatted():
    contact = make_contact(address={"street": " 1  Main St ", "city": "Springfield", "state": "il", "zip": "627011234"})
    assert contact.address == {"street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701-1234"}
    with pytest.raises(InvalidContact) as caught:
        make_contact(address={"zip": "ABCDE"})
    assert list(problems(caught.value)) == ["address.zip"]


def test_custom_field_names_may_not_be_mongo_operators_or_paths():
    with pytest.raises(InvalidContact) as caught:
        make_contact(custom_fields={"$where": 1, "a.b": 2, "ok": 3})
    assert set(problems(caught.value)) == {"custom_fields.$where", "custom_fields.a.b"}


# ----- phones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["2025550123", "(202) 555-0123", "202.555.0123", "+1 202-555-0123", "1-202-555-0123", "+12025550123"],
)
def test_phone_numbers_are_normalised_to_e164(typed):
    [item] = parse_phone_inputs([PhoneInput(typed)], region="US")
    assert item.parsed.e164 == "+12025550123"
    assert item.parsed.area_code == "202" and item.parsed.time_zone == "America/New_York"


def test_every_bad_phone_is_named_with_its_reason():
    with pytest.raises(InvalidContact) as caught:
        parse_phone_inputs([PhoneInput("2025550123"), PhoneInput("12345"), PhoneInput("")], region="US")
    found = problems(caught.value)
    assert set(found) == {"phones.1.number", "phones.2.number"}
    assert "not a valid phone number" in found["phones.1.number"]
    assert "empty" in found["phones.2.number"]


def test_the_same_number_twice_and_two_primaries_are_refused():
    with pytest.raises(InvalidContact) as caught:
        parse_phone_inputs(
            [PhoneInput("2025550123", primary=True), PhoneInput("(202) 555-0123"), PhoneInput("4155552671", primary=True)],
            region="US",
        )
    found = problems(caught.value)
    assert "phones.0" in found["phones.1.number"]
    assert "only one phone can be primary" == found["phones"]


def test_the_first_phone_is_primary_unless_one_is_marked():
    contact = make_contact(phones=("2025550123", "4155552671"))
    assert [phone.primary for phone in contact.phones] == [True, False]


def test_editing_phones_keeps_the_identity_and_flags_of_numbers_already_there():
    contact = make_contact(phones=("2025550123", "4155552671"))
    first, second = contact.phones
    contact.tag(WRONG_NUMBER, phone_id=second.phone_id, consent=None, actor=USER, now=T0)
    contact.pull_events()
    changed = contact.edit(
        {},
        phones=parse_phone_inputs(
            [PhoneInput("+1 415 555 2671", type="home"), PhoneInput("6175551234", type="cell")], region="US"
        ),
        opted_out={},
        new_phone_id=new_phone_id,
        actor=USER,
        now=T0,
    )
    kept, added = contact.phones
    assert kept.phone_id == second.phone_id and kept.wrong_number and kept.type == "home"
    assert added.phone_id not in {first.phone_id, second.phone_id} and not added.wrong_number
    assert kept.primary and not added.primary, "the old primary is gone, so the first phone becomes primary"
    assert changed == ["phones"]


def test_a_number_that_opted_out_before_is_opted_out_when_added_again():
    stop = OptOutRecord(source="keyword", at=T0, keyword="STOP")
    contact = make_contact(phones=("2025550123",), opted_out={"+12025550123": stop})
    assert contact.phones[0].opted_out and contact.phones[0].opt_out == stop


# ----- edits -------------------------------------------------------------------------


def test_an_edit_names_what_changed_and_bumps_the_revision_once():
    contact = make_contact()
    changed = contact.edit(
        {"first_name": "Augusta Ada", "notes": "met at the fair", "last_name": "Lovelace"},
        phones=None, opted_out={}, new_phone_id=new_phone_id, actor=USER, now=T0,
    )
    [event] = contact.pull_events()
    assert changed == ["first_name", "notes"] == event.changed
    assert contact.revision == 2 == event.contact.revision
    assert contact.timeline[-1].kind == "edited" and contact.timeline[-1].detail == {"fields": changed}


def test_an_edit_that_changes_nothing_records_nothing():
    contact = make_contact()
    assert contact.edit({"first_name": " Ada"}, phones=None, opted_out={}, new_phone_id=new_phone_id, actor=USER, now=T0) == []
    assert contact.pull_events() == [] and contact.revision == 1


def test_custom_fields_are_merged_and_null_removes_one():
    contact = make_contact(custom_fields={"ward": 3, "team": "blue"})
    contact.edit({"custom_fields": {"team": None, "donor": True}}, phones=None, opted_out={},
                 new_phone_id=new_phone_id, actor=USER, now=T0)
    assert contact.custom_fields == {"ward": 3, "donor": True}


def test_an_edit_may_not_remove_both_names():
    contact = make_contact(first="Ada", last="")
    with pytest.raises(InvalidContact):
        contact.edit({"first_name": ""}, phones=None, opted_out={}, new_phone_id=new_phone_id, actor=USER, now=T0)
    assert contact.first_name == "Ada" and contact.revision == 1


# ----- tags --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("do not contact", DO_NOT_CONTACT), ("DNC", DO_NOT_CONTACT), ("wrong-number", WRONG_NUMBER),
     ("opt in", OPT_IN), ("  Volunteer   2026 ", "Volunteer 2026")],
)
def test_tag_names_are_trimmed_and_system_tags_recognised(typed, canonical):
    assert normalize_tag(typed) == canonical


@pytest.mark.parametrize("bad", ["", "   ", "x" * 65, "bad\x07tag"])
def test_bad_tag_names_are_refused(bad):
    with pytest.raises(InvalidContact):
        normalize_tag(bad)


def test_do_not_contact_marks_the_person_and_is_idempotent():
    contact = make_contact()
    assert contact.tag(DO_NOT_CONTACT, phone_id=None, consent=None, actor=USER, now=T0)
    assert not contact.tag(DO_NOT_CONTACT, phone_id=None, consent=None, actor=USER, now=T0)
    [event] = contact.pull_events()
    assert contact.dnc and event.tag == DO_NOT_CONTACT and event.contact.dnc and event.by_user_id == "user-1"
    assert contact.tags == [DO_NOT_CONTACT] and contact.revision == 2
    with pytest.raises(InvalidContact):
        contact.tag(DO_NOT_CONTACT, phone_id=contact.phones[0].phone_id, consent=None, actor=USER, now=T0)
    assert contact.untag(DO_NOT_CONTACT, phone_id=None, actor=USER, now=T0) and not contact.dnc


def test_wrong_number_needs_a_phone_of_the_contact():
    contact = make_contact()
    with pytest.raises(InvalidContact) as caught:
        contact.tag(WRONG_NUMBER, phone_id=None, consent=None, actor=USER, now=T0)
    assert list(problems(caught.value)) == ["phone_id"]
    with pytest.raises(InvalidContact):
        contact.tag(WRONG_NUMBER, phone_id="nope", consent=None, actor=USER, now=T0)
    phone_id = contact.phones[0].phone_id
    assert contact.tag(WRONG_NUMBER, phone_id=phone_id, consent=None, actor=USER, now=T0)
    assert contact.phones[0].wrong_number and WRONG_NUMBER in contact.tags
    assert contact.untag(WRONG_NUMBER, phone_id=phone_id, actor=USER, now=T0)
    assert not contact.phones[0].wrong_number and WRONG_NUMBER not in contact.tags


def test_opt_in_records_who_when_and_how_and_emits_tagged_and_opted_in():
    contact = make_contact()
    phone_id = contact.phones[0].phone_id
    with pytest.raises(InvalidContact) as caught:
        contact.tag(OPT_IN, phone_id=phone_id, consent=None, actor=USER, now=T0)
    assert list(problems(caught.value)) == ["consent.method"]
    assert contact.tag(OPT_IN, phone_id=phone_id, consent=Consent(method="verbal", note="at the door"), actor=USER, now=T0)
    tagged, opted_in = contact.pull_events()
    record = contact.phones[0].opt_in
    assert (record.by_user_id, record.at, record.method, record.note) == ("user-1", T0, "verbal", "at the door")
    assert tagged.event_type == "contact.tagged" and tagged.phone_id == phone_id
    assert opted_in.event_type == "contact.opted_in" and opted_in.source == "user"
    assert not contact.tag(OPT_IN, phone_id=phone_id, consent=Consent(method="web"), actor=USER, now=T0)


def test_a_user_cannot_opt_in_a_number_whose_owner_texted_stop():
    contact = make_contact()
    contact.record_opt_out(e164="+12025550123", source="keyword", keyword="STOP", event_id="e1", event_time=T0, now=T0)
    with pytest.raises(ConsentConflict):
        contact.tag(OPT_IN, phone_id=contact.phones[0].phone_id, consent=Consent(method="verbal"), actor=USER, now=T0)


def test_custom_tags_are_per_person_and_idempotent():
    contact = make_contact()
    assert contact.tag("Volunteer", phone_id=None, consent=None, actor=USER, now=T0)
    assert not contact.tag("Volunteer", phone_id=None, consent=None, actor=USER, now=T0)
    assert contact.tags == ["Volunteer"]
    with pytest.raises(InvalidContact):
        contact.tag("Donor", phone_id=contact.phones[0].phone_id, consent=None, actor=USER, now=T0)
    assert contact.untag("Volunteer", phone_id=None, actor=USER, now=T0)
    assert not contact.untag("Volunteer", phone_id=None, actor=USER, now=T0)
    assert [event.event_type for event in contact.pull_events()] == ["contact.tagged", "contact.untagged"]


def test_phone_tags_cannot_be_given_at_creation():
    with pytest.raises(InvalidContact) as caught:
        make_contact(tags=[WRONG_NUMBER])
    assert list(problems(caught.value)) == ["tags.0"]
    assert make_contact(tags=[DO_NOT_CONTACT, "VIP"]).tags == [DO_NOT_CONTACT, "VIP"]


# ----- consent from the person -------------------------------------------------------


def test_stop_opts_the_number_out_revokes_consent_and_is_applied_once():
    contact = make_contact(phones=("2025550123", "4155552671"))
    phone = contact.phones[0]
    contact.tag(OPT_IN, phone_id=phone.phone_id, consent=Consent(method="verbal"), actor=USER, now=T0)
    contact.pull_events()
    assert contact.record_opt_out(e164=phone.e164, source="keyword", keyword="STOP", event_id="e1", event_time=T0, now=T0)
    [event] = contact.pull_events()
    phone = contact.phones[0]
    assert phone.opted_out and not phone.opted_in and phone.opt_in is None and OPT_IN not in contact.tags
    assert (event.source, event.keyword, event.phone_id) == ("keyword", "STOP", phone.phone_id)
    assert not contact.phones[1].opted_out
    revision = contact.revision
    assert not contact.record_opt_out(e164=phone.e164, source="keyword", keyword="STOP", event_id="e1", event_time=T0, now=T0)
    assert not contact.record_opt_out(e164=phone.e164, source="carrier", keyword=None, event_id="e2", event_time=T0, now=T0)
    assert contact.pull_events() == [] and contact.revision == revision
    assert contact.timeline[-1].kind == "opted_out" and contact.timeline[-1].source == "keyword"


def test_start_opts_back_in_but_a_late_older_stop_does_not_undo_it():
    contact = make_contact()
    e164 = contact.phones[0].e164
    contact.record_opt_out(e164=e164, source="keyword", keyword="STOP", event_id="e1", event_time=T0, now=T0)
    later = T0 + timedelta(minutes=5)
    assert contact.record_opt_in(e164=e164, keyword="START", event_id="e2", event_time=later, now=later)
    phone = contact.phones[0]
    assert not phone.opted_out and phone.opted_in and phone.opt_in.method == "keyword" and phone.opt_in.by_user_id is None
    assert not contact.record_opt_out(
        e164=e164, source="keyword", keyword="STOP", event_id="e0", event_time=T0 - timedelta(minutes=1), now=later
    )
    assert not contact.phones[0].opted_out


def test_the_timeline_keeps_only_the_latest_entries():
    contact = make_contact()
    for index in range(TIMELINE_LIMIT + 20):
        contact.tag(f"tag {index}", phone_id=None, consent=None, actor=USER, now=T0)
    assert len(contact.timeline) == TIMELINE_LIMIT
    assert contact.timeline[-1].detail["tag"] == f"tag {TIMELINE_LIMIT + 19}"
    assert contact.revision == 1 + TIMELINE_LIMIT + 20


# ----- search keys -------------------------------------------------------------------


def test_name_prefixes_are_case_and_accent_insensitive():
    prefixes = name_prefixes("Zoë", "O'Brien")
    assert {"z", "zo", "zoe", "o", "b", "brien", "obr", "obrien"} <= set(prefixes)
    assert parse_query("ZOE o'bri").name_prefixes == ("zoe", "o", "bri", "obri")


def test_phone_queries_match_digit_prefixes_with_or_without_country_code():
    contact = make_contact(phones=("2025550123",))
    digits = set(phone_digit_prefixes(contact.phones))
    assert {"202", "2025550123", "120", "12025550123"} <= digits
    assert parse_query("(202) 555-01").phone_digits == "20255501"
    with pytest.raises(InvalidContact):
        parse_query("20")


def test_cursors_round_trip_and_garbage_is_refused():
    by_name, by_created = SORTS["last_name"], SORTS["-created"]
    position = Cursor("last_name", ("lovelace", "ada", "c1"))
    assert Cursor.decode(position.encode(), by_name) == position
    created = Cursor("-created", (datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC), "c1"))
    assert Cursor.decode(created.encode(), by_created) == created
    for garbage in ["xyz", "e30", position.encode()[:-3], created.encode()]:
        with pytest.raises(InvalidContact):
            Cursor.decode(garbage, by_name)


def test_email_normalisation_matches_email_validator_on_plain_and_tricky_addresses():
    rng = random.Random(5)
    plain = string.ascii_letters + string.digits + "._%+-"
    tricky = plain + "@!#$&'*/=?^`{|}~\"() ,;:<>[]\\é\x00"
    domains = ["example.org", "Example.ORG", "x.test", "localhost", "a.local", "123.456", "x-.org", "ab--cd.org",
               "xn--ls8h.la", "sub.domain.co.uk", "a" * 63 + ".com", "a" * 64 + ".com", "x..org", "x.org.", "b" * 250 + ".com"]
    addresses = [
        "".join(rng.choice(plain if rng.random() < 0.8 else tricky) for _ in range(rng.choice([1, 5, 30, 64, 65])))
        + "@" + rng.choice(domains)
        for _ in range(5000)
    ] + ["a" * 64 + "@" + "b" * 185 + ".com", "a" * 64 + "@" + "b" * 186 + ".com", "a@b@c.org", "@x.org", "a@"]

    def outcome(normalise, address):
        try:
            return normalise(address)
        except EmailNotValidError as error:
            return f"invalid: {error}"

    outcomes = [(outcome(fields.normalize_email, address), outcome(
        lambda value: validate_email(value, check_deliverability=False).normalized, address)) for address in addresses]
    assert all(ours == theirs for ours, theirs in outcomes)
    assert sum(not ours.startswith("invalid") for ours, _ in outcomes) > 500, "valid addresses were checked too"
