"""Unit tests of the import rules: column mapping, reading a row, the merge rule, the order
of a job's batches."""

import asyncio
from datetime import UTC, datetime

import pytest

from services.contacts.domain.errors import InvalidContact
from services.contacts.domain.importing import ImportOptions, Mapping, RowError, imported_contact_id, read_row
from services.contacts.domain.model import Actor, Contact
from services.contacts.domain.phones import PhoneInput, parse_phone_inputs
from services.contacts.service_layer.importing import written_in_turn

NOW = datetime(2026, 1, 1, tzinfo=UTC)
HEADER = ["Name", "Cell", "Work", "Mail", "Labels", "Birthday"]


def mapping(**columns) -> Mapping:
    return Mapping.of(ImportOptions(columns=columns or {"Name": "full_name", "Cell": "phone:cell", "Work": "phone",
                                                      "Mail": "email", "Labels": "tags", "Birthday": "custom:birthday"},
                                    tags=["dnc"], default_phone_type="work"), HEADER)


def _phone_ids():
    counter = iter(range(1, 1000))
    return lambda: f"phone-{next(counter)}"


def contact(first: str, last: str, numbers=(), emails=(), **extra) -> Contact:
    phones = parse_phone_inputs([PhoneInput(number, type="cell") for number in numbers], region="US")
    return Contact.create(
        contact_id=f"c-{first}", account_id="acc", first_name=first, last_name=last, emails=list(emails), address=None,
        phones=phones, tags=extra.get("tags", []), custom_fields=extra.get("custom_fields", {}), owner_user_id=None,
        notes=None, opted_out={}, new_phone_id=_phone_ids(),
        actor=Actor(), now=NOW,
    )


def test_a_row_becomes_fields_with_type_hints_tags_and_custom_fields():
    row = read_row(mapping(), 7, ["Ada King Lovelace", "202-555-0123", "2025550199", "ada@example.org", "Donor; Volunteer", "1815-12-10"])
    assert (row.line, row.first_name, row.last_name) == (7, "Ada King", "Lovelace")
    assert [(phone.number, phone.type) for phone in row.phones] == [("202-555-0123", "cell"), ("2025550199", "work")]
    assert row.tags == ["Do Not Contact", "Donor", "Volunteer"] and row.custom_fields == {"birthday": "1815-12-10"}
    with pytest.raises(RowError, match="expected 6 columns, found 2"):
        read_row(mapping(), 8, ["Ada", "1"])


def test_a_mapping_names_every_problem():
    with pytest.raises(InvalidContact) as raised:
        Mapping.of(ImportOptions(columns={"Nope": "first_name", "Cell": "phone:pager", "Mail": "custom:$x"}), HEADER)
    fields = {problem.field for problem in raised.value.problems}
    assert fields == {"columns.Nope", "columns.Cell", "columns.Mail", "columns"}


def test_the_same_row_of_the_same_file_is_the_same_contact():
    assert imported_contact_id("acc", "sha", 2) == imported_contact_id("acc", "sha", 2)
    assert len({imported_contact_id("acc", "sha", 2), imported_contact_id("acc", "sha", 3),
                imported_contact_id("acc2", "sha", 2), imported_contact_id("acc", "sha2", 2)}) == 4


def test_the_merge_rule_keeps_what_the_contact_has_and_adds_what_is_new():
    existing = contact("Ada", "Lovelace", ["2025550123"], ["ada@example.org"], custom_fields={"ward": "1"})
    existing.pull_events()
    row = contact("Augusta", "King", ["2025550123", "2025550999"], ["ADA@example.org", "aak@example.org"],
                  custom_fields={"ward": "9", "born": "1815"})
    changed = existing.merge_import(row, tags=["Donor", "Do Not Contact"], actor=Actor(source="import"), now=NOW)
    assert set(changed) == {"emails", "phones", "custom_fields", "tags"}
    assert (existing.first_name, existing.last_name) == ("Ada", "Lovelace")
    assert existing.emails == ["ada@example.org", "aak@example.org"]
    assert [phone.e164 for phone in existing.phones] == ["+12025550123", "+12025550999"]
    assert [phone.primary for phone in existing.phones] == [True, False]
    assert existing.custom_fields == {"ward": "1", "born": "1815"}
    assert existing.dnc and existing.tags == ["Do Not Contact", "Donor"]
    [event] = existing.pull_events()
    assert event.changed == changed and event.contact.revision == existing.revision
    assert existing.merge_import(row, tags=["Donor"], actor=Actor(source="import"), now=NOW) == [], "twice changes nothing"


class _RecordingBatch:
    """Records when each step starts and ends. A write holds until the next batch's parse
    has started (a run that parses only after writing would time out there)."""

    def __init__(self, batches: list[list[int]]) -> None:
        self.steps: list[str] = []
        self._parse_started = {rows[0]: asyncio.Event() for rows in batches}
        self._next_first = {rows[0]: upcoming[0] for rows, upcoming in zip(batches, batches[1:])}

    async def prepare(self, rows):
        self.steps.append(f"parse {rows[0]} start")
        self._parse_started[rows[0]].set()
        self.steps.append(f"parse {rows[0]} end")
        return rows

    async def write(self, parsed):
        self.steps.append(f"write {parsed[0]} start")
        if parsed[0] in self._next_first:
            await asyncio.wait_for(self._parse_started[self._next_first[parsed[0]]].wait(), timeout=5)
        self.steps.append(f"write {parsed[0]} end")
        return len(parsed)


async def test_the_next_batch_is_parsed_while_this_one_is_written_and_writes_keep_file_order():
    batches = [[1, 2], [3], [4, 5, 6]]
    batch = _RecordingBatch(batches)
    written = [(rows, outcome) async for rows, outcome in written_in_turn(batch, iter(batches))]

    assert written == [([1, 2], 2), ([3], 1), ([4, 5, 6], 3)]
    steps = batch.steps
    assert steps.index("parse 3 start") < steps.index("write 1 end"), "batch 2 is parsed during batch 1's write"
    assert steps.index("parse 4 start") < steps.index("write 3 end")
    assert steps.index("write 1 end") < steps.index("write 3 start") < steps.index("write 3 end") < steps.index("write 4 start")
