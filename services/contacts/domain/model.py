"""The contact aggregate: a person, their phones, tags and consent, and the rules
that change them. Every change bumps `revision`, adds a timeline entry and records
the events to publish, each carrying the full snapshot at that revision."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, PrivateAttr

from services.contacts.domain import fields
from services.contacts.domain.errors import ConsentConflict, InvalidContact
from services.contacts.domain.phones import ConsentRecord, OptOutRecord, ParsedPhoneInput, Phone, reconcile_phones
from services.contacts.domain.tags import DO_NOT_CONTACT, OPT_IN, PHONE_TAGS, SYSTEM_TAGS, WRONG_NUMBER
from shared.events import (
    ContactCreated,
    ContactDeleted,
    ContactOptedIn,
    ContactOptedOut,
    ContactSnapshot,
    ContactTagged,
    ContactUntagged,
    ContactUpdated,
    EventData,
)
from shared.events.contacts import OptSource

TIMELINE_LIMIT = 200
APPLIED_EVENTS_LIMIT = 50

# Fields a PATCH may change, and what `contact.updated` may list as changed.
EDITABLE_FIELDS = ("first_name", "last_name", "emails", "address", "phones", "custom_fields", "owner_user_id", "notes")
TRACKED_FIELDS = (*EDITABLE_FIELDS, "tags")


# Activities in which the person was in contact (the grid's last-contacted range).
CONTACT_KINDS = ("texted", "replied", "called")


class Actor(BaseModel):
    """Who caused a change: a user, or the person themself / the carrier via an event."""

    user_id: str | None = None
    source: Literal["user", "keyword", "carrier", "import", "system"] = "user"


class Consent(BaseModel):
    method: str
    note: str | None = None


class TimelineEntry(BaseModel):
    at: datetime
    kind: str
    by_user_id: str | None = None
    source: str = "user"
    detail: dict[str, Any] = {}


class Contact(BaseModel):
    contact_id: str
    account_id: str
    revision: int = 0
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = []
    address: dict[str, str] | None = None
    phones: list[Phone] = []
    dnc: bool = False
    tags: list[str] = []
    custom_fields: dict[str, fields.CustomValue] = {}
    owner_user_id: str | None = None
    notes: str | None = None
    created_by_user_id: str | None = None
    created_at: datetime
    updated_at: datetime
    deleted: bool = False
    deleted_at: datetime | None = None
    last_contacted_at: datetime | None = None
    timeline: list[TimelineEntry] = []
    applied_event_ids: list[str] = []

    _events: list[EventData] = PrivateAttr(default_factory=list)

    # ----- creation -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        contact_id: str,
        account_id: str,
        first_name: str | None,
        last_name: str | None,
        emails: list[str],
        address: dict[str, str | None] | None,
        phones: list[ParsedPhoneInput],
        tags: list[str],
        custom_fields: dict[str, fields.CustomValue],
        owner_user_id: str | None,
        notes: str | None,
        opted_out: dict[str, OptOutRecord],
        new_phone_id: Callable[[], str],
        actor: Actor,
        now: datetime,
    ) -> "Contact":
        """A new contact at revision 1; `tags` are already normalised names."""
        first, last = fields.clean_name(first_name), fields.clean_name(last_name)
        fields.require_a_name(first, last)
        for index, tag in enumerate(tags):
            if tag in PHONE_TAGS:
                raise InvalidContact.of(f"tags.{index}", f"'{tag}' is about one phone; tag that phone once the contact exists")
        contact = cls(
            contact_id=contact_id,
            account_id=account_id,
            first_name=first,
            last_name=last,
            emails=fields.clean_emails(emails),
            address=fields.clean_address(address),
            phones=reconcile_phones([], phones, opted_out=opted_out, new_id=new_phone_id),
            dnc=DO_NOT_CONTACT in tags,
            tags=list(dict.fromkeys(tag for tag in tags if tag not in SYSTEM_TAGS)),
            custom_fields=fields.merge_custom_fields({}, custom_fields),
            owner_user_id=owner_user_id or actor.user_id,
            notes=_clean_notes(notes),
            created_by_user_id=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        contact._sync_system_tags()
        contact._touch(now)
        contact._log(now, actor, "created")
        contact._events.append(ContactCreated(contact=contact.snapshot()))
        return contact

    # ----- edits ----------------------------------------------------------------------

    def edit(
        self,
        patch: dict[str, Any],
        *,
        phones: list[ParsedPhoneInput] | None,
        opted_out: dict[str, OptOutRecord],
        new_phone_id: Callable[[], str],
        actor: Actor,
        now: datetime,
    ) -> list[str]:
        """Apply a partial update (only the keys present change); returns the changed field names."""
        values = self._cleaned(patch)
        if phones is not None:
            values["phones"] = reconcile_phones(self.phones, phones, opted_out=opted_out, new_id=new_phone_id)
        fields.require_a_name(values.get("first_name", self.first_name), values.get("last_name", self.last_name))
        before = self._tracked_state()
        for name, value in values.items():
            setattr(self, name, value)
        self._sync_system_tags()
        changed = [name for name, value in self._tracked_state().items() if before[name] != value]
        if not changed:
            return []
        self._touch(now)
        self._log(now, actor, "edited", {"fields": changed})
        self._events.append(ContactUpdated(contact=self.snapshot(), changed=changed))
        return changed

    def _cleaned(self, patch: dict[str, Any]) -> dict[str, Any]:
        cleaners: dict[str, Callable[[Any], Any]] = {
            "first_name": fields.clean_name,
            "last_name": fields.clean_name,
            "emails": fields.clean_emails,
            "address": fields.clean_address,
            "custom_fields": lambda value: {} if value is None else fields.merge_custom_fields(self.custom_fields, value),
            "owner_user_id": lambda value: value or None,
            "notes": _clean_notes,
        }
        return {name: cleaners[name](value) for name, value in patch.items() if name in cleaners}

    def delete(self, *, actor: Actor, now: datetime) -> None:
        self.deleted = True
        self.deleted_at = now
        self._touch(now)
        self._log(now, actor, "deleted")
        self._events.append(ContactDeleted(contact_id=self.contact_id, revision=self.revision))

    # ----- tags -----------------------------------------------------------------------

    def tag(self, name: str, *, phone_id: str | None, consent: Consent | None, actor: Actor, now: datetime) -> bool:
        """Add a tag (`name` already normalised); False when it was already there."""
        consented_phone = None
        if name == DO_NOT_CONTACT:
            self._refuse_phone(name, phone_id)
            if self.dnc:
                return False
            self.dnc = True
        elif name == WRONG_NUMBER:
            phone = self._phone_for(name, phone_id)
            if phone.wrong_number:
                return False
            phone.wrong_number = True
        elif name == OPT_IN:
            phone = self._phone_for(name, phone_id)
            method = " ".join((consent.method if consent else "").split())
            if not method:
                raise InvalidContact.of("consent.method", "Opt-In needs how the person consented (consent.method)")
            if phone.opted_out:
                raise ConsentConflict(
                    f"{phone.e164} opted out ({phone.opt_out.source if phone.opt_out else 'unknown'}); "
                    "only the person can opt back in, by texting START"
                )
            if phone.opted_in:
                return False
            phone.opted_in = True
            phone.opt_in = ConsentRecord(by_user_id=actor.user_id, at=now, method=method, note=consent.note or None)
            consented_phone = phone
        else:
            self._refuse_phone(name, phone_id)
            if name in self.tags:
                return False
            self.tags.append(name)
        self._sync_system_tags()
        self._touch(now)
        self._log(now, actor, "tagged", {"tag": name, "phone_id": phone_id})
        snapshot = self.snapshot()
        self._events.append(ContactTagged(tag=name, phone_id=phone_id, by_user_id=actor.user_id, contact=snapshot))
        if consented_phone is not None:
            self._log(now, actor, "opted_in", {"phone_id": phone_id, "method": consented_phone.opt_in.method})
            self._events.append(
                ContactOptedIn(phone_id=consented_phone.phone_id, e164=consented_phone.e164, source="user", contact=snapshot)
            )
        return True

    def untag(self, name: str, *, phone_id: str | None, actor: Actor, now: datetime) -> bool:
        """Remove a tag; False when it was not there."""
        if name == DO_NOT_CONTACT:
            self._refuse_phone(name, phone_id)
            if not self.dnc:
                return False
            self.dnc = False
        elif name == WRONG_NUMBER:
            phone = self._phone_for(name, phone_id)
            if not phone.wrong_number:
                return False
            phone.wrong_number = False
        elif name == OPT_IN:
            phone = self._phone_for(name, phone_id)
            if not phone.opted_in:
                return False
            phone.opted_in = False
            phone.opt_in = None
        else:
            self._refuse_phone(name, phone_id)
            if name not in self.tags:
                return False
            self.tags.remove(name)
        self._sync_system_tags()
        self._touch(now)
        self._log(now, actor, "untagged", {"tag": name, "phone_id": phone_id})
        self._events.append(
            ContactUntagged(tag=name, phone_id=phone_id, by_user_id=actor.user_id, contact=self.snapshot())
        )
        return True

    def rename_tag(self, old: str, new: str, *, actor: Actor, now: datetime) -> bool:
        """A custom tag renamed account-wide; the contact keeps its place in the list."""
        if old not in self.tags or old in SYSTEM_TAGS:
            return False
        self.tags = list(dict.fromkeys(new if tag == old else tag for tag in self.tags))
        self._touch(now)
        self._log(now, actor, "edited", {"fields": ["tags"], "renamed_tag": {"from": old, "to": new}})
        self._events.append(ContactUpdated(contact=self.snapshot(), changed=["tags"]))
        return True

    def _phone_for(self, tag: str, phone_id: str | None) -> Phone:
        if not phone_id:
            raise InvalidContact.of("phone_id", f"'{tag}' is about one phone: give its phone_id")
        phone = self.phone(phone_id)
        if phone is None:
            raise InvalidContact.of("phone_id", f"this contact has no phone '{phone_id}'")
        return phone

    @staticmethod
    def _refuse_phone(tag: str, phone_id: str | None) -> None:
        if phone_id:
            raise InvalidContact.of("phone_id", f"'{tag}' applies to the person, not to one phone; leave phone_id out")

    def _sync_system_tags(self) -> None:
        """System tags mirror the flags they stand for, first and in a fixed order."""
        present = {
            DO_NOT_CONTACT: self.dnc,
            WRONG_NUMBER: any(phone.wrong_number for phone in self.phones),
            OPT_IN: any(phone.opted_in for phone in self.phones),
        }
        custom = [tag for tag in self.tags if tag not in SYSTEM_TAGS]
        self.tags = [tag for tag in SYSTEM_TAGS if present[tag]] + custom

    # ----- consent from the person (keywords) or the carrier --------------------------

    def record_opt_out(
        self, *, e164: str, source: OptSource, keyword: str | None, event_id: str, event_time: datetime, now: datetime
    ) -> bool:
        """The person texted STOP (or the carrier reports they unsubscribed). Revokes any
        consent on every phone of theirs with that number. False when nothing changed."""
        if event_id in self.applied_event_ids:
            return False
        phones = [
            phone for phone in self.phones
            if phone.e164 == e164 and not phone.opted_out and not _newer(phone.consent_changed_at, event_time)
        ]
        if not phones:
            return False
        for phone in phones:
            phone.opted_out = True
            phone.opt_out = OptOutRecord(source=source, at=event_time, keyword=keyword)
            phone.opted_in = False
            phone.opt_in = None
            phone.consent_changed_at = event_time
        self._after_consent_change(now, event_id)
        snapshot = self.snapshot()
        for phone in phones:
            self._log(now, Actor(source=source), "opted_out", {"phone_id": phone.phone_id, "keyword": keyword})
            self._events.append(
                ContactOptedOut(phone_id=phone.phone_id, e164=phone.e164, source=source, keyword=keyword, contact=snapshot)
            )
        return True

    def record_opt_in(self, *, e164: str, keyword: str | None, event_id: str, event_time: datetime, now: datetime) -> bool:
        """The person texted START: they are subscribed again and have given consent."""
        if event_id in self.applied_event_ids:
            return False
        phones = [
            phone for phone in self.phones
            if phone.e164 == e164
            and (phone.opted_out or not phone.opted_in)
            and not _newer(phone.consent_changed_at, event_time)
        ]
        if not phones:
            return False
        for phone in phones:
            phone.opted_out = False
            phone.opt_out = None
            phone.opted_in = True
            phone.opt_in = ConsentRecord(by_user_id=None, at=event_time, method="keyword", keyword=keyword)
            phone.consent_changed_at = event_time
        self._after_consent_change(now, event_id)
        snapshot = self.snapshot()
        for phone in phones:
            self._log(now, Actor(source="keyword"), "opted_in", {"phone_id": phone.phone_id, "keyword": keyword})
            self._events.append(
                ContactOptedIn(phone_id=phone.phone_id, e164=phone.e164, source="keyword", keyword=keyword, contact=snapshot)
            )
        return True

    def _after_consent_change(self, now: datetime, event_id: str) -> None:
        self.applied_event_ids = [*self.applied_event_ids, event_id][-APPLIED_EVENTS_LIMIT:]
        self._sync_system_tags()
        self._touch(now)

    # ----- activity seen elsewhere (texts, replies, calls) -----------------------------

    def record_activity(
        self, kind: str, *, by_user_id: str | None, event_id: str, at: datetime, detail: dict[str, Any], now: datetime
    ) -> bool:
        """A text sent, a reply received or a call made: on the timeline, and the time
        the person was last in contact (other kinds, such as a thread changing hands, only
        on the timeline). Not part of the snapshot, so no event; the revision still moves
        so that concurrent edits cannot write over it."""
        if event_id in self.applied_event_ids:
            return False
        self.applied_event_ids = [*self.applied_event_ids, event_id][-APPLIED_EVENTS_LIMIT:]
        in_contact = kind in CONTACT_KINDS
        if in_contact and (self.last_contacted_at is None or at > self.last_contacted_at):
            self.last_contacted_at = at
        source = "user" if by_user_id else "system"
        self._log(at, Actor(user_id=by_user_id, source=source), kind, detail)
        self.timeline = sorted(self.timeline, key=lambda entry: entry.at)[-TIMELINE_LIMIT:]
        self._touch(now)
        return True

    # ----- imports ----------------------------------------------------------------------

    def merge_import(
        self,
        row: "Contact",
        *,
        tags: list[str],
        actor: Actor,
        now: datetime,
    ) -> list[str]:
        """Merge an imported row into this existing contact. The merge rule: what the
        contact already has wins; the row only fills blanks (names, address parts,
        custom fields) and adds what is new (emails, phones by number, tags). Returns
        the changed fields; emits `contact.updated` when anything changed."""
        before = self._tracked_state()
        if not self.first_name and not self.last_name:
            self.first_name, self.last_name = row.first_name, row.last_name
        known_emails = {email.casefold() for email in self.emails}
        self.emails = [*self.emails, *(email for email in row.emails if email.casefold() not in known_emails)][:10]
        if row.address:
            self.address = {**row.address, **(self.address or {})}
        known_numbers = {phone.e164 for phone in self.phones}
        added = [phone.model_copy(update={"primary": False}) for phone in row.phones if phone.e164 not in known_numbers]
        self.phones = [*self.phones, *added][:20]
        self.custom_fields = {**row.custom_fields, **self.custom_fields}
        if self.notes is None and row.notes:
            self.notes = row.notes
        for tag in tags:
            if tag == DO_NOT_CONTACT:
                self.dnc = True
            elif tag not in self.tags and tag not in SYSTEM_TAGS:
                self.tags.append(tag)
        self._sync_system_tags()
        changed = [name for name, value in self._tracked_state().items() if before[name] != value]
        if not changed:
            return []
        self._touch(now)
        self._log(now, actor, "edited", {"fields": changed, "by_import": True})
        self._events.append(ContactUpdated(contact=self.snapshot(), changed=changed))
        return changed

    # ----- reading --------------------------------------------------------------------

    def phone(self, phone_id: str) -> Phone | None:
        return next((phone for phone in self.phones if phone.phone_id == phone_id), None)

    def snapshot(self) -> ContactSnapshot:
        return ContactSnapshot(
            contact_id=self.contact_id,
            revision=self.revision,
            first_name=self.first_name,
            last_name=self.last_name,
            emails=list(self.emails),
            phones=[phone.snapshot() for phone in self.phones],
            dnc=self.dnc,
            tags=list(self.tags),
            custom_fields=dict(self.custom_fields),
            owner_user_id=self.owner_user_id,
            address_state=(self.address or {}).get("state"),
            address_zip=(self.address or {}).get("zip"),
        )

    def pull_events(self) -> list[EventData]:
        """The events recorded since the last pull, oldest first."""
        events, self._events = self._events, []
        return events

    # ----- bookkeeping ----------------------------------------------------------------

    def _tracked_state(self) -> dict[str, Any]:
        return {name: _comparable(getattr(self, name)) for name in TRACKED_FIELDS}

    def _touch(self, now: datetime) -> None:
        self.revision += 1
        self.updated_at = now

    def _log(self, now: datetime, actor: Actor, kind: str, detail: dict[str, Any] | None = None) -> None:
        entry = TimelineEntry(at=now, kind=kind, by_user_id=actor.user_id, source=actor.source, detail=detail or {})
        self.timeline = [*self.timeline, entry][-TIMELINE_LIMIT:]


def _clean_notes(notes: str | None) -> str | None:
    return notes.strip() or None if notes else None


def _newer(consent_changed_at: datetime | None, event_time: datetime) -> bool:
    return consent_changed_at is not None and consent_changed_at > event_time


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value
