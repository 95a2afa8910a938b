"""CSV import rules: how columns map onto a contact, and how one row becomes a contact
or an error naming its line and reason."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.contacts.domain.errors import InvalidContact, Problem
from services.contacts.domain.phones import PhoneInput
from services.contacts.domain.tags import normalize_tag
from shared import bounds
from shared.events.contacts import PhoneType

PLAIN_TARGETS = ("first_name", "last_name", "full_name", "email", "street", "city", "state", "zip", "tags", "notes", "owner_user_id", "ignore")
PHONE_TYPES: tuple[PhoneType, ...] = ("cell", "home", "work", "landline", "unknown")
MAX_ERROR_REASON = 500


class ImportOptions(BaseModel):
    """How to read the file: `columns` maps a header to a target: first_name, last_name,
    full_name, email, phone (or phone:cell, phone:home, phone:work, phone:landline as a
    type hint), street, city, state, zip, tags (split on ';' or ','), notes,
    owner_user_id, custom:<field name>, or ignore. `tags` are added to every row."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[bounds.Label, bounds.Label] = Field(min_length=1, max_length=200)
    tags: list[bounds.Label] = Field(default_factory=list, max_length=20)
    default_phone_type: PhoneType = "unknown"


@dataclass(frozen=True)
class Mapping:
    """Options checked against the file's header: column positions per target."""

    header: tuple[str, ...]
    targets: tuple[tuple[int, str], ...]
    tags: tuple[str, ...]
    default_phone_type: PhoneType

    @classmethod
    def of(cls, options: ImportOptions, header: list[str]) -> "Mapping":
        problems = []
        position = {name: index for index, name in enumerate(header)}
        targets = []
        for column, target in options.columns.items():
            if column not in position:
                problems.append(Problem(f"columns.{column}", f"the file has no column '{column}'"))
            elif not _valid_target(target):
                problems.append(Problem(f"columns.{column}", f"'{target}' is not an import target"))
            elif target != "ignore":
                targets.append((position[column], target))
        tags = []
        for index, tag in enumerate(options.tags):
            try:
                tags.append(normalize_tag(tag, field=f"tags.{index}"))
            except InvalidContact as error:
                problems.extend(error.problems)
        if not any(target in ("first_name", "last_name", "full_name") for _, target in targets):
            problems.append(Problem("columns", "map at least one column to first_name, last_name or full_name"))
        if problems:
            raise InvalidContact(problems)
        return cls(tuple(header), tuple(targets), tuple(tags), options.default_phone_type)


def _valid_target(target: str) -> bool:
    if target in PLAIN_TARGETS or target == "phone":
        return True
    kind, _, rest = target.partition(":")
    if kind == "phone":
        return rest in PHONE_TYPES
    return kind == "custom" and 0 < len(rest) <= 64 and not rest.startswith("$") and "." not in rest


@dataclass
class ImportRow:
    """One CSV record as contact fields, with the column each came from (for errors)."""

    line: int
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    address: dict[str, str] = field(default_factory=dict)
    phones: list[PhoneInput] = field(default_factory=list)
    phone_columns: list[str] = field(default_factory=list)
    email_columns: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    notes: str | None = None
    owner_user_id: str | None = None


class RowError(Exception):
    """A row that cannot land, and why (in the words of its columns)."""


def read_row(mapping: Mapping, line: int, values: list[str]) -> ImportRow:
    if len(values) != len(mapping.header):
        raise RowError(f"expected {len(mapping.header)} columns, found {len(values)}")
    row = ImportRow(line=line, tags=list(mapping.tags))
    for index, target in mapping.targets:
        value = values[index].strip()
        if value:
            _put(row, mapping, mapping.header[index], target, value)
    return row


def _put(row: ImportRow, mapping: Mapping, column: str, target: str, value: str) -> None:
    kind, _, detail = target.partition(":")
    if kind == "phone":
        phone_type = detail or mapping.default_phone_type
        row.phones.append(PhoneInput(number=value, type=phone_type, primary=False))  # type: ignore[arg-type]
        row.phone_columns.append(column)
    elif kind == "custom":
        row.custom_fields[detail] = value
    elif target == "full_name":
        first, _, last = value.rpartition(" ")
        row.first_name, row.last_name = (first, last) if first else (value, "")
    elif target == "email":
        row.emails.append(value)
        row.email_columns.append(column)
    elif target in ("street", "city", "state", "zip"):
        row.address[target] = value
    elif target == "tags":
        for part in value.replace(",", ";").split(";"):
            if part.strip():
                try:
                    row.tags.append(normalize_tag(part))
                except InvalidContact as error:
                    raise RowError(f"{column}: {error.problems[0].problem}") from error
    else:
        setattr(row, target, value)


def reason_of(error: InvalidContact, row: ImportRow) -> str:
    """An InvalidContact's problems in the file's words (column names, not field paths)."""
    reasons = []
    for problem in error.problems:
        path = problem.field.split(".")
        if path[0] == "phones" and len(path) > 1 and path[1].isdigit() and int(path[1]) < len(row.phone_columns):
            where = f"column '{row.phone_columns[int(path[1])]}'"
        elif path[0] == "emails" and len(path) > 1 and path[1].isdigit() and int(path[1]) < len(row.email_columns):
            where = f"column '{row.email_columns[int(path[1])]}'"
        elif path[0] in ("first_name", "last_name"):
            where = "name"
        else:
            where = problem.field
        reason = f"{where}: {problem.problem}"
        if reason not in reasons:
            reasons.append(reason)
    return "; ".join(reasons)[:MAX_ERROR_REASON]


def imported_contact_id(account_id: str, file_sha256: str, line: int) -> str:
    """The same row of the same file always becomes the same contact id, so that
    re-processing a batch after a crash, or re-uploading the file, creates nothing twice."""
    return hashlib.sha256(f"{account_id}:{file_sha256}:{line}".encode()).hexdigest()[:32]
