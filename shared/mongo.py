"""MongoDB access through PyMongo's async API; only features FerretDB also has."""

import contextlib
import logging
from dataclasses import dataclass, field

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

log = logging.getLogger(__name__)


def connect(mongo_url: str) -> AsyncMongoClient:
    """A client for one service; created at start-up, closed at shutdown."""
    return AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")


@dataclass(frozen=True)
class CollectionIndexes:
    """The indexes one collection needs, declared next to the code that queries it."""

    collection: str
    indexes: list[IndexModel] = field(default_factory=list)


async def ensure_indexes(db: AsyncDatabase, declarations: list[CollectionIndexes]) -> None:
    """Create the declared indexes: all of them where the store serves queries from secondary
    indexes, only the unique ones (they are constraints) where it does not, since there they
    would slow every write and speed up no read.

    One createIndexes command per index: FerretDB v1 fails on a command that names
    several indexes which already exist, as happens on every restart."""
    if not declarations:
        return
    serves_queries = await serves_queries_from_secondary_indexes(db, declarations[0].collection)
    skipped = 0
    for declaration in declarations:
        for index in declaration.indexes:
            if serves_queries or index.document.get("unique"):
                await db[declaration.collection].create_indexes([index])
            else:
                skipped += 1
    if skipped:
        log.info("%s: the store serves no query from a secondary index; %d of them left to MongoDB", db.name, skipped)


async def serves_queries_from_secondary_indexes(db: AsyncDatabase, collection: str) -> bool:
    """MongoDB does; FerretDB v1 on SQLite does not: it narrows a read by `_id` or by the strings a
    filter requires (deploy/local/ferretdb/patches), never by an index of another field, and its
    explain of a filter on a number reports no filter pushdown."""
    build = await db.client.admin.command("buildInfo")
    if "ferretdbVersion" not in build:
        return True
    if collection not in await db.list_collection_names():
        with contextlib.suppress(OperationFailure):  # created by another process meanwhile
            await db.create_collection(collection, check_exists=False)
    plan = await db.command("explain", {"find": collection, "filter": {"an_indexed_field": 1}})
    return bool(plan.get("filterPushdown"))
