"""The contacts grid: what a filter may ask for, the orders a page may follow, and the
cursor that remembers where a page ended. The same filter object selects contacts for
bulk actions (tag, untag, text), so its keys are the grid's query parameter names."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from services.contacts.domain.errors import InvalidContact, Problem
from services.contacts.domain.model import Contact
from services.contacts.domain.search import SearchTerms, fold, parse_query, sort_keys
from services.contacts.domain.tags import DO_NOT_CONTACT, OPT_IN, WRONG_NUMBER, normalize_tag

MAX_TAGS_IN_FILTER = 50
# "Never contacted" sorts as the oldest possible contact, so that cursors compare plain dates.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)

SortName = Literal["last_name", "first_name", "created", "-created", "last_contacted", "-last_contacted"]


class ContactFilter(BaseModel):
    """Every key is optional and they combine with AND. Tag lists: `tags_any` (at least
    one of), `tags_all` (every one of), `tags_none` (none of); `tag` is one required tag."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(default=None, max_length=100, description="Name prefix(es), an email, or 3+ phone digits")
    tag: str | None = Field(default=None, max_length=200)
    tags_any: list[str] = Field(default_factory=list, max_length=MAX_TAGS_IN_FILTER)
    tags_all: list[str] = Field(default_factory=list, max_length=MAX_TAGS_IN_FILTER)
    tags_none: list[str] = Field(default_factory=list, max_length=MAX_TAGS_IN_FILTER)
    has_cell: bool | None = None
    dnc: bool | None = None
    opted_in: bool | None = None
    wrong_number: bool | None = None
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=50)
    zip: str | None = Field(default=None, max_length=10)
    owner: str | None = Field(default=None, max_length=64)
    created_from: datetime | None = None
    created_to: datetime | None = None
    last_contacted_from: datetime | None = None
    last_contacted_to: datetime | None = None

    @field_validator("created_from", "created_to", "last_contacted_from", "last_contacted_to")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    @classmethod
    def parse(cls, raw: dict[str, Any] | None, *, field: str | None = "filter") -> "ContactFilter":
        """From a JSON object (or query parameters); unknown keys and wrong types are a
        422 naming them."""
        if raw is not None and not isinstance(raw, dict):
            raise InvalidContact.of(field or "filter", "the filter is an object of grid query parameters")
        try:
            return cls.model_validate(raw or {})
        except ValidationError as error:
            prefix = [field] if field else []
            raise InvalidContact(
                [Problem(".".join([*prefix, *(str(part) for part in item["loc"])]), item["msg"]) for item in error.errors()]
            ) from error


@dataclass(frozen=True)
class Criteria:
    """A filter checked and normalised: tags canonical, text folded, search terms parsed."""

    terms: SearchTerms
    email: str | None
    tags_all: tuple[str, ...]
    tags_any: tuple[str, ...]
    tags_none: tuple[str, ...]
    has_cell: bool | None
    city: str | None
    state: str | None
    zip: str | None
    owner: str | None
    created_from: datetime | None
    created_to: datetime | None
    last_contacted_from: datetime | None
    last_contacted_to: datetime | None


def criteria_of(selection: ContactFilter) -> Criteria:
    text = (selection.q or "").strip()
    email = text.casefold() if "@" in text else None
    terms = SearchTerms() if email else parse_query(text)
    tags_all = [normalize_tag(tag, field=f"tags_all.{i}") for i, tag in enumerate(selection.tags_all)]
    tags_none = [normalize_tag(tag, field=f"tags_none.{i}") for i, tag in enumerate(selection.tags_none)]
    if selection.tag is not None:
        tags_all.append(normalize_tag(selection.tag))
    # The system tags mirror the flags (model._sync_system_tags), so flags filter as tags.
    for flag, tag in ((selection.dnc, DO_NOT_CONTACT), (selection.opted_in, OPT_IN), (selection.wrong_number, WRONG_NUMBER)):
        if flag is True:
            tags_all.append(tag)
        elif flag is False:
            tags_none.append(tag)
    _check_range("created", selection.created_from, selection.created_to)
    _check_range("last_contacted", selection.last_contacted_from, selection.last_contacted_to)
    return Criteria(
        terms=terms,
        email=email,
        tags_all=tuple(dict.fromkeys(tags_all)),
        tags_any=tuple(dict.fromkeys(normalize_tag(tag, field=f"tags_any.{i}") for i, tag in enumerate(selection.tags_any))),
        tags_none=tuple(dict.fromkeys(tags_none)),
        has_cell=selection.has_cell,
        city=fold(selection.city.strip()) if selection.city and selection.city.strip() else None,
        state=_state(selection.state),
        zip=(selection.zip or "").strip()[:5] or None,
        owner=selection.owner or None,
        created_from=selection.created_from,
        created_to=selection.created_to,
        last_contacted_from=selection.last_contacted_from,
        last_contacted_to=selection.last_contacted_to,
    )


def _state(raw: str | None) -> str | None:
    state = " ".join((raw or "").split())
    return (state.upper() if len(state) == 2 else state) or None


def _check_range(name: str, start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidContact.of(f"{name}_from", f"{name}_from is after {name}_to")


# ----- orders and cursors ----------------------------------------------------------------


@dataclass(frozen=True)
class SortOrder:
    """A grid order: the stored keys compared in turn (the contact id last, so that it is
    total and a cursor is stable), all ascending or all descending."""

    name: str
    keys: tuple[str, ...]
    descending: bool = False


SORTS: dict[str, SortOrder] = {
    "last_name": SortOrder("last_name", ("search.last", "search.first", "_id")),
    "first_name": SortOrder("first_name", ("search.first", "search.last", "_id")),
    "created": SortOrder("created", ("created_at", "_id")),
    "-created": SortOrder("-created", ("created_at", "_id"), descending=True),
    "last_contacted": SortOrder("last_contacted", ("search.last_contacted", "_id")),
    "-last_contacted": SortOrder("-last_contacted", ("search.last_contacted", "_id"), descending=True),
}


def sort_order(name: str | None) -> SortOrder:
    order = SORTS.get(name or "last_name")
    if order is None:
        raise InvalidContact.of("sort", f"sort is one of {', '.join(SORTS)}")
    return order


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the order's key values of its last row."""

    sort: str
    values: tuple[Any, ...]

    def encode(self) -> str:
        values = [value.isoformat() if isinstance(value, datetime) else value for value in self.values]
        raw = json.dumps([self.sort, values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str, order: SortOrder) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            sort, values = json.loads(raw)
            if sort != order.name:
                raise InvalidContact.of("cursor", f"this cursor belongs to sort={sort}, not sort={order.name}")
            if len(values) != len(order.keys) or not all(isinstance(value, str) for value in values):
                raise ValueError("wrong cursor shape")
            parsed = tuple(
                datetime.fromisoformat(value) if key in ("created_at", "search.last_contacted") else value
                for key, value in zip(order.keys, values, strict=True)
            )
        except (ValueError, binascii.Error, TypeError) as error:
            raise InvalidContact.of("cursor", "not a cursor this service returned") from error
        return cls(order.name, parsed)


def position_of(contact: Contact, order: SortOrder) -> Cursor:
    """The cursor just after `contact` in `order`."""
    last, first = sort_keys(contact.first_name, contact.last_name)
    known = {
        "search.last": last,
        "search.first": first,
        "_id": contact.contact_id,
        "created_at": contact.created_at,
        "search.last_contacted": contact.last_contacted_at or NEVER,
    }
    return Cursor(order.name, tuple(known[key] for key in order.keys))


def read_key(document: dict[str, Any], key: str) -> Any:
    """The value of a dotted key in a stored contact document."""
    value: Any = document
    for part in key.split("."):
        value = value[part]
    return value
