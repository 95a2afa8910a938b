"""Declared indexes are created where the store can serve queries from them; unique ones always."""

from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from shared.mongo import CollectionIndexes, connect, ensure_indexes, serves_queries_from_secondary_indexes

DECLARED = [
    CollectionIndexes("people", [IndexModel([("email", ASCENDING)], name="one_email", unique=True)]),
    CollectionIndexes("people", [IndexModel([("last_name", ASCENDING), ("first_name", ASCENDING)], name="by_name")]),
    CollectionIndexes("visits", [IndexModel([("at", ASCENDING)], name="by_time")]),
]


async def test_unique_indexes_always_exist_and_query_indexes_where_the_store_uses_them(infra, run_id):
    client = connect(infra["MONGO_URL"])
    db = client[f"indexes_{run_id}"]
    try:
        await ensure_indexes(db, DECLARED)
        await ensure_indexes(db, DECLARED)  # as on every restart
        people = set(await db["people"].index_information())
        visits = set(await db["visits"].index_information())
        uses_secondary_indexes = await serves_queries_from_secondary_indexes(db, "people")

        assert "one_email" in people
        assert ("by_name" in people) is uses_secondary_indexes
        assert ("by_time" in visits) is uses_secondary_indexes
        await db["people"].insert_one({"email": "ada@example.org"})
        try:
            await db["people"].insert_one({"email": "ada@example.org"})
        except DuplicateKeyError:
            pass
        else:
            raise AssertionError("the unique index let a second document with the same email in")
    finally:
        await client.drop_database(db.name)
        await client.close()

