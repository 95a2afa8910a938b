"""Events the contacts service publishes; each carries the contact's full snapshot
so that read models elsewhere can simply keep the newest revision."""

from typing import ClassVar, Literal

from shared import topics
from shared.events.envelope import EventData

PhoneType = Literal["cell", "home", "work", "landline", "unknown"]
PhoneStatus = Literal["active", "unreachable", "landline"]


class PhoneSnapshot(EventData):
    phone_id: str
    e164: str
    type: PhoneType
    primary: bool = False
    status: PhoneStatus = "active"
    wrong_number: bool = False
    opted_out: bool = False
    opted_in: bool = False
    area_code: str | None = None
    region: str | None = None
    time_zone: str | None = None


class ContactSnapshot(EventData):
    contact_id: str
    revision: int
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = []
    phones: list[PhoneSnapshot] = []
    dnc: bool = False
    tags: list[str] = []
    custom_fields: dict[str, str | int | float | bool | None] = {}
    owner_user_id: str | None = None
    # Where the address says the person lives (texting windows also apply there).
    address_state: str | None = None
    address_zip: str | None = None


class ContactCreated(EventData):
    event_type: ClassVar[str] = topics.CONTACT_CREATED
    contact: ContactSnapshot


class ContactUpdated(EventData):
    event_type: ClassVar[str] = topics.CONTACT_UPDATED
    contact: ContactSnapshot
    changed: list[str] = []


class ContactTagged(EventData):
    event_type: ClassVar[str] = topics.CONTACT_TAGGED
    tag: str
    phone_id: str | None = None
    by_user_id: str | None = None
    contact: ContactSnapshot


class ContactUntagged(EventData):
    event_type: ClassVar[str] = topics.CONTACT_UNTAGGED
    tag: str
    phone_id: str | None = None
    by_user_id: str | None = None
    contact: ContactSnapshot


class ContactDeleted(EventData):
    event_type: ClassVar[str] = topics.CONTACT_DELETED
    contact_id: str
    revision: int


OptSource = Literal["keyword", "carrier", "user", "import"]


class ContactOptedOut(EventData):
    event_type: ClassVar[str] = topics.CONTACT_OPTED_OUT
    phone_id: str
    e164: str
    source: OptSource
    keyword: str | None = None
    contact: ContactSnapshot


class ContactOptedIn(EventData):
    event_type: ClassVar[str] = topics.CONTACT_OPTED_IN
    phone_id: str
    e164: str
    source: OptSource
    keyword: str | None = None
    contact: ContactSnapshot
