"""The contacts service's relay: the contacts' own outbox (events riding in the changed
contact), and before it the queue of imported contacts' created events."""

import asyncio

from services.contacts.adapters.repository import IMPORTED_EVENTS
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
        entries = await queue.find({}, {OUTBOX_FIELD: 1}).limit(self._batch_size).to_list(None)
        if not entries:
            return 0
        await asyncio.gather(*(self._publish_document(entry) for entry in entries))
        await queue.delete_many({"_id": {"$in": [entry["_id"] for entry in entries]}})
        return sum(len(entry[OUTBOX_FIELD]) for entry in entries)
