"""The HTTP shapes of the contacts API. Types and sizes are checked here; the rules
(names, numbers, emails, tags) are the domain's."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from services.contacts.domain import fields
from services.contacts.domain.model import Contact
from services.contacts.domain.phones import ConsentRecord, OptOutRecord, Phone
from shared import bounds
from shared.events.contacts import PhoneStatus, PhoneType

CustomValue = str | int | float | bool | None


def _storable(value: Any) -> Any:
    problem = fields.custom_value_problem(value)
    if problem:
        raise ValueError(problem)
    return value


CustomFieldName = Annotated[str, Field(max_length=fields.MAX_CUSTOM_FIELD_NAME)]
# Checked before the union picks a type, so that 2^63 is refused rather than turned into a float.
CustomValueIn = Annotated[
    Annotated[str, Field(max_length=fields.MAX_CUSTOM_VALUE_LENGTH)]
    | Annotated[int, Field(ge=fields.MIN_CUSTOM_INTEGER, le=fields.MAX_CUSTOM_INTEGER)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | bool
    | None,
    BeforeValidator(_storable),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhoneIn(_Input):
    number: str = Field(max_length=bounds.PHONE_AS_TYPED, description="As typed; normalised to E.164 (default region US)")
    type: PhoneType = "unknown"
    primary: bool = False
    status: PhoneStatus | None = None


class AddressIn(_Input):
    street: str | None = Field(default=None, max_length=bounds.LABEL)
    city: str | None = Field(default=None, max_length=bounds.PERSON_NAME)
    state: str | None = Field(default=None, max_length=50)
    zip: str | None = Field(default=None, max_length=10)


class ContactCreate(_Input):
    first_name: str | None = Field(default=None, max_length=fields.MAX_NAME_LENGTH)
    last_name: str | None = Field(default=None, max_length=fields.MAX_NAME_LENGTH)
    emails: list[bounds.Email] = Field(default_factory=list, max_length=10)
    address: AddressIn | None = None
    phones: list[PhoneIn] = Field(default_factory=list, max_length=20)
    tags: list[bounds.Label] = Field(default_factory=list, max_length=50)
    custom_fields: dict[CustomFieldName, CustomValueIn] = Field(default_factory=dict, max_length=100)
    owner_user_id: str | None = Field(default=None, max_length=bounds.IDENTIFIER)
    notes: str | None = Field(default=None, max_length=bounds.NOTE)


class ContactUpdate(_Input):
    """Only the fields sent change. `phones` replaces the whole list (a number already
    on the contact keeps its phone_id and flags); `custom_fields` is merged, a null
    value removing that field. `expected_revision` refuses the edit (409) if the
    contact changed since."""

    first_name: str | None = Field(default=None, max_length=fields.MAX_NAME_LENGTH)
    last_name: str | None = Field(default=None, max_length=fields.MAX_NAME_LENGTH)
    emails: list[bounds.Email] | None = Field(default=None, max_length=10)
    address: AddressIn | None = None
    phones: list[PhoneIn] | None = Field(default=None, max_length=20)
    custom_fields: dict[CustomFieldName, CustomValueIn] | None = Field(default=None, max_length=100)
    owner_user_id: str | None = Field(default=None, max_length=bounds.IDENTIFIER)
    notes: str | None = Field(default=None, max_length=bounds.NOTE)
    expected_revision: int | None = None


class ConsentIn(_Input):
    method: str = Field(min_length=1, max_length=64, description="How the person consented: verbal, web form, paper...")
    note: str | None = Field(default=None, max_length=500)


class TagRequest(_Input):
    tag: str = Field(max_length=bounds.LABEL)
    phone_id: str | None = Field(default=None, max_length=bounds.IDENTIFIER)
    consent: ConsentIn | None = None


class PhonePublic(BaseModel):
    phone_id: str
    e164: str
    type: PhoneType
    primary: bool
    status: PhoneStatus
    wrong_number: bool
    opted_out: bool
    opted_in: bool
    opt_in: ConsentRecord | None
    opt_out: OptOutRecord | None
    area_code: str | None
    region: str | None
    time_zone: str | None

    @classmethod
    def of(cls, phone: Phone) -> "PhonePublic":
        return cls.model_validate(phone.model_dump())


class TimelineEntryPublic(BaseModel):
    at: datetime
    kind: str
    by_user_id: str | None
    source: str
    detail: dict[str, Any]


class ContactSummary(BaseModel):
    """A contact as a grid row."""

    id: str
    revision: int
    first_name: str
    last_name: str
    emails: list[str]
    address: dict[str, str] | None
    phones: list[PhonePublic]
    dnc: bool
    tags: list[str]
    custom_fields: dict[str, CustomValue]
    owner_user_id: str | None
    created_at: datetime
    updated_at: datetime
    last_contacted_at: datetime | None

    @classmethod
    def of(cls, contact: Contact) -> "ContactSummary":
        return cls.model_validate(_public_fields(contact))


class ContactPublic(ContactSummary):
    """A contact's profile, with its notes and recent timeline (newest last)."""

    notes: str | None
    created_by_user_id: str | None
    timeline: list[TimelineEntryPublic]

    @classmethod
    def of(cls, contact: Contact) -> "ContactPublic":
        return cls.model_validate(_public_fields(contact))


class ContactPage(BaseModel):
    items: list[ContactSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


def _public_fields(contact: Contact) -> dict[str, Any]:
    data = contact.model_dump()
    data["id"] = data.pop("contact_id")
    return data


class SelectionIdsRequest(_Input):
    filter: dict[str, Any] = Field(default_factory=dict, description="Grid query parameters as one object")
    after: str | None = Field(default=None, max_length=bounds.IDENTIFIER)
    limit: int = Field(default=1000, ge=1, le=5000)


class SelectionIds(BaseModel):
    ids: list[str]
    next: str | None = Field(description="Pass as `after` for the next page; null when done")


class SelectionCountRequest(_Input):
    filter: dict[str, Any] = Field(default_factory=dict)


class Total(BaseModel):
    total: int


class BulkTagRequest(_Input):
    """Either `contact_ids` or `filter` (grid query parameters as one object)."""

    tag: str = Field(max_length=bounds.LABEL)
    contact_ids: list[bounds.Identifier] | None = Field(default=None, max_length=5000)
    filter: dict[str, Any] | None = None


class BulkTagResult(BaseModel):
    matched: int
    changed: int
    not_found: list[str]
    at_tag_limit: int = Field(0, description="contacts left untagged: they carry as many tags as a contact may (tags_per_contact)")


class TagLimitPublic(BaseModel):
    limit: int
    used: int | None = Field(None, description="what the account has now (not given per contact)")


class TagLimitsPublic(BaseModel):
    """How many custom tags a contact may carry and the account may have (system tags never count)."""

    tags_per_contact: TagLimitPublic
    tags_per_account: TagLimitPublic


class TagCreate(_Input):
    name: str = Field(max_length=bounds.LABEL)
    color: str | None = Field(default=None, max_length=7, description="#rrggbb")


class TagUpdate(_Input):
    name: str | None = Field(default=None, max_length=bounds.LABEL)
    color: str | None = Field(default=None, max_length=7, description="#rrggbb; null removes it")


class TagPublic(BaseModel):
    id: str | None = Field(description="null for the three system tags")
    name: str
    color: str | None
    system: bool
    meaning: str | None


class TagChanged(TagPublic):
    contacts_changed: int


class AccountSettingsPublic(BaseModel):
    default_phone_region: str = Field(max_length=bounds.SHORT_CODE, description="ISO 3166 region for numbers typed without a country code")


class ImportPublic(BaseModel):
    id: str
    filename: str
    size: int
    status: str = Field(description="uploaded, queued, running, completed")
    columns: list[str]
    options: dict[str, Any] | None = None
    rows_read: int
    created: int
    merged: int
    failed: int
    created_at: datetime
    finished_at: datetime | None = None

    @classmethod
    def of(cls, job: dict[str, Any]) -> "ImportPublic":
        return cls.model_validate({**job, "id": job["_id"]})
