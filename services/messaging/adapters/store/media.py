"""MMS media: one document per image (uploaded for a text, or fetched from the carrier for a reply),
its bytes stored with it (a text's media are at most 5 MB, well inside a document)."""

from functools import cached_property

from bson import Binary
from pymongo.errors import DuplicateKeyError

from services.messaging.adapters.store.common import StoreBase, in_account, now

MEDIA = "media"
_WITHOUT_BYTES = {"data": 0}


class MediaStore(StoreBase):
    @cached_property
    def _media(self):
        return self._db[MEDIA]

    async def add_media(self, document: dict, data: bytes) -> dict:
        """Store a medium; one whose id is taken already (a webhook delivered twice) is left as it is."""
        described = {**document, "size": len(data), "created_at": now()}
        try:
            await self._media.insert_one({**described, "data": Binary(data)})
        except DuplicateKeyError:
            pass
        return described

    async def media_of_account(self, account_id: str, media_ids: list[str]) -> dict[str, dict]:
        """The account's media among `media_ids`, by id, without their bytes (another account's are left out)."""
        found = await self._by_ids(self._media, media_ids, _WITHOUT_BYTES)
        return {media_id: document for media_id, document in found.items() if document.get("account_id") == account_id}

    async def media_content(self, media_id: str, account_id: str | None = None) -> dict | None:
        """A medium with its bytes; in `account_id` only, when one is given."""
        document = await self._media.find_one({"_id": media_id})
        return document if account_id is None else in_account(document, account_id)
