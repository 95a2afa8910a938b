"""The contacts service's relay: the contacts' own outbox (events riding in the changed
contact), and before it the queue of imported contacts' created events."""

import asyncio

from services.contacts.adapters.repository import IMPORTED_EVENTS
from shared.outbox import OUTBOX_FIELD, OutboxRelay


class ContactsRelay(OutboxRelay):
    """Each pass empties the import queue first (an imported contact's created event is
    published before any later change of it), then relays the contacts' outboxes.
    Queue entries are deleted once Kafka has their events; two processes relaying at
    once may both publish an entry (at least once; consumers deduplicate by event id)."""

    async def relay_pending(self) -> int:
        published = 0
        while relayed := await self._relay_imported():
            published += relayed
        return published + await super().relay_pending()

    async def _relay_imported(self) -> int:
        queue = self._db[IMPORTED_EVENTS]
        entries = await queue.find({}, {OUTBOX_FIELD: 1}).limit(self._batch_size).to_list(None)
        if not entries:
            return 0
        await asyncio.gather(*(self._publish_document(entry) for entry in entries))
        await queue.delete_many({"_id": {"$in": [entry["_id"] for entry in entries]}})
        return sum(len(entry[OUTBOX_FIELD]) for entry in entries)
