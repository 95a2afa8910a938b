"""Eligibility at send time and quiet hours, against the real Kafka, FerretDB and sandbox carrier."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.messaging.conftest import phone, random_us_number
from tests.support.waiting import eventually

CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")


def local(zone: ZoneInfo, hour: int, minute: int = 0) -> datetime:
    today = datetime.now(UTC).astimezone(zone).date() + timedelta(days=1)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=zone).astimezone(UTC)


async def _queued_while_no_number(account, *phones):
    """A contact and texts to it that wait for the user's number, so the test can change the
    contact between the request and the moment a worker sends."""
    contact = await account.create_contact(*phones)
    messages = (await account.send(contact.contact_id)).json()["messages"]
    for message in messages:
        await account.message_reaches(message["message_id"], "waiting_for_number")
    return contact, messages


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda contact, cell: {"dnc": True}, "dnc"),
        (lambda contact, cell: {"phones": [cell.model_copy(update={"wrong_number": True})]}, "wrong_number"),
        (lambda contact, cell: {"phones": [cell.model_copy(update={"opted_out": True})]}, "opted_out"),
        (lambda contact, cell: {"phones": [cell.model_copy(update={"type": "landline"})]}, "not_cell"),
        (lambda contact, cell: {"phones": [cell.model_copy(update={"status": "unreachable"})]}, "unreachable"),
        (lambda contact, cell: {"phones": [cell.model_copy(update={"e164": random_us_number()})]}, "number_changed"),
        (lambda contact, cell: {"phones": []}, "phone_removed"),
    ],
)
async def test_each_rule_is_checked_again_when_the_text_goes_out(messaging, account, change, reason):
    cell = phone("cell")
    contact, [message] = await _queued_while_no_number(account, cell)

    await account.update_contact(contact, **change(contact, cell))
    await account.provision_number()

    skipped = await account.message_reaches(message["message_id"], "skipped")
    assert skipped["skip_reason"] == reason
    assert await messaging.carrier_log(cell.e164) == []


async def test_a_deleted_contact_is_not_texted(messaging, account):
    cell = phone("cell")
    contact, [message] = await _queued_while_no_number(account, cell)

    await account.delete_contact(contact)
    await account.provision_number()

    assert (await account.message_reaches(message["message_id"], "skipped"))["skip_reason"] == "contact_deleted"
    assert await messaging.carrier_log(cell.e164) == []


async def test_quiet_hours_hold_the_text_until_the_window_opens(messaging, account):
    await account.provision_number()
    cell = phone("cell", e164=random_us_number(737))  # Texas: America/Chicago
    contact = await account.create_contact(cell)
    messaging.clock.set(local(CHICAGO, 22, 30))

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    held = await account.message_reaches(message["message_id"], "scheduled")
    assert held["hold_reason"] == "quiet_hours"
    assert datetime.fromisoformat(held["release_at"]).astimezone(CHICAGO).hour == 8
    assert await messaging.carrier_log(cell.e164) == []

    messaging.clock.set(local(CHICAGO, 7, 59) + timedelta(days=1))
    await account.message_reaches(message["message_id"], "scheduled")
    messaging.clock.set(local(CHICAGO, 8, 0) + timedelta(days=1))

    await account.message_reaches(message["message_id"], "delivered")
    assert len(await messaging.carrier_log(cell.e164)) == 1


async def test_florida_numbers_wait_from_eight_in_the_evening_and_others_do_not(messaging, account):
    await account.provision_number()
    florida, new_york = phone("cell", e164=random_us_number(305)), phone("cell", e164=random_us_number(212))
    in_florida, in_new_york = await account.create_contact(florida), await account.create_contact(new_york)
    messaging.clock.set(local(NEW_YORK, 20, 30))

    held = (await account.send(in_florida.contact_id)).json()["messages"][0]
    sent = (await account.send(in_new_york.contact_id)).json()["messages"][0]

    await account.message_reaches(sent["message_id"], "delivered")
    assert (await account.message_reaches(held["message_id"], "scheduled"))["hold_reason"] == "quiet_hours"
    assert await messaging.carrier_log(florida.e164) == []


async def test_an_accounts_narrower_window_holds_texts_too(messaging, account):
    await account.provision_number()
    answer = await account.harness.api.put(
        "/v1/messages/settings", json={"quiet_hours": {"start": "10:00", "end": "18:00"}}, headers=account.headers
    )
    assert answer.status_code == 200, answer.text
    cell = phone("cell", e164=random_us_number(737))
    contact = await account.create_contact(cell)
    messaging.clock.set(local(CHICAGO, 9, 15))

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    held = await account.message_reaches(message["message_id"], "scheduled")
    assert datetime.fromisoformat(held["release_at"]).astimezone(CHICAGO).hour == 10
    messaging.clock.set(local(CHICAGO, 10, 0))
    await account.message_reaches(message["message_id"], "delivered")


async def test_texting_settings_are_validated(messaging, account):
    for bad in ({"quiet_hours": {"start": "20:00", "end": "09:00"}}, {"opt_out_scope": "household"}, {"colour": "red"}):
        answer = await account.harness.api.put("/v1/messages/settings", json=bad, headers=account.headers)
        assert answer.status_code == 422, bad
    assert (await account.get("/v1/messages/settings")).json()["opt_out_scope"] == "phone"


async def test_dnc_tagged_during_a_bulk_send_stops_all_of_that_persons_texts(messaging, account):
    cells = [[phone("cell"), phone("cell")] for _ in range(6)]
    contacts = [await account.create_contact(*pair) for pair in cells]
    answer = await account.harness.api.post(
        "/v1/bulk-sends", json={"body": "Hi {first_name}", "contact_ids": [c.contact_id for c in contacts]}, headers=account.headers
    )
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]

    async def all_waiting():
        job = (await account.get(f"/v1/bulk-sends/{job_id}")).json()
        return job if job["total"] == 12 else None

    await eventually(all_waiting, what="the job's 12 messages")
    await account.update_contact(contacts[2], dnc=True)
    await account.provision_number()

    async def finished():
        job = (await account.get(f"/v1/bulk-sends/{job_id}")).json()
        return job if job["status"] == "completed" and job["delivered"] == 10 else None

    job = await eventually(finished, timeout=60, what="the bulk send to finish")
    assert (job["sent"], job["skipped"], job["queued"]) == (10, {"dnc": 2}, 0)
    for index, pair in enumerate(cells):
        for cell in pair:
            assert len(await messaging.carrier_log(cell.e164)) == (0 if index == 2 else 1)


ANCHORAGE = ZoneInfo("America/Anchorage")


def alaska_number() -> str:
    """A 907 number that the phone-number data places in America/Adak or America/Anchorage."""
    return random_us_number(907)[:5] + "464" + random_us_number(907)[-4:]


async def test_an_alaska_number_goes_only_when_both_its_zones_allow_and_the_hold_names_the_zone(messaging, account):
    await account.provision_number()
    cell = phone("cell", e164=alaska_number(), time_zone="America/Adak", region="Alaska")  # as contacts records it
    contact = await account.create_contact(cell)
    messaging.clock.set(local(ANCHORAGE, 21, 30))

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    held = await account.message_reaches(message["message_id"], "scheduled")
    assert (held["hold_reason"], held["hold_zone"]) == ("quiet_hours", "America/Anchorage")
    assert datetime.fromisoformat(held["release_at"]).astimezone(ANCHORAGE).hour == 9  # 8:00 in Adak
    messaging.clock.set(local(ANCHORAGE, 8, 30) + timedelta(days=1))
    await account.message_reaches(message["message_id"], "scheduled")
    assert await messaging.carrier_log(cell.e164) == []
    messaging.clock.set(local(ANCHORAGE, 9, 0) + timedelta(days=1))
    await account.message_reaches(message["message_id"], "delivered")


async def test_a_contact_living_in_another_state_is_texted_only_when_it_is_allowed_there_too(messaging, account):
    await account.provision_number()
    cell = phone("cell", e164=random_us_number(212))
    contact = await account.create_contact(cell)
    await account.update_contact(contact, address_state="CA", address_zip="94105")
    messaging.clock.set(local(NEW_YORK, 9, 0))

    message = (await account.send(contact.contact_id)).json()["messages"][0]

    held = await account.message_reaches(message["message_id"], "scheduled")
    assert held["hold_zone"] == "America/Los_Angeles"
    assert datetime.fromisoformat(held["release_at"]).astimezone(NEW_YORK).hour == 11
    assert await messaging.carrier_log(cell.e164) == []
