"""CSV imports through the HTTP API on the real FerretDB and Kafka: mapping, merge rule,
bad rows in the error report, BOM and CRLF, duplicates, re-upload, a restart mid-import,
the events, the export, and account isolation."""

import csv
import hashlib
import io
import json

import httpx
import pytest

from services.contacts.bootstrap import build_contacts_runtime, create_app
from services.contacts.domain.importing import imported_contact_id
from shared import topics
from tests.contacts.cleanup import remove_test_data
from tests.support.waiting import eventually

pytestmark = pytest.mark.usefixtures("contacts_runtime")

MAPPING = {
    "columns": {
        "First": "first_name",
        "Last": "last_name",
        "Email": "email",
        "Mobile": "phone:cell",
        "Home": "phone:home",
        "City": "city",
        "State": "state",
        "Zip": "zip",
        "Groups": "tags",
        "Ward": "custom:ward",
    },
    "tags": ["Imported"],
}
HEADER = "First,Last,Email,Mobile,Home,City,State,Zip,Groups,Ward"


async def upload(http, headers, content: bytes, filename: str = "people.csv") -> dict:
    response = await http.post("/v1/imports", params={"filename": filename}, content=content, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def run_import(http, headers, content: bytes, mapping=MAPPING) -> dict:
    job = await upload(http, headers, content)
    started = await http.post(f"/v1/imports/{job['id']}/start", json=mapping, headers=headers)
    assert started.status_code == 200, started.text
    return await finished(http, headers, job["id"])


async def finished(http, headers, job_id: str, timeout: float = 60) -> dict:
    async def done():
        response = await http.get(f"/v1/imports/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        job = response.json()
        return job if job["status"] == "completed" else None

    return await eventually(done, timeout=timeout, interval=0.2, what=f"import {job_id} to complete")


async def error_report(http, headers, job_id: str) -> list[list[str]]:
    response = await http.get(f"/v1/imports/{job_id}/errors.csv", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


async def grid(http, headers, **params) -> list[dict]:
    response = await http.get("/v1/contacts", params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_good_rows_land_bad_rows_are_reported_by_line_with_their_reason(http, tap, account, as_user):
    headers = as_user(account, "importer-1", role="admin")
    content = "\n".join([
        HEADER,
        "Ada,Lovelace,ada@example.org,(202) 555-0123,,Washington,dc,20001,Volunteer;Donor,3",
        "Alan,Turing,,12345,,,,,,",                       # line 3: phone that cannot be real
        ",,nobody@example.org,2025550188,,,,,,",          # line 4: no name
        "Grace,Hopper,grace@example.org",                 # line 5: wrong column count
        '"Katherine","Johnson","kj@example.org","+1 415 555 2671","617-555-1234","Hampton","VA","23666","",""',
        "",
    ]).encode()
    job = await run_import(http, headers, content)
    assert (job["rows_read"], job["created"], job["merged"], job["failed"]) == (5, 2, 0, 3)

    report = await error_report(http, headers, job["id"])
    assert report[0] == ["line", "reason", "values"]
    reasons = {int(row[0]): row[1] for row in report[1:]}
    assert set(reasons) == {3, 4, 5}
    assert "column 'Mobile'" in reasons[3] and "not a valid phone number" in reasons[3]
    assert "needs a first name or a last name" in reasons[4]
    assert reasons[5] == "expected 10 columns, found 3"

    [ada] = await grid(http, headers, q="lovelace")
    assert ada["phones"][0]["e164"] == "+12025550123" and ada["phones"][0]["type"] == "cell"
    assert ada["address"] == {"city": "Washington", "state": "DC", "zip": "20001"}
    assert ada["tags"] == ["Imported", "Volunteer", "Donor"] and ada["custom_fields"] == {"ward": "3"}
    [katherine] = await grid(http, headers, q="katherine")
    assert [(p["e164"], p["type"], p["primary"]) for p in katherine["phones"]] == [
        ("+14155552671", "cell", True), ("+16175551234", "home", False)
    ]
    profile = (await http.get(f"/v1/contacts/{ada['id']}", headers=headers)).json()
    assert profile["timeline"][0]["kind"] == "created" and profile["timeline"][0]["source"] == "import"
    assert profile["timeline"][0]["by_user_id"] == "importer-1"

    created = await tap.wait_for(account, topics.CONTACT_CREATED, count=2)
    assert {event.subject for event in created} == {ada["id"], katherine["id"]}
    tags = {tag["name"] for tag in (await http.get("/v1/tags", headers=headers)).json()}
    assert {"Imported", "Volunteer", "Donor"} <= tags


async def test_bom_windows_line_endings_and_a_quoted_newline(http, account, as_user):
    headers = as_user(account, role="admin")
    content = "\ufeff" + "\r\n".join([
        HEADER,
        'Zoë,O\'Brien,zoe@example.org,2025550111,,Austin,TX,78701,,',
        '"Multi","Line","ml@example.org","2025550112","","Austin","TX","78701","A;B","first\r\nsecond"',
        "Bad,Phone,,999,,,,,,",
        "",
    ])
    job = await run_import(http, headers, content.encode())
    assert job["columns"][0] == "First", "the BOM is not part of the first column's name"
    assert (job["rows_read"], job["created"], job["failed"]) == (3, 2, 1)
    [bad] = (await error_report(http, headers, job["id"]))[1:]
    assert bad[0] == "5", "lines count physical lines: the quoted newline of line 3 ends on line 4"
    [zoe] = await grid(http, headers, q="zoe")
    assert zoe["first_name"] == "Zoë" and zoe["last_name"] == "O'Brien"
    [multi] = await grid(http, headers, q="multi")
    assert multi["custom_fields"]["ward"] == "first\r\nsecond"


async def test_duplicates_merge_by_phone_then_email_and_a_reupload_creates_nothing(http, tap, account, as_user):
    headers = as_user(account, role="admin")
    existing = await http.post("/v1/contacts", headers=headers, json={
        "first_name": "Ada", "last_name": "Lovelace", "emails": ["ada@example.org"],
        "phones": [{"number": "2025550123", "type": "cell"}], "custom_fields": {"ward": "1"},
    })
    existing = existing.json()
    content = "\n".join([
        HEADER,
        "Augusta,King,,(202) 555-0123,2025550999,London,,,Patron,9",   # same cell as Ada: merges
        "Ada,L,ADA@example.org,,,,,,,",                               # same email as Ada: merges
        "Bob,Smith,bob@example.org,2025550150,,,,,,",
        "Bobby,Smith,bob@example.org,,,,,,,",                          # same email as row 4: merges into it
        "Bob,Smith,bob@example.org,2025550150,,,,,,",                  # exact duplicate of row 4
    ]).encode()
    job = await run_import(http, headers, content)
    assert (job["rows_read"], job["created"], job["merged"], job["failed"]) == (5, 1, 4, 0)

    ada = (await http.get(f"/v1/contacts/{existing['id']}", headers=headers)).json()
    assert (ada["first_name"], ada["last_name"]) == ("Ada", "Lovelace"), "what the contact has wins"
    assert [p["e164"] for p in ada["phones"]] == ["+12025550123", "+12025550999"], "new numbers are added"
    assert ada["custom_fields"] == {"ward": "1"} and ada["address"] == {"city": "London"}
    assert ada["tags"] == ["Imported", "Patron"]
    updated = await tap.wait_for(account, topics.CONTACT_UPDATED, lambda e: e.subject == existing["id"])
    assert updated[-1].data.contact.revision >= 2
    bobs = await grid(http, headers, q="smith")
    assert len(bobs) == 1 and bobs[0]["first_name"] == "Bob"

    again = await run_import(http, headers, content)
    assert (again["created"], again["merged"], again["failed"]) == (0, 5, 0)
    total = (await http.get("/v1/contacts/count", headers=headers)).json()["total"]
    assert total == 2


async def test_bad_uploads_and_mappings_get_a_clear_4xx(http, account, as_user):
    headers = as_user(account, role="admin")
    empty = await http.post("/v1/imports", content=b"", headers=headers)
    assert empty.status_code == 422 and "header" in empty.json()["errors"][0]["problem"]
    latin1 = await http.post("/v1/imports", content="Nom,Prénom\n".encode("latin-1"), headers=headers)
    assert latin1.status_code == 422 and "UTF-8" in latin1.json()["errors"][0]["problem"]

    job = await upload(http, headers, f"{HEADER}\nAda,Lovelace,,,,,,,,\n".encode())
    wrong = await http.post(f"/v1/imports/{job['id']}/start", headers=headers,
                            json={"columns": {"Nope": "first_name", "Email": "phone:pager"}})
    fields = {item["field"]: item["problem"] for item in wrong.json()["errors"]}
    assert wrong.status_code == 422
    assert "the file has no column 'Nope'" in fields["body.columns.Nope"]
    assert "not an import target" in fields["body.columns.Email"]
    assert "body.columns" in fields  # no name column mapped
    assert (await http.post(f"/v1/imports/{job['id']}/start", json=MAPPING, headers=headers)).status_code == 200
    twice = await http.post(f"/v1/imports/{job['id']}/start", json=MAPPING, headers=headers)
    assert twice.status_code == 409


async def test_another_accounts_import_is_not_found(http, account, as_user):
    job = await upload(http, as_user(account, role="admin"), f"{HEADER}\nAda,Lovelace,,,,,,,,\n".encode())
    other = as_user(account + "-other", role="admin")
    assert (await http.get(f"/v1/imports/{job['id']}", headers=other)).status_code == 404
    assert (await http.get(f"/v1/imports/{job['id']}/errors.csv", headers=other)).status_code == 404
    assert (await http.post(f"/v1/imports/{job['id']}/start", json=MAPPING, headers=other)).status_code == 404
    assert (await http.get("/v1/imports", headers=other)).json() == []


async def test_export_streams_the_filtered_contacts_as_csv(http, account, as_user):
    headers = as_user(account, role="admin")
    content = "\n".join([HEADER, *(f"P{n},Export,,20255502{n:02d},,Austin,TX,,{'Keep' if n % 2 else ''},"
                                   for n in range(10))]).encode()
    await run_import(http, headers, content)
    response = await http.get("/v1/contacts/export.csv", params={"tag": "Keep"}, headers=headers)
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(row["first_name"] for row in rows) == ["P1", "P3", "P5", "P7", "P9"]
    assert all(row["phone_types"] == "cell" or row["phone_types"] == "unknown" for row in rows)
    assert (await http.get("/v1/contacts/export.csv", params={"colour": "red"}, headers=headers)).status_code == 422


async def test_a_restart_mid_import_loses_and_duplicates_nothing(contacts_settings, tap, account, as_user):
    """The worker is stopped (its task cancelled wherever it is, lease left behind, as
    when the process dies) part-way; a new service process takes over after the lease."""
    settings = contacts_settings.model_copy(update={
        "database": f"{contacts_settings.database}_restart", "import_batch_size": 20, "import_lease_seconds": 4.0,
        "import_poll_seconds": 0.2,
    })
    rows = 600  # 30 batches: enough that a fast machine cannot finish before the stop
    content = "\n".join(["First,Last,Mobile", *(f"R{n},Restart,+1202555{n:04d}" for n in range(rows))]).encode()
    mapping = {"columns": {"First": "first_name", "Last": "last_name", "Mobile": "phone:cell"}}
    headers = as_user(account, role="admin")

    first = build_contacts_runtime(settings)
    await first.start(consume=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, runtime=first)), base_url="http://c") as http:
            job = (await http.post("/v1/imports", content=content, headers=headers)).json()
            assert (await http.post(f"/v1/imports/{job['id']}/start", json=mapping, headers=headers)).status_code == 200

            async def part_way():
                progress = (await http.get(f"/v1/imports/{job['id']}", headers=headers)).json()
                return progress if progress["rows_read"] >= 40 else None

            seen = await eventually(part_way, timeout=60, interval=0.05, what="the import to get going")
    finally:
        await first.stop()
    assert seen["rows_read"] < rows, "stopped part-way"

    second = build_contacts_runtime(settings)
    await second.start(consume=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, runtime=second)), base_url="http://c") as http:
            job = await finished(http, headers, job["id"], timeout=120)
            assert (job["rows_read"], job["created"], job["merged"], job["failed"]) == (rows, rows, 0, 0)
            assert (await http.get("/v1/contacts/count", headers=headers)).json() == {"total": rows}
            digest = hashlib.sha256(content).hexdigest()
            expected = {imported_contact_id(account, digest, line) for line in range(2, rows + 2)}
            stored = {doc["_id"] async for doc in second.db["contacts"].find({"account_id": account}, {"_id": 1})}
            assert stored == expected
            created = await tap.wait_for(account, topics.CONTACT_CREATED, count=rows)
            assert {event.subject for event in created} == expected, "every contact's created event, none foreign"
    finally:
        await remove_test_data(second)
        await second.stop()


async def test_a_number_added_by_an_edit_is_found_by_a_later_imports_dedupe(http, account, as_user):
    headers = as_user(account, role="admin")
    created = (await http.post("/v1/contacts", headers=headers, json={"first_name": "Grace", "last_name": "Hopper"})).json()
    edited = await http.patch(f"/v1/contacts/{created['id']}", headers=headers, json={
        "phones": [{"number": "2025550177", "type": "cell"}], "emails": ["grace@example.org"],
    })
    assert edited.status_code == 200, edited.text
    content = "\n".join([HEADER, "G,H,,(202) 555-0177,,Arlington,VA,,Navy,", "Amazing,Grace,GRACE@example.org,,,,,,,"]).encode()
    job = await run_import(http, headers, content)
    assert (job["created"], job["merged"]) == (0, 2)
    grace = (await http.get(f"/v1/contacts/{created['id']}", headers=headers)).json()
    assert (grace["first_name"], grace["address"]["city"], grace["tags"]) == ("Grace", "Arlington", ["Imported", "Navy"])
    assert (await http.get("/v1/contacts/count", headers=headers)).json() == {"total": 1}


async def test_a_stale_key_does_not_merge_into_a_contact_that_lost_the_number(http, account, as_user):
    """The lookup still names the first contact for the number it gave up, and for the
    email of the deleted one: the import checks the contact and creates new ones."""
    headers = as_user(account, role="admin")
    moved = (await http.post("/v1/contacts", headers=headers, json={
        "first_name": "Old", "last_name": "Owner", "phones": [{"number": "2025550166", "type": "cell"}],
    })).json()
    assert (await http.patch(f"/v1/contacts/{moved['id']}", headers=headers, json={"phones": []})).status_code == 200
    gone = (await http.post("/v1/contacts", headers=headers, json={
        "first_name": "Gone", "last_name": "Person", "emails": ["gone@example.org"],
    })).json()
    assert (await http.delete(f"/v1/contacts/{gone['id']}", headers=headers)).status_code == 204

    content = "\n".join([HEADER, "New,Owner,,2025550166,,,,,,", "Back,Again,gone@example.org,,,,,,,"]).encode()
    job = await run_import(http, headers, content)
    assert (job["created"], job["merged"]) == (2, 0)
    old = (await http.get(f"/v1/contacts/{moved['id']}", headers=headers)).json()
    assert (old["first_name"], old["phones"]) == ("Old", [])
    [new_owner] = await grid(http, headers, q="new")
    assert [phone["e164"] for phone in new_owner["phones"]] == ["+12025550166"]

    again = await run_import(http, headers, "\n".join([HEADER, "Newer,Owner,,2025550166,,,,,,"]).encode())
    assert (again["created"], again["merged"]) == (0, 1), "the key now names the contact that has the number"
    assert (await http.get(f"/v1/contacts/{new_owner['id']}", headers=headers)).json()["first_name"] == "New"


async def test_a_batch_run_again_after_a_crash_queues_its_created_events_again_under_the_same_ids(contacts_runtime, account):
    """The process died after inserting a batch's contacts, before queueing their events:
    the batch runs again (no checkpoint) and queues the same events."""
    from services.contacts.adapters.imports import MongoImportJobs
    from services.contacts.adapters.repository import IMPORTED_EVENTS, MongoContactRepository, MongoImportContacts, MongoOptOutRegistry
    from services.contacts.adapters.tags import MongoTagRegistry
    from services.contacts.domain.importing import ImportOptions, Mapping
    from services.contacts.service_layer.importing import ImportBatch
    from services.contacts.service_layer.ports import Ports

    db = contacts_runtime.db.client[f"{contacts_runtime.db.name}_requeue"]  # no relay runs here
    ports = Ports(contacts=MongoContactRepository(db), opt_outs=MongoOptOutRegistry(db), tags=MongoTagRegistry(db))
    job = {"_id": "job-1", "account_id": account, "sha256": "f" * 64, "created_by": "user-1"}
    mapping = Mapping.of(ImportOptions(columns={"First": "first_name", "Mobile": "phone:cell"}), ["First", "Mobile"])
    records = [(line, [f"P{line}", f"+1202555{line:04d}"]) for line in range(2, 12)]

    def batch():
        return ImportBatch(job, mapping, MongoImportContacts(db), MongoImportJobs(db), ports, region="US")

    try:
        first = await batch().run(records)
        queued = {entry["_id"]: json.loads(entry["events_json"])[0]["id"] async for entry in db[IMPORTED_EVENTS].find({})}
        assert first.created == 10 and len(queued) == 10
        await db[IMPORTED_EVENTS].delete_many({})  # lost with the process

        again = await batch().run(records)
        assert (again.created, again.merged) == (10, 0)
        requeued = {entry["_id"]: json.loads(entry["events_json"])[0]["id"] async for entry in db[IMPORTED_EVENTS].find({})}
        assert requeued == queued
        assert await db["contacts"].count_documents({"account_id": account}) == 10
    finally:
        for name in await db.list_collection_names():
            await db[name].delete_many({})
