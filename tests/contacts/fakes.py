"""In-memory ports for fast unit tests of the contacts handlers."""

from datetime import UTC, datetime, timedelta

from services.contacts.adapters.repository import from_document, to_document
from services.contacts.domain.model import Contact
from services.contacts.domain.phones import OptOutRecord
from services.contacts.domain.grid import Criteria, Cursor, SortOrder, read_key
from services.contacts.service_layer.ports import Ports
from shared.events import Envelope


class FakeContactRepository:
    """Keeps documents as the Mongo adapter would write them, outbox included."""

    def __init__(self) -> None:
        self.documents: dict[str, dict] = {}
        self.outbox: list[Envelope] = []
        self.interfere_before_save = None  # a hook to simulate a concurrent writer

    async def add(self, contact: Contact, events: list[Envelope]) -> None:
        assert contact.contact_id not in self.documents
        self.documents[contact.contact_id] = {"_id": contact.contact_id, **to_document(contact)}
        self.outbox.extend(events)

    async def get(self, account_id: str, contact_id: str) -> Contact | None:
        document = self.documents.get(contact_id)
        if not document or document["account_id"] != account_id or document["deleted"]:
            return None
        return from_document(document)

    async def save(self, contact: Contact, *, expected_revision: int, events: list[Envelope]) -> bool:
        if self.interfere_before_save:
            hook, self.interfere_before_save = self.interfere_before_save, None
            await hook()
        current = self.documents.get(contact.contact_id)
        if not current or current["revision"] != expected_revision or current["deleted"]:
            return False
        self.documents[contact.contact_id] = {"_id": contact.contact_id, **to_document(contact)}
        self.outbox.extend(events)
        return True

    async def ids_with_number(self, account_id: str, e164: str) -> list[str]:
        return [
            key
            for key, document in self.documents.items()
            if document["account_id"] == account_id
            and not document["deleted"]
            and any(phone["e164"] == e164 for phone in document["phones"])
        ]

    def _matching(self, account_id: str, criteria: Criteria) -> list[dict]:
        """The subset of the grid filter the handler unit tests use (names, digits, tags)."""

        def matches(document) -> bool:
            search, tags = document["search"], set(document["tags"])
            return (
                document["account_id"] == account_id
                and not document["deleted"]
                and all(prefix in search["name_prefixes"] for prefix in criteria.terms.name_prefixes)
                and (criteria.terms.phone_digits is None or criteria.terms.phone_digits in search["phone_digits"])
                and set(criteria.tags_all) <= tags
                and (not criteria.tags_any or bool(set(criteria.tags_any) & tags))
                and not set(criteria.tags_none) & tags
            )

        return [document for document in self.documents.values() if matches(document)]

    async def page(self, account_id: str, criteria: Criteria, order: SortOrder, *, after: Cursor | None, limit: int):
        def key(document):
            return tuple(read_key(document, name) for name in order.keys)

        found = sorted(self._matching(account_id, criteria), key=key, reverse=order.descending)
        if after:
            found = [d for d in found if (key(d) < after.values if order.descending else key(d) > after.values)]
        return [from_document(d) for d in found[:limit]]

    async def count(self, account_id: str, criteria: Criteria) -> int:
        return len(self._matching(account_id, criteria))

    async def select_ids(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int) -> list[str]:
        ids = sorted(document["_id"] for document in self._matching(account_id, criteria))
        return [contact_id for contact_id in ids if after is None or contact_id > after][:limit]

    async def in_id_order(self, account_id: str, criteria: Criteria, *, after: str | None, limit: int):
        ids = await self.select_ids(account_id, criteria, after=after, limit=limit)
        return [from_document(self.documents[contact_id]) for contact_id in ids]

    def events(self, event_type: str | None = None) -> list[Envelope]:
        return [event for event in self.outbox if event_type is None or event.type == event_type]


class FakeOptOutRegistry:
    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], tuple[datetime, OptOutRecord | None]] = {}

    async def opted_out(self, account_id: str, numbers: list[str]) -> dict[str, OptOutRecord]:
        found = {}
        for number in numbers:
            _, record = self.numbers.get((account_id, number), (None, None))
            if record:
                found[number] = record
        return found

    async def record(self, account_id: str, e164: str, *, opt_out, event_time: datetime) -> None:
        current = self.numbers.get((account_id, e164))
        if current and current[0] > event_time:
            return
        self.numbers[(account_id, e164)] = (event_time, opt_out)


class SteppingClock:
    """A clock that moves 1 ms each time it is read."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def fake_ports() -> Ports:
    counter = iter(range(1, 10**6))
    return Ports(
        contacts=FakeContactRepository(),
        opt_outs=FakeOptOutRegistry(),
        clock=SteppingClock(),
        new_contact_id=lambda: f"contact-{next(counter)}",
        new_phone_id=lambda: f"phone-{next(counter)}",
    )
