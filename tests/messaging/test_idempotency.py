"""An idempotency key holds the request it was first used for: a retry of that request creates
nothing new, the same key with other content is refused (never a replay of the first content),
and a request refused before it was accepted leaves nothing behind and its key free."""

from services.messaging.adapters.store.bulk_jobs import BULK_JOBS
from services.messaging.adapters.store.messages import MESSAGES
from tests.messaging.conftest import UNKNOWN_GRID_KEY, phone
from tests.support.waiting import eventually


async def _bulk(account, **body):
    return await account.harness.api.post("/v1/bulk-sends", json=body, headers=account.headers)


async def _stored(messaging, collection: str, account_id: str) -> list[dict]:
    return await messaging.store._db[collection].find({"account_id": account_id}).to_list(None)


async def _completed(account, job_id: str) -> dict:
    async def done():
        job = (await account.get(f"/v1/bulk-sends/{job_id}")).json()
        return job if job["status"] == "completed" and job["delivered"] == job["sent"] else None

    return await eventually(done, timeout=60, what=f"bulk send {job_id} completed")


async def test_a_bulk_send_with_a_refused_selection_writes_nothing_and_its_retry_sends_the_corrected_body(messaging, account):
    """The finding: the job was stored before the selection was checked (`enqueuing` forever), and
    the retry under the same key sent the first, rejected body to real people."""
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(2)]
    messaging.selection.ids[account.account_id] = [contact.contact_id for contact in contacts]

    refused = await _bulk(account, body="Rejected body", selection={"filter": {UNKNOWN_GRID_KEY: "1"}}, idempotency_key="retry-me")

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "selection.filter"
    assert await _stored(messaging, BULK_JOBS, account.account_id) == []
    assert await _stored(messaging, MESSAGES, account.account_id) == []

    retried = await _bulk(account, body="Corrected body", selection={"filter": {"tag": "volunteer"}}, idempotency_key="retry-me")

    assert retried.status_code == 202, retried.text
    await _completed(account, retried.json()["job_id"])
    for contact in contacts:
        assert [entry["body"] for entry in await messaging.carrier_log(contact.phones[0].e164)] == ["Corrected body"]
    assert len(await _stored(messaging, BULK_JOBS, account.account_id)) == 1


async def test_a_bulk_key_reused_with_another_body_is_refused_and_only_the_first_body_is_sent(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    first = await _bulk(account, body="The first body", contact_ids=[contact.contact_id], idempotency_key="same-key")
    assert first.status_code == 202, first.text

    other_body = await _bulk(account, body="Some other body", contact_ids=[contact.contact_id], idempotency_key="same-key")
    other_people = await _bulk(account, body="The first body", selection={"filter": {}}, idempotency_key="same-key")
    again = await _bulk(account, body="The first body", contact_ids=[contact.contact_id], idempotency_key="same-key")

    for refused in (other_body, other_people):
        assert refused.status_code == 422, refused.text
        [problem] = refused.json()["errors"]
        assert problem["field"] == "idempotency_key"
        assert "already used for a different request" in problem["problem"]
    assert again.status_code == 202 and again.json()["job_id"] == first.json()["job_id"]
    await _completed(account, first.json()["job_id"])
    assert [entry["body"] for entry in await messaging.carrier_log(contact.phones[0].e164)] == ["The first body"]


async def test_a_text_key_reused_with_another_body_or_contact_is_refused_and_never_replayed(messaging, account):
    await account.provision_number()
    contact, someone_else = await account.create_contact(phone("cell")), await account.create_contact(phone("cell"))
    first = await account.send(contact.contact_id, "The first text", idempotency_key="click-7")
    assert first.status_code == 202, first.text

    other_body = await account.send(contact.contact_id, "A different text", idempotency_key="click-7")
    other_contact = await account.send(someone_else.contact_id, "The first text", idempotency_key="click-7")
    again = await account.send(contact.contact_id, "The first text", idempotency_key="click-7")

    for refused in (other_body, other_contact):
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "idempotency_key"
    assert [m["message_id"] for m in again.json()["messages"]] == [m["message_id"] for m in first.json()["messages"]]
    await account.message_reaches(first.json()["messages"][0]["message_id"], "delivered")
    assert [entry["body"] for entry in await messaging.carrier_log(contact.phones[0].e164)] == ["The first text"]
    assert await messaging.carrier_log(someone_else.phones[0].e164) == []


async def test_a_text_refused_before_it_was_accepted_leaves_its_key_free(messaging, account):
    await account.provision_number()
    landline_only = await account.create_contact(phone("landline"))
    refused = await account.send(landline_only.contact_id, "Nobody to text", idempotency_key="click-8")
    assert refused.status_code == 422, refused.text

    texted = await account.create_contact(phone("cell"))
    accepted = await account.send(texted.contact_id, "Somebody to text", idempotency_key="click-8")

    assert accepted.status_code == 202, accepted.text
