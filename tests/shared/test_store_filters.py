"""The MongoDB-wire server answers string and flag filters exactly as MongoDB does, whatever it
narrows its reads by: dotted paths, arrays, arrays of documents, escaped and non-ASCII strings,
`$in`, `$all`, `$exists` and `$and`, through find, count, sort and limit, update and delete."""

import pytest

from shared.mongo import connect

ODD = 'a<b>&"c"\\d é🎉\u2028'

PEOPLE = [
    {"_id": "p1", "tags": ["Volunteer", "Donor"], "search": {"last": "dahl"}, "phones": [{"e164": "+15125550101"}],
     "outbox_pending": True},
    {"_id": "p2", "tags": "Volunteer", "search": {"last": ODD}, "phones": [], "outbox_pending": False},
    {"_id": "p3", "tags": ["Volunteer Lead"], "search": {"last": "volunteer"}, "note": "Volunteer",
     "phones": [{"e164": "+15125550103", "opted_out": True}]},
    {"_id": "p4", "tags": [ODD], "search": {"last": "ade"}, "phones": [{"e164": "+15125550102"}, {"e164": ODD}]},
    {"_id": "p5", "search": {"last": "Volunteer"}},
]

CASES = [
    ({"tags": "Volunteer"}, ["p1", "p2"]),
    ({"tags": {"$eq": "Volunteer"}}, ["p1", "p2"]),
    ({"tags": ODD}, ["p4"]),
    ({"search.last": ODD}, ["p2"]),
    ({"search.last": "Volunteer"}, ["p5"]),
    ({"phones.e164": ODD}, ["p4"]),
    ({"phones.e164": "+15125550101"}, ["p1"]),
    ({"tags": {"$in": ["Donor", ODD]}}, ["p1", "p4"]),
    ({"tags": {"$in": ["Donor", None]}}, ["p1", "p5"]),
    ({"tags": {"$all": ["Volunteer", "Donor"]}}, ["p1"]),
    ({"$and": [{"tags": "Volunteer"}, {"search.last": "dahl"}]}, ["p1"]),
    ({"$or": [{"tags": "Donor"}, {"note": "Volunteer"}]}, ["p1", "p3"]),
    ({"tags": {"$ne": "Volunteer"}}, ["p3", "p4", "p5"]),
    ({"tags": "Volunteer", "_id": {"$in": ["p2", "p3"]}}, ["p2"]),
    ({"tags": "nobody"}, []),
    ({"outbox_pending": True}, ["p1"]),
    ({"outbox_pending": {"$eq": True}}, ["p1"]),
    ({"outbox_pending": {"$exists": True}}, ["p1", "p2"]),
    ({"outbox_pending": {"$ne": True}}, ["p2", "p3", "p4", "p5"]),
    ({"phones.opted_out": True}, ["p3"]),
    ({"$and": [{"outbox_pending": True}, {"tags": "Donor"}]}, ["p1"]),
]


@pytest.fixture
async def people(infra, run_id):
    client = connect(infra["MONGO_URL"])
    collection = client[f"filters_{run_id}"]["people"]
    await collection.insert_many(PEOPLE)
    try:
        yield collection
    finally:
        await client.drop_database(collection.database.name)
        await client.close()


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(query) for query, _ in CASES])
async def test_string_filters_match_exactly(people, query, expected):
    found = [document["_id"] async for document in people.find(query, {"_id": 1}).sort("_id", 1)]
    first = [document["_id"] async for document in people.find(query, {"_id": 1}).sort("_id", -1).limit(1)]

    assert found == expected
    assert await people.count_documents(query) == len(expected)
    assert first == expected[-1:]


async def test_updated_strings_and_flags_are_found_by_their_new_value_only(people):
    await people.update_one(
        {"_id": "p1"}, {"$set": {"search.last": ODD}, "$pull": {"tags": "Volunteer"}, "$unset": {"outbox_pending": ""}}
    )
    await people.update_one({"_id": "p4"}, {"$set": {"outbox_pending": True}})

    assert [document["_id"] async for document in people.find({"outbox_pending": True})] == ["p4"]
    assert [document["_id"] async for document in people.find({"search.last": ODD}).sort("_id", 1)] == ["p1", "p2"]
    assert [document["_id"] async for document in people.find({"tags": "Volunteer"})] == ["p2"]
    assert await people.count_documents({"search.last": "dahl"}) == 0


async def test_deletes_by_string_remove_exactly_the_matches(people):
    result = await people.delete_many({"tags": "Volunteer"})

    assert result.deleted_count == 2
    assert sorted([document["_id"] async for document in people.find({})]) == ["p3", "p4", "p5"]
