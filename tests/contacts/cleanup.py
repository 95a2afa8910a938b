"""Removing what a test run wrote."""


async def remove_test_data(runtime) -> None:
    """Delete the documents, not the database: FerretDB v1 (SQLite) can deadlock the whole
    server when a database is dropped while a cursor on it is still open."""
    for name in await runtime.db.list_collection_names():
        await runtime.db[name].delete_many({})
