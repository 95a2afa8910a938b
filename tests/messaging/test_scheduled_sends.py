"""Scheduled sends: kept until their time, shown in the sender's time zone, edited or cancelled
until then, and at their time sent through the normal send path exactly once, however many
messaging processes look for them and whichever of them dies or restarts."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx

from services.messaging.adapters.store.scheduled_sends import ScheduledSendStore
from services.messaging.domain.commands import SendText
from services.messaging.service_layer import sending
from shared import topics
from tests.messaging.conftest import phone
from tests.support.waiting import eventually

REPO_ROOT = Path(__file__).resolve().parents[2]
CHICAGO = ZoneInfo("America/Chicago")


def local(moment: datetime, zone: ZoneInfo = CHICAGO) -> str:
    """A wall-clock time in `zone`, as a person would type it (no offset)."""
    return moment.astimezone(zone).replace(tzinfo=None).isoformat()


async def schedule(messaging, headers, *, after: float = 2.0, zone: ZoneInfo = CHICAGO, api=None, **send) -> httpx.Response:
    payload = {"send_at": local(messaging.clock() + timedelta(seconds=after), zone), "time_zone": zone.key, **send}
    return await (api or messaging.api).post("/v1/scheduled-sends", json=payload, headers=headers)


async def scheduled(messaging, headers, schedule_id: str) -> dict:
    answer = await messaging.api.get(f"/v1/scheduled-sends/{schedule_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def reaches(messaging, headers, schedule_id: str, status: str, timeout: float = 20.0) -> dict:
    async def there():
        found = await scheduled(messaging, headers, schedule_id)
        return found if found["status"] == status else None

    return await eventually(there, timeout=timeout, what=f"scheduled send {schedule_id} to be {status}")


async def test_a_scheduled_text_waits_for_its_time_then_goes_once_and_is_shown_in_the_senders_time(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    to = contact.phones[0].e164

    answer = await schedule(messaging, account.headers, after=2.5, text={"contact_id": contact.contact_id, "body": "Doors open at 9"})

    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert (created["status"], created["kind"], created["time_zone"]) == ("scheduled", "text", "America/Chicago")
    assert created["local_send_at"].endswith("-06:00") or created["local_send_at"].endswith("-05:00")
    assert datetime.fromisoformat(created["local_send_at"]) == datetime.fromisoformat(created["send_at"])
    listed = (await account.get("/v1/scheduled-sends", status="scheduled")).json()["scheduled_sends"]
    assert [item["scheduled_send_id"] for item in listed] == [created["scheduled_send_id"]]
    assert await messaging.carrier_log(to) == []  # not before its time

    started = await reaches(messaging, account.headers, created["scheduled_send_id"], "started")
    assert datetime.fromisoformat(started["started_at"]) >= datetime.fromisoformat(created["send_at"])
    [message_id] = started["message_ids"]
    await account.message_reaches(message_id, "delivered")
    assert [sent["body"] for sent in await messaging.carrier_log(to)] == ["Doors open at 9"]
    [event] = await messaging.events.wait_for(account.account_id, topics.SCHEDULED_SEND_STARTED)
    assert (event["data"]["outcome"], event["data"]["message_ids"], event["subject"]) == ("sent", [message_id], created["scheduled_send_id"])
    assert len(messaging.events.of(account.account_id, topics.SCHEDULED_SEND_CREATED)) == 1


async def test_a_cancelled_send_never_goes_and_can_no_longer_be_changed(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    created = (await schedule(messaging, account.headers, after=1.5, text={"contact_id": contact.contact_id, "body": "Never"})).json()
    schedule_id = created["scheduled_send_id"]

    cancelled = await messaging.api.post(f"/v1/scheduled-sends/{schedule_id}/cancel", headers=account.headers)
    again = await messaging.api.post(f"/v1/scheduled-sends/{schedule_id}/cancel", headers=account.headers)
    edited = await messaging.api.patch(f"/v1/scheduled-sends/{schedule_id}", json={"body": "Now?"}, headers=account.headers)

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    assert again.status_code == 200 and again.json()["cancelled_at"] == cancelled.json()["cancelled_at"]
    assert edited.status_code == 409 and "cancelled" in edited.json()["detail"]
    await messaging.events.wait_for(account.account_id, topics.SCHEDULED_SEND_CANCELLED, scheduled_send_id=schedule_id)
    await asyncio.sleep(2.5)  # well past its time, with the starter looking every 0.2 s
    assert (await scheduled(messaging, account.headers, schedule_id))["status"] == "cancelled"
    assert await messaging.carrier_log(contact.phones[0].e164) == []
    assert messaging.events.of(account.account_id, topics.SCHEDULED_SEND_STARTED) == []


async def test_an_edited_send_goes_with_its_new_words_at_its_new_time(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    created = (await schedule(messaging, account.headers, after=60, text={"contact_id": contact.contact_id, "body": "Old words"})).json()
    schedule_id = created["scheduled_send_id"]
    new_time = messaging.clock() + timedelta(seconds=2)

    edited = await messaging.api.patch(
        f"/v1/scheduled-sends/{schedule_id}",
        json={"body": "New words", "send_at": local(new_time, ZoneInfo("America/Denver")), "time_zone": "America/Denver"},
        headers=account.headers,
    )

    assert edited.status_code == 200, edited.text
    assert (edited.json()["body"], edited.json()["time_zone"]) == ("New words", "America/Denver")
    assert abs(datetime.fromisoformat(edited.json()["send_at"]) - new_time) < timedelta(seconds=1)
    [updated] = await messaging.events.wait_for(account.account_id, topics.SCHEDULED_SEND_UPDATED)
    assert updated["data"]["changed"] == ["body", "send_at", "time_zone"]
    started = await reaches(messaging, account.headers, schedule_id, "started")
    await account.message_reaches(started["message_ids"][0], "delivered")
    assert [sent["body"] for sent in await messaging.carrier_log(contact.phones[0].e164)] == ["New words"]


async def test_eligibility_is_checked_when_the_send_goes_not_when_it_was_scheduled(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    created = (await schedule(messaging, account.headers, after=2.0, text={"contact_id": contact.contact_id, "body": "Hi"})).json()

    await account.update_contact(contact, dnc=True)  # Do Not Contact after it was scheduled

    refused = await reaches(messaging, account.headers, created["scheduled_send_id"], "refused")
    assert "dnc" in refused["refused_because"] and refused["message_ids"] == []
    [event] = await messaging.events.wait_for(account.account_id, topics.SCHEDULED_SEND_STARTED)
    assert event["data"]["outcome"] == "refused"
    assert await messaging.carrier_log(contact.phones[0].e164) == []


async def test_a_scheduled_bulk_send_starts_a_bulk_job_at_its_time(messaging, account):
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(3)]
    answer = await schedule(
        messaging, account.headers, after=1.5, bulk_send={"body": "Rally tonight", "contact_ids": [c.contact_id for c in contacts]}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["contact_ids"] == 3

    started = await reaches(messaging, account.headers, answer.json()["scheduled_send_id"], "started")

    async def job_done():
        job = (await account.get(f"/v1/bulk-sends/{started['bulk_job_id']}")).json()
        return job if job["status"] == "completed" else None

    job = await eventually(job_done, timeout=30, what="the scheduled bulk send to complete")
    assert job["total"] == 3 and job["sent"] + job["delivered"] >= 3
    for contact in contacts:
        assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


async def test_bad_schedules_are_refused_with_their_field_and_nothing_is_written(messaging, account):
    contact = await account.create_contact(phone("cell"))
    text = {"contact_id": contact.contact_id, "body": "Hi"}
    now = messaging.clock()
    cases = {
        "send_at": {"send_at": local(now - timedelta(minutes=1)), "time_zone": "America/Chicago", "text": text},
        "time_zone": {"send_at": local(now + timedelta(hours=1)), "time_zone": "Mars/Olympus_Mons", "text": text},
        "text.canned_reply_id": {
            "send_at": local(now + timedelta(hours=1)), "time_zone": "America/Chicago",
            "text": {"contact_id": contact.contact_id, "canned_reply_id": uuid4().hex},
        },
        "text.body": {"send_at": local(now + timedelta(hours=1)), "time_zone": "America/Chicago", "text": {"contact_id": contact.contact_id, "body": "  "}},
        "body": {
            "send_at": local(now + timedelta(hours=1)), "time_zone": "America/Chicago", "text": text,
            "bulk_send": {"body": "x", "contact_ids": [contact.contact_id]},
        },
    }
    for field, payload in cases.items():
        answer = await messaging.api.post("/v1/scheduled-sends", json=payload, headers=account.headers)
        assert answer.status_code == 422, (field, answer.text)
        assert [error["field"] for error in answer.json()["errors"]] == [field], (field, answer.text)
    too_far = await messaging.api.post(
        "/v1/scheduled-sends", json={"send_at": (now + timedelta(days=366)).isoformat(), "time_zone": "UTC", "text": text}, headers=account.headers
    )
    assert too_far.status_code == 422 and "a year ahead" in too_far.json()["errors"][0]["problem"]
    assert "has passed" in (await messaging.api.post("/v1/scheduled-sends", json=cases["send_at"], headers=account.headers)).json()["errors"][0]["problem"]
    assert (await account.get("/v1/scheduled-sends")).json()["scheduled_sends"] == []
    unknown = await messaging.api.post(
        "/v1/scheduled-sends",
        json={"send_at": local(now + timedelta(hours=1)), "time_zone": "America/Chicago", "text": {"contact_id": uuid4().hex, "body": "Hi"}},
        headers=account.headers,
    )
    assert unknown.status_code == 404


async def test_the_same_idempotency_key_schedules_once(messaging, account):
    contact = await account.create_contact(phone("cell"))
    text = {"contact_id": contact.contact_id, "body": "Once", "idempotency_key": "evening-reminder"}

    first = await schedule(messaging, account.headers, after=3600, text=text)
    again = await messaging.api.post("/v1/scheduled-sends", json={
        "send_at": first.json()["send_at"], "time_zone": "America/Chicago", "text": text}, headers=account.headers)
    other = await schedule(messaging, account.headers, after=3600, text={**text, "body": "Other words"})

    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json()["scheduled_send_id"] == first.json()["scheduled_send_id"]
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "text.idempotency_key"
    assert len((await account.get("/v1/scheduled-sends")).json()["scheduled_sends"]) == 1


async def test_texters_see_and_change_only_their_own_schedules(messaging, account):
    contact = await account.create_contact(phone("cell"))
    texter_id, other_id = uuid4().hex, uuid4().hex
    texter, other = account.headers_of(texter_id, "texter"), account.headers_of(other_id, "texter")
    admin = account.headers_of(uuid4().hex, "admin")
    mine = (await schedule(messaging, texter, after=3600, text={"contact_id": contact.contact_id, "body": "Mine"})).json()
    path = f"/v1/scheduled-sends/{mine['scheduled_send_id']}"

    assert (await messaging.api.get("/v1/scheduled-sends", headers=other)).json()["scheduled_sends"] == []
    assert (await messaging.api.get(path, headers=other)).status_code == 403
    assert (await messaging.api.patch(path, json={"body": "Theirs"}, headers=other)).status_code == 403
    assert (await messaging.api.post(f"{path}/cancel", headers=other)).status_code == 403
    assert [s["user_id"] for s in (await messaging.api.get("/v1/scheduled-sends", headers=texter)).json()["scheduled_sends"]] == [texter_id]
    assert (await messaging.api.get(path, headers=messaging.account().headers)).status_code == 404  # another account
    cancelled = await messaging.api.post(f"{path}/cancel", headers=admin)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


async def test_a_start_left_half_done_by_a_dead_process_is_finished_once_when_its_lease_runs_out(messaging, account):
    await account.provision_number()
    contact = await account.create_contact(phone("cell"))
    created = (await schedule(messaging, account.headers, after=1.0, text={"contact_id": contact.contact_id, "body": "Once"})).json()
    schedule_id, send_at = created["scheduled_send_id"], datetime.fromisoformat(created["send_at"])
    store = ScheduledSendStore(messaging.store._db)

    # A process claims it at its time, records the text, and dies before it notes the start.
    claimed = await store.claim_due(now=send_at, claimer="a-process-that-dies", lease=timedelta(seconds=2))
    assert claimed["_id"] == schedule_id
    half_done = await sending.send_text(
        SendText(account_id=account.account_id, user_id=account.user_id, contact_id=contact.contact_id, body="Once",
                 idempotency_key=f"scheduled:{schedule_id}"),
        store=messaging.store, keys=messaging.api._transport.app.state.idempotency_keys,
        limits=messaging.api._transport.app.state.limits, contact_wait_seconds=0,
    )

    started = await reaches(messaging, account.headers, schedule_id, "started", timeout=30)
    assert started["message_ids"] == [message["_id"] for message in half_done.messages]
    await account.message_reaches(started["message_ids"][0], "delivered")
    assert len(await messaging.carrier_log(contact.phones[0].e164)) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_several_messaging_processes_start_each_send_once_and_one_stopping_loses_none(messaging, account):
    """Two more api processes (real ones, same database and consumer group) look for due sends beside
    this one; one of them takes the schedules in and stops before they are due."""
    messaging.clock.set(datetime.now(UTC))  # the processes run on the real clock
    await account.provision_number()
    contacts = [await account.create_contact(phone("cell")) for _ in range(6)]
    ports, apis = [_free_port(), _free_port()], []
    environment = {**os.environ, **messaging.settings.as_environment(), "MESSAGING_LOG_LEVEL": "WARNING"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "services.messaging"], env={**environment, "MESSAGING_HTTP_PORT": str(port)}, cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        apis += [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) for port in ports]

        async def healthy():
            try:
                return all([(await api.get("/healthz")).status_code == 200 for api in apis])
            except httpx.TransportError:
                return False

        await eventually(healthy, timeout=90, interval=0.5, what="two messaging api processes to start")
        messaging.clock.set(datetime.now(UTC))
        created = []
        for contact in contacts:  # all due at the same moment, taken in by the process that will stop
            answer = await schedule(
                messaging, account.headers, after=4.0, api=apis[0], text={"contact_id": contact.contact_id, "body": "All at once"}
            )
            assert answer.status_code == 201, answer.text
            created.append(answer.json()["scheduled_send_id"])
        processes[0].send_signal(signal.SIGTERM)  # stopped (and not restarted) before any is due
        processes[0].wait(timeout=30)

        for schedule_id in created:
            await reaches(messaging, account.headers, schedule_id, "started", timeout=30)
        started = await messaging.events.wait_for(account.account_id, topics.SCHEDULED_SEND_STARTED, count=len(created))
        assert sorted(event["data"]["scheduled_send_id"] for event in started) == sorted(created)
        for contact in contacts:
            requested = messaging.events.of(account.account_id, topics.MESSAGE_SEND_REQUESTED, contact_id=contact.contact_id)
            assert len({event["data"]["message_id"] for event in requested}) == 1, contact.contact_id
    finally:
        for api in apis:
            await api.aclose()
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
