"""MongoDB access through PyMongo's async API; only features FerretDB also has."""

from dataclasses import dataclass, field

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase


def connect(mongo_url: str) -> AsyncMongoClient:
    """A client for one service; created at start-up, closed at shutdown."""
    return AsyncMongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard")


@dataclass(frozen=True)
class CollectionIndexes:
    """The indexes one collection needs, declared next to the code that queries it."""

    collection: str
    indexes: list[IndexModel] = field(default_factory=list)


async def ensure_indexes(db: AsyncDatabase, declarations: list[CollectionIndexes]) -> None:
    """One createIndexes command per index: FerretDB v1 fails on a command that names
    several indexes which already exist, as happens on every restart."""
    for declaration in declarations:
        for index in declaration.indexes:
            await db[declaration.collection].create_indexes([index])
