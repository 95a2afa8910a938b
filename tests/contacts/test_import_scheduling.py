"""Imports scheduled fairly across accounts, on the real FerretDB and Kafka: a worker runs
one slice of an import, then the account served longest ago takes its turn; two workers on
one import count every row once; a worker killed mid-slice has its slice taken over."""

import asyncio
import hashlib
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest

from services.contacts.bootstrap import build_contacts_runtime, build_import_worker, build_ports, create_app
from services.contacts.domain.importing import imported_contact_id
from shared import topics
from tests.contacts.cleanup import remove_test_data
from tests.support.waiting import eventually

MAPPING = {"columns": {"First": "first_name", "Last": "last_name", "Mobile": "phone:cell"}}


def people(rows: int, prefix: str, area: int = 202) -> bytes:
    return "\n".join(["First,Last,Mobile", *(f"{prefix}{n},Person,+1{area}555{n:04d}" for n in range(rows))]).encode()


@asynccontextmanager
async def service(contacts_settings, suffix: str, *, run_imports: bool = True, **settings):
    """A contacts process of its own (its own worker) on a database of the test's."""
    settings = contacts_settings.model_copy(update={
        "database": f"{contacts_settings.database}_{suffix}", "import_poll_seconds": 0.1, **settings,
    })
    runtime = build_contacts_runtime(settings, run_imports=run_imports)
    await runtime.start(consume=False)
    try:
        transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://c") as http:
            yield runtime, settings, http
    finally:
        await remove_test_data(runtime)
        await runtime.stop()


async def started(http, headers, content: bytes) -> str:
    job = (await http.post("/v1/imports", content=content, headers=headers)).json()
    response = await http.post(f"/v1/imports/{job['id']}/start", json=MAPPING, headers=headers)
    assert response.status_code == 200, response.text
    return job["id"]


async def progress(http, headers, job_id: str) -> dict:
    return (await http.get(f"/v1/imports/{job_id}", headers=headers)).json()


async def completed(http, headers, job_id: str, timeout: float = 120) -> dict:
    async def done():
        job = await progress(http, headers, job_id)
        return job if job["status"] == "completed" else None

    return await eventually(done, timeout=timeout, interval=0.1, what=f"import {job_id} to complete")


async def assert_exact(runtime, tap, account: str, content: bytes, job: dict, rows: int) -> None:
    assert (job["rows_read"], job["created"], job["merged"], job["failed"]) == (rows, rows, 0, 0)
    digest = hashlib.sha256(content).hexdigest()
    expected = {imported_contact_id(account, digest, line) for line in range(2, rows + 2)}
    stored = [doc["_id"] async for doc in runtime.db["contacts"].find({"account_id": account}, {"_id": 1})]
    assert len(stored) == rows and set(stored) == expected
    # Delivery is at least once (two processes' relays may both publish an entry); consumers
    # deduplicate by event id: one id per contact.
    async def every_contact():
        by_id = {event.id: event.subject for event in tap.of(account, topics.CONTACT_CREATED)}
        return by_id if set(by_id.values()) >= expected else None

    by_id = await eventually(every_contact, timeout=30, what="every contact's created event")
    assert len(by_id) == rows and set(by_id.values()) == expected, "each contact's created event, under one id"


async def test_a_small_import_finishes_while_another_accounts_large_one_runs_with_one_worker(
    contacts_settings, tap, account, as_user
):
    async with service(contacts_settings, "fair", import_batch_size=50, import_slice_rows=100) as (runtime, _, http):
        big, small = as_user(account, role="admin"), as_user(account + "-b", role="admin")
        big_content = people(3000, "Big")
        big_job = await started(http, big, big_content)
        await eventually(lambda: _read_at_least(http, big, big_job, 100), timeout=60, what="the large import to get going")

        small_job = await started(http, small, people(20, "Small", area=303))
        done = await completed(http, small, small_job, timeout=60)
        assert (done["created"], done["failed"]) == (20, 0)
        meanwhile = await progress(http, big, big_job)
        assert meanwhile["status"] == "running" and meanwhile["rows_read"] < 3000, meanwhile

        await assert_exact(runtime, tap, account, big_content, await completed(http, big, big_job), 3000)


async def _read_at_least(http, headers, job_id: str, rows: int) -> bool:
    return (await progress(http, headers, job_id))["rows_read"] >= rows


async def test_two_workers_on_one_import_count_every_row_once(contacts_settings, tap, account, as_user):
    options = {"run_imports": False, "import_batch_size": 25, "import_slice_rows": 50}
    async with service(contacts_settings, "two", **options) as (first, settings, http):
        async with service(contacts_settings, "two", **options) as (second, _, _):
            workers = [build_import_worker(first, settings, build_ports(first, settings)),
                       build_import_worker(second, settings, build_ports(second, settings))]
            headers = as_user(account, role="admin")
            content = people(600, "Two")
            job_id = await started(http, headers, content)
            for turn in range(4):  # slices handed from one to the other
                assert await workers[turn % 2].run_once()
            assert (await progress(http, headers, job_id))["rows_read"] == 200

            async def drain(worker) -> None:
                while (await progress(http, headers, job_id))["status"] != "completed":
                    if not await worker.run_once():
                        await asyncio.sleep(0.01)

            await asyncio.wait_for(asyncio.gather(*(drain(worker) for worker in workers)), timeout=120)
            stored = await first.db["imports"].find_one({"_id": job_id})
            assert set(stored["workers"]) == {worker.worker_id for worker in workers}
            await assert_exact(first, tap, account, content, await progress(http, headers, job_id), 600)


async def test_a_worker_killed_mid_slice_has_its_slice_taken_over(contacts_settings, tap, account, as_user):
    options = {"run_imports": False, "import_batch_size": 20, "import_slice_rows": 10_000, "import_lease_seconds": 2.0}
    async with service(contacts_settings, "killed", **options) as (runtime, settings, http):
        dying, taking_over = (build_import_worker(runtime, settings, build_ports(runtime, settings)) for _ in range(2))
        headers = as_user(account, role="admin")
        content = people(600, "Kill")
        job_id = await started(http, headers, content)
        await dying.start()
        try:
            await eventually(lambda: _read_at_least(http, headers, job_id, 40), timeout=60, what="the slice to get going")
        finally:
            await dying.stop()  # cancelled wherever it is, its lease left behind
        held = await runtime.db["imports"].find_one({"_id": job_id})
        assert held["lease_by"] == dying.worker_id and held["rows_read"] < 600, "killed mid-slice"

        assert await taking_over.run_once() is False, "the lease still runs"
        await taking_over.start()
        try:
            job = await completed(http, headers, job_id)
        finally:
            await taking_over.stop()
        stored = await runtime.db["imports"].find_one({"_id": job_id})
        assert set(stored["workers"]) == {dying.worker_id, taking_over.worker_id}
        await assert_exact(runtime, tap, account, content, job, 600)


class SlowOptOuts:
    """The opt-out registry answering after a pause: a batch that outlasts the lease."""

    def __init__(self, registry, seconds: float) -> None:
        self._registry, self._seconds = registry, seconds

    async def opted_out(self, account_id, numbers):
        await asyncio.sleep(self._seconds)
        return await self._registry.opted_out(account_id, numbers)

    async def record(self, *args, **kwargs):
        return await self._registry.record(*args, **kwargs)


async def test_a_living_workers_heartbeat_keeps_its_slice_however_long_a_batch_takes(contacts_settings, tap, account, as_user):
    options = {"run_imports": False, "import_batch_size": 100, "import_lease_seconds": 1.0}
    async with service(contacts_settings, "heartbeat", **options) as (runtime, settings, http):
        ports = build_ports(runtime, settings)
        slow = build_import_worker(runtime, settings, replace(ports, opt_outs=SlowOptOuts(ports.opt_outs, 2.5)))
        other = build_import_worker(runtime, settings, build_ports(runtime, settings))
        headers = as_user(account, role="admin")
        content = people(200, "Beat")
        job_id = await started(http, headers, content)
        running = asyncio.create_task(slow.run_once())

        async def held():
            return (await runtime.db["imports"].find_one({"_id": job_id}))["lease_by"] == slow.worker_id

        try:
            await eventually(held, timeout=10, what="the slow worker to claim the slice")
            while not running.done():
                assert await other.run_once() is False, "the slice is held while its worker lives"
                await asyncio.sleep(0.1)
            assert running.result() is True
        finally:
            running.cancel()
        stored = await runtime.db["imports"].find_one({"_id": job_id})
        assert stored["workers"] == [slow.worker_id]
        await assert_exact(runtime, tap, account, content, await progress(http, headers, job_id), 200)
