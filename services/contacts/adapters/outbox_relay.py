"""The contacts service's relay: the contacts' own outbox (events riding in the changed
contact), and before it the queue of imported contacts' created events."""

import asyncio
import json

from services.contacts.adapters.repository import IMPORTED_EVENTS, IMPORTED_EVENTS_FIELD
from shared.outbox import OUTBOX_FIELD, OutboxRelay


class ContactsRelay(OutboxRelay):
    """Each pass empties the import queue first (an imported contact's created event is
    published before any later change of it), then relays the contacts' outboxes.
    Queue entries are deleted once Kafka has their events; two processes relaying at
    once may both publish an entry (at least once; consumers deduplicate by event id).

    Looking for pending contacts reads the whole collection on a store without a usable
    index, so a pass looks only when a contact was written since the last look, when the
    last look found some (there may be more), or at a periodic look (which also covers
    other processes' writes); a pass woken by an import batch empties just the queue."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._contacts_changed = True

    def kick(self) -> None:
        """A contact was written: its outbox may hold events."""
        self._contacts_changed = True
        super().kick()

    def kick_imports(self) -> None:
        """Imported contacts were queued."""
        super().kick()

    async def relay_pending(self) -> int:
        published = 0
        while relayed := await self._relay_imported():
            published += relayed
        if self._contacts_changed:
            self._contacts_changed = False
            relayed = await super().relay_pending()
            self._contacts_changed = self._contacts_changed or relayed > 0
            published += relayed
        return published

    async def _wait_for_kick(self, seconds: float) -> bool:
        kicked = await super()._wait_for_kick(seconds)
        if not kicked:
            self._contacts_changed = True
        return kicked

    async def _relay_imported(self) -> int:
        queue = self._db[IMPORTED_EVENTS]
        entries = await queue.find({}).limit(self._batch_size).to_list(None)
        if not entries:
            return 0
        events = [_queued_events(entry) for entry in entries]
        await asyncio.gather(*(self._publish_document({OUTBOX_FIELD: queued}) for queued in events))
        await queue.delete_many({"_id": {"$in": [entry["_id"] for entry in entries]}})
        return sum(len(queued) for queued in events)


def _queued_events(entry: dict) -> list[dict]:
    """An entry's events: JSON text, or a list queued before they were stored as text."""
    if IMPORTED_EVENTS_FIELD in entry:
        return json.loads(entry[IMPORTED_EVENTS_FIELD])
    return entry.get(OUTBOX_FIELD, [])
