"""Bulk sends: a job with live progress, merge fields, the grid's selection, cancel, previews,
and counters repaired after a process died between a state and its count."""

import asyncio
from datetime import timedelta

from pymongo import AsyncMongoClient

from services.messaging.adapters.store.bulk_jobs import BULK_JOBS
from services.messaging.service_layer.job_counts import recount_quiet_jobs, recounted
from shared import topics
from tests.messaging.conftest import phone
from tests.support.waiting import eventually


async def _bulk(account, **body):
    return await account.harness.api.post("/v1/bulk-sends", json=body, headers=account.headers)


async def _job_reaches(account, job_id: str, status: str, timeout: float = 60.0, **counts) -> dict:
    async def reached():
        job = (await account.get(f"/v1/bulk-sends/{job_id}")).json()
        return job if job["status"] == status and all(job[name] == value for name, value in counts.items()) else None

    return await eventually(reached, timeout=timeout, what=f"bulk send {job_id} {status} {counts}")


async def test_a_bulk_send_texts_each_cell_once_with_its_merge_fields_and_reports_progress(messaging, account):
    await account.set_registration("approved")
    our_number = await account.provision_number()
    named = await account.create_contact(phone("cell"), phone("home"))
    unnamed = await account.create_contact(phone("cell"))
    await account.update_contact(unnamed, first_name="")
    dnc = await account.create_contact(phone("cell"), dnc=True)

    answer = await _bulk(
        account, body="Hi {first_name|neighbour}, polls open at 7", contact_ids=[named.contact_id, unnamed.contact_id, dnc.contact_id, "nobody"]
    )

    assert answer.status_code == 202, answer.text
    accepted = answer.json()
    assert (accepted["contacts"], accepted["total"], accepted["warnings"]) == (4, 5, [])
    assert accepted["skipped"] == {"not_cell": 1, "dnc": 1, "contact_not_found": 1}
    job = await _job_reaches(account, accepted["job_id"], "completed", delivered=2)
    assert (job["sent"], job["failed"], job["queued"]) == (2, 0, 0)
    [to_named] = await messaging.carrier_log(named.phones[0].e164)
    [to_unnamed] = await messaging.carrier_log(unnamed.phones[0].e164)
    assert (to_named["body"], to_named["from"]) == ("Hi Pat, polls open at 7", our_number)
    assert to_unnamed["body"] == "Hi neighbour, polls open at 7"
    sent = await messaging.events.wait_for(account.account_id, topics.MESSAGE_SEND_REQUESTED, count=2)
    assert {event["data"]["bulk_job_id"] for event in sent} == {accepted["job_id"]}


async def test_the_same_bulk_request_again_creates_nothing_new(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    body = {"body": "Once only", "contact_ids": [contact.contact_id], "idempotency_key": "bulk-1"}

    first, again = (await _bulk(account, **body)).json(), (await _bulk(account, **body)).json()

    assert first["job_id"] == again["job_id"]
    await _job_reaches(account, first["job_id"], "completed", delivered=1)
    assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_a_bulk_request_retried_while_the_first_is_enqueuing_counts_each_contact_once(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell"), phone("landline")) for _ in range(3)]
    body = {"body": "Counted once", "contact_ids": [contact.contact_id for contact in contacts], "idempotency_key": "bulk-twice"}

    answers = await asyncio.gather(*(_bulk(account, **body) for _ in range(3)))

    assert len({answer.json()["job_id"] for answer in answers}) == 1
    job = await _job_reaches(account, answers[0].json()["job_id"], "completed", delivered=3)
    assert (job["contacts"], job["total"], job["skipped"]) == (3, 6, {"not_cell": 3})
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_all_matching_contacts_of_the_grid_are_texted_through_the_selection_api(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(5)]
    messaging.selection.ids[account.account_id] = [contact.contact_id for contact in contacts]
    grid_filter = {"tag": ["volunteer"], "q": "pat", "page_size": 3}

    answer = await _bulk(account, body="Thanks for volunteering", selection={"filter": grid_filter})

    assert answer.status_code == 202, answer.text
    assert answer.json()["total"] == 5
    assert any(request["filter"] == grid_filter for request in messaging.selection.requests)  # passed through untouched
    await _job_reaches(account, answer.json()["job_id"], "completed", delivered=5)
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_cancelling_stops_every_text_not_yet_sent(messaging, account):
    contacts = [await account.create_contact(phone("cell")) for _ in range(4)]
    job = (await _bulk(account, body="Never sent", contact_ids=[c.contact_id for c in contacts])).json()
    assert job["warnings"]  # not registered for A2P: deliverability may suffer

    cancelled = await account.harness.api.post(f"/v1/bulk-sends/{job['job_id']}/cancel", headers=account.headers)
    assert cancelled.status_code == 200
    await account.provision_number()

    done = await _job_reaches(account, job["job_id"], "cancelled", cancelled=4)
    assert (done["sent"], done["queued"]) == (0, 0)
    for contact in contacts:
        assert await messaging.carrier_log(contact.phones[0].e164) == []


async def test_bad_bulk_requests_are_refused_with_what_was_wrong(messaging, account):
    for body in (
        {"body": "x"},
        {"body": "x", "contact_ids": ["a"], "selection": {"filter": {}}},
        {"body": "x", "contact_ids": []},
        {"body": "x", "selection": {"filter": "tag=volunteer"}},
        {"body": "   ", "contact_ids": ["a"]},
    ):
        answer = await _bulk(account, **body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"], body


async def test_a_selection_filter_with_operator_keys_is_refused_and_never_stored(messaging, account):
    requests_before = len(messaging.selection.requests)
    for grid_filter in ({"$where": "sleep(1000)"}, {"tag": "x", "$or": [{}]}, {"tags.$": "x"}, {"Tag": "x"}, {f"k{i}": "x" for i in range(31)}):
        answer = await _bulk(account, body="Hi", selection={"filter": grid_filter}, idempotency_key=f"operator-{len(grid_filter)}")
        assert answer.status_code == 422, (grid_filter, answer.text)
        assert all(problem["field"].startswith("body.selection.filter") for problem in answer.json()["errors"]), answer.text
    assert len(messaging.selection.requests) == requests_before  # refused before the contacts service is asked
    client = AsyncMongoClient(messaging.settings.mongo_url)
    try:
        stored = await client[messaging.settings.database][BULK_JOBS].find({"account_id": account.account_id}).to_list()
    finally:
        await client.close()
    assert stored == []


async def test_a_preview_tells_encoding_segments_cost_and_offers_replacements(messaging, account):
    contact = await account.create_contact(phone("cell"))
    answer = await account.harness.api.post(
        "/v1/messages/preview",
        json={"body": "\u201cHi {first_name}\u201d \u2014 we\u2019re counting on you", "contact_id": contact.contact_id, "recipients": 1000},
        headers=account.headers,
    )

    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert (preview["encoding"], preview["segments"], preview["body"]) == ("UCS-2", 1, "\u201cHi Pat\u201d \u2014 we\u2019re counting on you")
    assert preview["suggested_body"] == "\"Hi Pat\" - we're counting on you"
    assert (preview["suggested_encoding"], preview["suggested_segments"]) == ("GSM-7", 1)
    assert float(preview["estimated_cost"]) == float(messaging.settings.price_per_segment) * 1000
    assert preview["warnings"]


async def test_another_accounts_bulk_send_is_not_found(messaging, account):
    contact = await account.create_contact(phone("cell"))
    job = (await _bulk(account, body="Mine", contact_ids=[contact.contact_id])).json()
    stranger = messaging.account()

    assert (await stranger.get(f"/v1/bulk-sends/{job['job_id']}")).status_code == 404
    answer = await stranger.harness.api.post(f"/v1/bulk-sends/{job['job_id']}/cancel", headers=stranger.headers)
    assert answer.status_code == 404
    assert (await account.get(f"/v1/bulk-sends/{job['job_id']}")).json()["cancelled_at"] is None


async def test_two_bulk_sends_reach_each_contact_in_the_order_they_were_asked(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(6)]
    ids = [contact.contact_id for contact in contacts]

    first = (await _bulk(account, body="First: polls open at 7", contact_ids=ids)).json()
    second = (await _bulk(account, body="Second: polls close at 8", contact_ids=ids)).json()

    await _job_reaches(account, first["job_id"], "completed", sent=6)
    await _job_reaches(account, second["job_id"], "completed", sent=6)
    for contact in contacts:
        bodies = [entry["body"] for entry in await messaging.carrier_log(contact.phones[0].e164)]
        assert bodies == ["First: polls open at 7", "Second: polls close at 8"]


async def test_a_count_lost_with_a_dead_process_is_recounted_once_the_job_is_quiet(messaging, account):
    """A process died after recording a text's `queued` state, before counting it: the job's
    counters are a text short and it would never complete. The recounter sets them from the states."""
    await account.provision_number()
    texted = [await account.create_contact(phone("cell")) for _ in range(2)]
    dnc = await account.create_contact(phone("cell"), dnc=True)
    accepted = (await _bulk(account, body="Counted once", contact_ids=[*(c.contact_id for c in texted), dnc.contact_id])).json()
    await _job_reaches(account, accepted["job_id"], "completed", delivered=2)
    client = AsyncMongoClient(messaging.settings.mongo_url)
    try:
        jobs = client[messaging.settings.database][BULK_JOBS]
        await jobs.update_one({"_id": accepted["job_id"]}, {"$inc": {"counts.sent": -1, "counts.done": -1}})
        assert (await account.get(f"/v1/bulk-sends/{accepted['job_id']}")).json()["status"] == "sending"
        assert await recount_quiet_jobs(messaging.store, quiet_for=timedelta(hours=1)) == 0, "its states are recent"

        job = await _job_reaches(account, accepted["job_id"], "completed", timeout=60, sent=2, delivered=2)
        assert (job["skipped"], job["queued"], job["failed"]) == ({"dnc": 1}, 0, 0)
    finally:
        await client.close()


def test_a_recount_adds_the_pages_counters_to_what_each_state_counts():
    pages = [[{"name": "counts.skipped.dnc", "count": 1}, {"name": "counts.done", "count": 1}], [{"name": "counts.done", "count": 0}]]
    states = [{"status": "queued"}, {"status": "delivered"}, {"status": "queued"}, {"status": "failed", "rejected": True},
              {"status": "sending"}, {"status": "skipped", "skip_reason": "opted_out"}]

    assert recounted(pages, states) == {
        "skipped": {"dnc": 1, "opted_out": 1}, "done": 5, "sent": 2, "delivered": 1, "failed": 1,
    }


async def test_a_bulk_preview_counts_who_would_be_texted_and_why_others_would_not_and_sends_nothing(messaging, account):
    await account.set_registration("approved")
    await account.provision_number()
    textable = await account.create_contact(phone("cell"), phone("home"))
    dnc = await account.create_contact(phone("cell"), dnc=True)
    ticked = [textable.contact_id, dnc.contact_id, "nobody"]

    answer = await account.harness.api.post("/v1/bulk-sends/preview", json={"contact_ids": ticked}, headers=account.headers)

    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "contacts": 3, "texted_contacts": 1, "messages": 1, "skipped": {"not_cell": 1, "dnc": 1, "contact_not_found": 1}, "warnings": [],
    }
    assert await messaging.carrier_log(textable.phones[0].e164) == []
    messaging.selection.ids[account.account_id] = [textable.contact_id, dnc.contact_id]
    grid_filter = {"tag": "volunteer"}
    selected = await account.harness.api.post("/v1/bulk-sends/preview", json={"selection": {"filter": grid_filter}}, headers=account.headers)
    assert (selected.json()["contacts"], selected.json()["texted_contacts"]) == (2, 1)
    neither = await account.harness.api.post("/v1/bulk-sends/preview", json={}, headers=account.headers)
    assert neither.status_code == 422
