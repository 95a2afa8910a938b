"""The carrier's answers: errors mapped onto the phone, 429 storms, outages, the sender's rate,
texts never reported final reconciled by asking the carrier."""

import dataclasses
from datetime import datetime, timedelta

import pytest

from services.messaging.service_layer.reconciliation import reconcile_stale_messages
from shared import topics
from tests.messaging.conftest import phone
from tests.messaging.test_bulk import _bulk, _job_reaches
from tests.support.waiting import eventually


@pytest.mark.parametrize("code", [21211, 21610])
async def test_errors_when_the_carrier_takes_the_text_mark_the_phone_for_later_sends(messaging, account, code):
    await account.provision_number()
    cell = phone("cell")
    await messaging.carrier_behaviour(cell.e164, code)
    contact = await account.create_contact(cell)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    failed = await account.message_reaches(message["message_id"], "failed")
    assert (failed["error_code"], failed["failure_kind"]) == (code, "opted_out" if code == 21610 else "unreachable")
    [event] = await messaging.events.wait_for(account.account_id, topics.MESSAGE_FAILED, message_id=message["message_id"])
    assert event["data"]["error_code"] == code  # contacts turns a 21610 into contact.opted_out
    again = await account.send(contact.contact_id)
    assert again.status_code == 422
    assert again.json()["skipped"] == [{"phone_id": cell.phone_id, "reason": "opted_out" if code == 21610 else "unreachable"}]


@pytest.mark.parametrize("code, kind, textable_after", [(30003, "unreachable", False), (30005, "unreachable", False), (30006, "landline", False), (30007, "carrier_filtered", True)])
async def test_delivery_errors_are_recorded_with_what_they_mean(messaging, account, code, kind, textable_after):
    await account.provision_number()
    cell = phone("cell")
    await messaging.carrier_behaviour(cell.e164, code)
    contact = await account.create_contact(cell)

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    undelivered = await account.message_reaches(message["message_id"], "undelivered")
    assert (undelivered["error_code"], undelivered["failure_kind"]) == (code, kind)
    assert (await account.send(contact.contact_id, "A second text")).status_code == (202 if textable_after else 422)


async def test_a_storm_of_429s_is_ridden_out_and_every_text_goes_out_once(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(10)]
    await messaging.carrier_fault(http_status=429, count=25)

    job = (await _bulk(account, body="Through the storm", contact_ids=[c.contact_id for c in contacts])).json()

    await _job_reaches(account, job["job_id"], "completed", timeout=90, delivered=10)
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_a_carrier_outage_delays_texts_and_after_recovery_each_goes_out_once(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(5)]
    await messaging.carrier_fault(http_status=503, count=1000)

    job = (await _bulk(account, body="After the outage", contact_ids=[c.contact_id for c in contacts])).json()

    async def tried_for_a_while():
        faults = (await messaging.carrier.get("/sandbox/faults")).json()["faults"]
        return len(faults) <= 1000 - 3 * messaging.settings.send_attempts

    await eventually(tried_for_a_while, timeout=30, what="the workers to meet the outage")
    assert (await account.get(f"/v1/bulk-sends/{job['job_id']}")).json()["sent"] == 0
    await messaging.carrier.delete("/sandbox/faults")
    await _job_reaches(account, job["job_id"], "completed", timeout=90, delivered=5)
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_one_sender_number_keeps_to_its_rate(messaging, account):
    [worker] = messaging.workers
    original = worker.courier.policy
    worker.courier.policy = dataclasses.replace(original, segments_per_second=4.0, rate_max_wait=timedelta(seconds=0.6))
    try:
        our_number = await account.provision_number()
        contacts = [await account.create_contact(phone("cell")) for _ in range(8)]

        job = (await _bulk(account, body="Steady", contact_ids=[c.contact_id for c in contacts])).json()

        await _job_reaches(account, job["job_id"], "completed", timeout=60, delivered=8)
    finally:
        worker.courier.policy = original
    sent_at = sorted(datetime.fromisoformat(entry["date_created"]) for entry in await messaging.carrier_log(from_=our_number))
    assert len(sent_at) == 8
    assert (sent_at[-1] - sent_at[0]).total_seconds() >= 7 / 4 - 0.3  # 8 one-segment texts at 4 per second


async def test_texts_never_reported_final_are_reconciled_from_the_carrier(messaging, account):
    await account.provision_number()
    cell = phone("cell")
    messaging.gateway.holding.add(cell.e164)  # the carrier's callbacks never reach us
    contact = await account.create_contact(cell)
    message = (await account.send(contact.contact_id)).json()["messages"][0]
    await account.message_reaches(message["message_id"], "queued")
    [worker] = messaging.workers

    async def reconciled():
        return await reconcile_stale_messages(messaging.store, worker.courier.carrier, older_than=timedelta(0)) or None

    await eventually(reconciled, what="a stale text reconciled")

    assert (await account.message_reaches(message["message_id"], "delivered"))["carrier_sid"]
    await messaging.events.wait_for(account.account_id, topics.MESSAGE_STATUS_UPDATED, message_id=message["message_id"], status="delivered")
