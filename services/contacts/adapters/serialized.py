"""One writer at a time per process, for MongoDB-wire servers without write isolation.

FerretDB v1 (SQLite backend) carries out an update by reading the document, applying
the operators in Go and writing the whole document back, with nothing in between to
stop another update from doing the same: of 200 concurrent `$inc`s on one document,
about 15 survive. For this service that meant the outbox relay's claim/acknowledge
writes silently undoing a concurrent tag (and its event), and two compare-on-revision
saves both succeeding. Routing every write of the process through one lock restores
isolation between this process's writers (SQLite admits one writer at a time anyway).
Real MongoDB applies single-document updates atomically; there, turn this off
(CONTACTS_SERIALIZE_WRITES=false).
"""

import asyncio
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

_WRITES = frozenset(
    {
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "bulk_write",
    }
)


class SerializedWritesDatabase:
    """Wraps an AsyncDatabase; its collections' writes take one shared lock."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._db = db
        self._lock = asyncio.Lock()

    def __getitem__(self, name: str) -> "SerializedWritesCollection":
        return SerializedWritesCollection(self._db[name], self._lock)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


class SerializedWritesCollection:
    def __init__(self, collection: AsyncCollection, lock: asyncio.Lock) -> None:
        self._collection = collection
        self._lock = lock

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._collection, name)
        if name not in _WRITES:
            return attribute

        async def serialized(*args, **kwargs):
            async with self._lock:
                return await attribute(*args, **kwargs)

        return serialized
