"""The images of a received MMS: fetched from the carrier once, stored in the account's media."""

import logging
from typing import Protocol

from services.messaging.adapters.carrier_media import FetchedMedium, MediumRefused
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import derived_id
from services.messaging.domain.media import ALLOWED_CONTENT_TYPES, describe, received_media, sniffed_type

log = logging.getLogger(__name__)


class MediaSource(Protocol):
    async def fetch(self, url: str) -> FetchedMedium: ...


async def store_received_media(params: dict, *, account_id: str, carrier_sid: str, store: MessagingStore,
                               source: MediaSource) -> list[dict]:
    """What the message records of each medium the webhook names; one the carrier refuses for good is
    left out (and logged), one it could not give now raises MediumUnavailable (the webhook is retried)."""
    items = []
    for medium in received_media(params):
        media_id = derived_id("inbound-media", account_id, carrier_sid, str(medium.index))
        stored = (await store.media_of_account(account_id, [media_id])).get(media_id)
        if stored is None:
            try:
                fetched = await source.fetch(medium.url)
            except MediumRefused as refused:
                log.warning("medium %d of received text %s left out: %s", medium.index, carrier_sid, refused)
                continue
            content_type = _type_of(fetched, medium.declared_type)
            document = {"_id": media_id, "account_id": account_id, "content_type": content_type, "origin": "inbound",
                        "carrier_sid": carrier_sid, "carrier_url": medium.url}
            stored = {**await store.add_media(document, fetched.data)}
        items.append(describe(stored))
    return items


def _type_of(fetched: FetchedMedium, declared: str) -> str:
    """An image's type by its bytes; anything else (a contact card, a video) as the carrier labelled it."""
    sniffed = sniffed_type(fetched.data)
    if sniffed in ALLOWED_CONTENT_TYPES:
        return sniffed
    return fetched.content_type or declared or "application/octet-stream"
