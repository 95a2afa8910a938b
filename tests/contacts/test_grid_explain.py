"""MongoDB serves every grid query shape from an index: each filter, each sort and the count are
explained by the server, and none may scan the collection or sort in memory (a blocking SORT).

Only a real mongod plans queries this way (FerretDB on SQLite scans by design), so this runs where
CRM_MONGO_IMPL=mongod (the GitHub Actions workflow) and is skipped, saying so, elsewhere.
"""

import os
import uuid
from datetime import UTC, datetime

import pytest
from pymongo import AsyncMongoClient

from services.contacts.adapters.repository import CONTACTS, INDEXES, MongoContactRepository, grid_query
from services.contacts.domain.grid import SORTS, ContactFilter, criteria_of, sort_order
from shared.mongo import ensure_indexes

pytestmark = pytest.mark.skipif(os.environ.get("CRM_MONGO_IMPL") != "mongod",
                                reason="needs a real mongod as the store (CRM_MONGO_IMPL=mongod); FerretDB plans no indexes")

ACCOUNT = "acct-explain"
FILTERS = {
    "none": {},
    "name prefix": {"q": "smi"},
    "two name prefixes": {"q": "jo smi"},
    "email": {"q": "someone@example.com"},
    "phone digits": {"q": "555 01"},
    "tag": {"tag": "volunteer"},
    "tags_any": {"tags_any": ["volunteer", "donor"]},
    "tags_all": {"tags_all": ["volunteer", "donor"]},
    "tags_none": {"tags_none": ["volunteer"]},
    "has_cell": {"has_cell": True},
    "dnc": {"dnc": True},
    "opted_in": {"opted_in": True},
    "wrong_number": {"wrong_number": False},
    "city": {"city": "Springfield"},
    "state": {"state": "OR"},
    "tag + state": {"tag": "volunteer", "state": "OR"},
    "zip": {"zip": "97201"},
    "owner": {"owner": "user-1"},
    "created range": {"created_from": datetime(2026, 1, 1, tzinfo=UTC), "created_to": datetime(2026, 6, 1, tzinfo=UTC)},
    "last contacted range": {"last_contacted_from": datetime(2026, 1, 1, tzinfo=UTC)},
}


@pytest.fixture
async def db(infra):
    client = AsyncMongoClient(infra["MONGO_URL"], tz_aware=True)
    database = client[f"grid_explain_{uuid.uuid4().hex[:8]}"]
    await ensure_indexes(database, INDEXES)
    yield database
    await client.drop_database(database.name)
    await client.close()


def _stages(plan) -> set[str]:
    if isinstance(plan, dict):
        found = {plan["stage"]} if isinstance(plan.get("stage"), str) else set()
        return found.union(*(_stages(value) for value in plan.values()))
    if isinstance(plan, list):
        return set().union(*(_stages(value) for value in plan))
    return set()


def _refused(explained: dict) -> set[str]:
    return _stages(explained["queryPlanner"]["winningPlan"]) & {"COLLSCAN", "SORT"}


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("name", list(FILTERS))
async def test_every_page_of_the_grid_is_an_index_range_read_in_order(db, name, sort):
    explained = await MongoContactRepository(db).explain_page(ACCOUNT, criteria_of(ContactFilter(**FILTERS[name])), sort_order(sort), 50)
    assert not _refused(explained), f"{name} sorted by {sort}: {explained['queryPlanner']['winningPlan']}"


@pytest.mark.parametrize("name", list(FILTERS))
async def test_every_count_of_the_grid_is_an_index_scan(db, name):
    query = grid_query(ACCOUNT, criteria_of(ContactFilter(**FILTERS[name])))
    explained = await db.command({"explain": {"count": CONTACTS, "query": query}, "verbosity": "queryPlanner"})
    assert not _refused(explained), f"count of {name}: {explained['queryPlanner']['winningPlan']}"
