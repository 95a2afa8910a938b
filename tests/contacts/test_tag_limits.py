"""Limits on tags, on the real FerretDB: per contact and per account, on every way a tag is
added (a new contact, one tag, a bulk tag, a new tag, an import's rows and its tags to apply),
each refusal a 409 naming the limit; and tags registered in a few round trips however many."""

import asyncio

import httpx
import pytest
from pymongo import AsyncMongoClient, monitoring

from services.contacts.adapters.imports import utc_now
from services.contacts.adapters.tag_count import STALE_AFTER, AccountTagCount
from services.contacts.adapters.tags import MongoTagRegistry
from services.contacts.bootstrap import create_app
from services.contacts.domain.tags import TagLimitReached
from tests.contacts.test_imports import HEADER, MAPPING, error_report, finished, grid, run_import, upload

pytestmark = pytest.mark.usefixtures("contacts_runtime")


@pytest.fixture
async def small_limits(contacts_settings, contacts_runtime):
    """The service with 3 tags per contact and 5 per account (imports keep the defaults)."""
    settings = contacts_settings.model_copy(update={"max_tags_per_contact": 3, "max_tags_per_account": 5})
    app = create_app(settings, runtime=contacts_runtime)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://contacts") as client:
        yield client


def refused(response, limit: str, allowed: int, count: int) -> None:
    assert response.status_code == 409, response.text
    body = response.json()
    assert (body["limit"], body["allowed"], body["count"]) == (limit, allowed, count), body
    assert limit in body["detail"] and str(allowed) in body["detail"]


async def test_each_way_of_adding_a_tag_stops_at_the_limits_and_the_limits_are_readable(small_limits, account, as_user):
    http, headers = small_limits, as_user(account)
    limits = await http.get("/v1/contacts/limits", headers=headers)
    assert limits.json() == {"tags_per_contact": {"limit": 3, "used": None}, "tags_per_account": {"limit": 5, "used": 0}}

    refused(await http.post("/v1/contacts", headers=headers, json={"first_name": "Too", "tags": ["A", "B", "C", "D"]}),
            "tags_per_contact", 3, 4)
    full = (await http.post("/v1/contacts", headers=headers, json={
        "first_name": "Full", "tags": ["A", "B", "C"], "phones": [{"number": "2025550140", "type": "cell"}],
    })).json()
    refused(await http.post(f"/v1/contacts/{full['id']}/tags", headers=headers, json={"tag": "D"}), "tags_per_contact", 3, 4)
    again = await http.post(f"/v1/contacts/{full['id']}/tags", headers=headers, json={"tag": "a"})
    assert again.status_code == 200 and again.json()["tags"] == ["A", "B", "C"], "a tag it carries is no new tag"
    dnc = await http.post(f"/v1/contacts/{full['id']}/tags", headers=headers, json={"tag": "Do Not Contact"})
    assert dnc.status_code == 200 and "Do Not Contact" in dnc.json()["tags"], "system tags never count"

    other = (await http.post("/v1/contacts", headers=headers, json={"first_name": "Other", "tags": ["A"]})).json()
    bulk = await http.post("/v1/contacts/bulk/tag", headers=headers, json={"tag": "D", "contact_ids": [full["id"], other["id"]]})
    assert bulk.status_code == 200, bulk.text
    assert bulk.json() == {"matched": 1, "changed": 1, "not_found": [], "at_tag_limit": 1}
    assert (await http.get(f"/v1/contacts/{other['id']}", headers=headers)).json()["tags"] == ["A", "D"]

    assert (await http.post("/v1/tags", headers=headers, json={"name": "E"})).status_code == 201
    refused(await http.post("/v1/tags", headers=headers, json={"name": "F"}), "tags_per_account", 5, 5)
    refused(await http.post(f"/v1/contacts/{other['id']}/tags", headers=headers, json={"tag": "F"}), "tags_per_account", 5, 5)
    refused(await http.post("/v1/contacts/bulk/tag", headers=headers, json={"tag": "F", "contact_ids": [other["id"]]}),
            "tags_per_account", 5, 5)
    refused(await http.post("/v1/contacts", headers=headers, json={"first_name": "New", "tags": ["F"]}), "tags_per_account", 5, 5)
    assert (await http.post(f"/v1/contacts/{other['id']}/tags", headers=headers, json={"tag": "E"})).status_code == 200

    admin = as_user(account, role="admin")
    job = await upload(http, admin, f"{HEADER}\nAda,Lovelace,,,,,,,,\n".encode())
    refused(await http.post(f"/v1/imports/{job['id']}/start", headers=admin, json={**MAPPING, "tags": ["F"]}), "tags_per_account", 5, 5)
    assert (await http.get(f"/v1/imports/{job['id']}", headers=admin)).json()["status"] == "uploaded"
    assert (await http.get("/v1/contacts/limits", headers=headers)).json()["tags_per_account"] == {"limit": 5, "used": 5}
    assert (await http.get("/v1/contacts/limits", headers=as_user(account + "-x"))).json()["tags_per_account"]["used"] == 0


async def test_import_rows_past_the_contact_limit_are_failed_rows_and_the_rest_lands(http, account, as_user):
    """The import's tag to apply counts too: 99 tags in the column + "Imported" is the most."""
    headers = as_user(account, role="admin")
    many = ";".join(f"T{n}" for n in range(100))
    most = ";".join(f"T{n}" for n in range(99))
    content = "\n".join([
        HEADER,
        f"Too,Many,,2025550101,,,,,{many},",
        f"Just,Enough,,2025550102,,,,,{most},",
        "Same,Person,,2025550102,,,,,Extra,",          # merges into the row above: one too many
        "Fine,Row,,2025550103,,,,,T1,",
    ]).encode()
    job = await run_import(http, headers, content)
    assert (job["rows_read"], job["created"], job["merged"], job["failed"]) == (4, 2, 0, 2)
    reasons = {int(row[0]): row[1] for row in (await error_report(http, headers, job["id"]))[1:]}
    assert set(reasons) == {2, 4}
    assert "tags_per_contact" in reasons[2] and "101" in reasons[2]
    assert "tags_per_contact" in reasons[4] and "101" in reasons[4]
    [enough] = await grid(http, headers, q="enough")
    assert len(enough["tags"]) == 100 and "Extra" not in enough["tags"]

    later = await run_import(http, headers, "\n".join([HEADER, "Later,Row,,2025550102,,,,,Extra,", "Also,Fine,,2025550103,,,,,T2,"]).encode())
    assert (later["created"], later["merged"], later["failed"]) == (0, 1, 1), "a merge into a full contact is a failed row"
    [row] = (await error_report(http, headers, later["id"]))[1:]
    assert row[0] == "2" and "tags_per_contact" in row[1]


async def test_import_rows_needing_a_tag_past_the_account_limit_are_failed_rows(http, contacts_runtime, account, as_user):
    headers = as_user(account, role="admin")
    registry = MongoTagRegistry(contacts_runtime.db)
    await contacts_runtime.db["tags"].insert_many([
        {"_id": f"{account}-{n}", "account_id": account, "key": f"old-{n}", "name": f"Old-{n}", "color": None} for n in range(4998)
    ])
    mapping = {"columns": MAPPING["columns"]}
    content = "\n".join([
        HEADER,
        "New,Two,,2025550201,,,,,N1;N2,",           # 5000 tags with these
        "No,Room,,2025550202,,,,,N1;N3,",           # N3 finds no room
        "Known,Tag,,2025550203,,,,,old-7,",         # an existing tag, whatever its case
        "No,Tags,,2025550204,,,,,,",
    ]).encode()
    job = await upload(http, headers, content)
    assert (await http.post(f"/v1/imports/{job['id']}/start", json=mapping, headers=headers)).status_code == 200
    job = await finished(http, headers, job["id"])
    assert (job["created"], job["merged"], job["failed"]) == (3, 0, 1)
    [row] = (await error_report(http, headers, job["id"]))[1:]
    assert row[0] == "3" and "tags_per_account" in row[1] and "N3" in row[1]
    [known] = await grid(http, headers, q="known")
    assert known["tags"] == ["Old-7"]
    assert await registry.count(account) == 5000


class CommandCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event) -> None:
        self.commands.append(event.command_name)

    def succeeded(self, event) -> None: ...

    def failed(self, event) -> None: ...


async def test_many_tags_are_registered_in_a_few_round_trips(infra, contacts_settings, account):
    counter = CommandCounter()
    client = AsyncMongoClient(infra["MONGO_URL"], event_listeners=[counter])
    try:
        registry = MongoTagRegistry(client[contacts_settings.database])
        names = [f"Tag {n}" for n in range(500)] + ["tag 7", "TAG 8"]
        await registry.ensure(account, names, now=utc_now(), limit=5000)
        assert counter.commands == ["find", "findAndModify", "find", "aggregate", "insert", "findAndModify", "insert"], (
            "which are missing; the account's tag counter, made from a count as it has none yet, takes their places; one bulk write"
        )
        stored = await registry.all(account)
        assert len(stored) == 500 and {tag["name"] for tag in stored} == set(names[:500]), "first spelling wins"

        counter.commands.clear()
        await registry.ensure(account, names, now=utc_now(), limit=5000)
        assert [name for name in counter.commands if name != "getMore"] == ["find"], "nothing to register: one query"
        assert await registry.canonical(account, ["tag 7"]) == {"tag 7": "Tag 7"}

        counter.commands.clear()
        await registry.ensure(account, [f"More {n}" for n in range(300)], now=utc_now(), limit=5000)
        assert counter.commands == ["find", "findAndModify", "insert"], "which are missing, their places taken, one bulk write"
    finally:
        await client.close()


async def test_concurrent_new_tags_never_take_the_account_past_its_limit(small_limits, contacts_runtime, account, as_user):
    """12 requests at once, each adding a tag the account does not have, every way a tag is
    added: exactly the 5 the account has room for succeed, the rest are 409s naming the limit."""
    http, headers = small_limits, as_user(account)
    carrier = (await http.post("/v1/contacts", headers=headers, json={"first_name": "Carrier"})).json()
    others = [(await http.post("/v1/contacts", headers=headers, json={"first_name": f"Other {n}"})).json() for n in range(3)]
    requests = [http.post("/v1/tags", headers=headers, json={"name": f"New {n}"}) for n in range(4)] + [
        http.post(f"/v1/contacts/{others[n % 3]['id']}/tags", headers=headers, json={"tag": f"Added {n}"}) for n in range(4)
    ] + [http.post("/v1/contacts", headers=headers, json={"first_name": f"Tagged {n}", "tags": [f"Born {n}"]}) for n in range(2)] + [
        http.post("/v1/contacts/bulk/tag", headers=headers, json={"tag": f"Bulk {n}", "contact_ids": [carrier["id"]]}) for n in range(2)
    ]
    answers = await asyncio.gather(*requests)
    succeeded = [answer for answer in answers if answer.status_code < 300]
    assert len(succeeded) == 5, [answer.status_code for answer in answers]
    for answer in answers:
        if answer.status_code >= 300:
            assert answer.status_code == 409 and answer.json()["limit"] == "tags_per_account", answer.text
    assert await contacts_runtime.db["tags"].count_documents({"account_id": account}) == 5
    assert (await http.get("/v1/contacts/limits", headers=headers)).json()["tags_per_account"] == {"limit": 5, "used": 5}


async def test_a_tag_added_by_many_at_once_takes_one_place_and_a_deleted_tag_gives_its_place_back(
    contacts_settings, contacts_runtime, account, as_user
):
    settings = contacts_settings.model_copy(update={"max_tags_per_account": 10})
    transport = httpx.ASGITransport(app=create_app(settings, runtime=contacts_runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://contacts") as http:
        await _one_tag_from_many_then_fill(http, as_user(account), as_user(account, role="admin"))


async def _one_tag_from_many_then_fill(http, headers, admin) -> None:
    contacts = [(await http.post("/v1/contacts", headers=headers, json={"first_name": f"Person {n}"})).json() for n in range(8)]
    answers = await asyncio.gather(*(
        http.post(f"/v1/contacts/{contact['id']}/tags", headers=headers, json={"tag": "Shared"}) for contact in contacts
    ))
    assert [answer.status_code for answer in answers] == [200] * 8, [answer.text for answer in answers if answer.status_code != 200]
    for n in range(9):
        assert (await http.post("/v1/tags", headers=headers, json={"name": f"Fill {n}"})).status_code == 201, "9 places left"
    refused(await http.post("/v1/tags", headers=headers, json={"name": "One too many"}), "tags_per_account", 10, 10)
    fill = next(tag for tag in (await http.get("/v1/tags", headers=headers)).json() if tag["name"] == "Fill 0")
    assert (await http.delete(f"/v1/tags/{fill['id']}", headers=admin)).status_code < 300
    assert (await http.post("/v1/tags", headers=headers, json={"name": "Its place"})).status_code == 201
    refused(await http.post("/v1/tags", headers=headers, json={"name": "Still too many"}), "tags_per_account", 10, 10)


async def test_places_left_taken_by_a_process_that_died_come_back_once_the_counter_is_still(contacts_runtime, account):
    """Places taken and never used (the process died before inserting) hold only while the
    counter may still have a request between taking and inserting; after that a refusal counts again."""
    registry, counts = MongoTagRegistry(contacts_runtime.db), AccountTagCount(contacts_runtime.db, contacts_runtime.db["tags"])
    start = utc_now()
    await registry.ensure(account, ["Kept"], now=start, limit=3)
    assert await counts.take(account, 2, limit=3, now=start) is None, "taken, then the process died"
    with pytest.raises(TagLimitReached):
        await registry.ensure(account, ["New"], now=start + STALE_AFTER / 2, limit=3)
    await registry.ensure(account, ["New", "Newer"], now=start + STALE_AFTER, limit=3)
    assert await registry.count(account) == 3
    with pytest.raises(TagLimitReached):
        await registry.ensure(account, ["Too many"], now=start + 2 * STALE_AFTER, limit=3)
