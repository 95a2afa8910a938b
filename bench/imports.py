"""Imports benchmark: tags on a row, and one account's import beside another's.

    eval "$(deploy/local/infra env)"; .venv/bin/python bench/imports.py [--tags 10000] [--big-rows 30000]

In one process (the contacts service's runtime and HTTP app, in-process), against the
MongoDB-wire server and Kafka the tests use, on a database of its own dropped at the end:
- registering --tags new tags the way a row's tags were registered before (one upsert per
  tag) and the way they are now (one read, one unordered bulk write);
- importing one row with --tags tags (now a failed row: past tags_per_contact) and one
  row with the most tags a contact may carry, all new to the account;
- fairness, with ONE worker: account A starts an import of --big-rows rows; when A has read
  its first batch, account B starts one of --small-rows rows. The seconds until B's import
  completes, with A's still running, with imports in slices (import_slice_rows) and, for
  comparison, as before (one import at a time: a slice larger than the file).
"""

import argparse
import asyncio
import os
import sys
import time
import uuid
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from services.contacts.adapters.imports import utc_now  # noqa: E402
from services.contacts.adapters.tags import MongoTagRegistry, tag_key  # noqa: E402
from services.contacts.bootstrap import build_contacts_runtime, create_app  # noqa: E402
from services.contacts.settings import ContactsSettings  # noqa: E402
from shared.caller import Caller  # noqa: E402
from tests.support.callers import FreshCallerHeaders  # noqa: E402

SECRET = "imports-benchmark-internal-secret-" + uuid.uuid4().hex
MAPPING = {"columns": {"First": "first_name", "Last": "last_name", "Mobile": "phone:cell", "Tags": "tags"}}


def headers(account: str) -> FreshCallerHeaders:
    return FreshCallerHeaders(Caller(account_id=account, user_id="bench", role="admin"), SECRET, audience="contacts")


def people(rows: int, prefix: str, area: int) -> bytes:
    lines = ["First,Last,Mobile,Tags"]
    lines += [f"{prefix}{n},Person,+1{area}{n // 10_000 % 10}55{n % 10_000:04d},Imported" for n in range(rows)]
    return "\n".join(lines).encode()


async def one_upsert_per_tag(registry: MongoTagRegistry, account: str, names: list[str]) -> float:
    """The former registration: an upsert per tag, one round trip each."""
    began = time.perf_counter()
    for name in names:
        await registry._tags.update_one(
            {"account_id": account, "key": tag_key(name)},
            {"$setOnInsert": {"_id": uuid.uuid4().hex, "name": name, "color": None, "created_at": utc_now()}},
            upsert=True,
        )
    return time.perf_counter() - began


async def timed(coroutine) -> float:
    began = time.perf_counter()
    await coroutine
    return time.perf_counter() - began


async def start_import(http, account: str, content: bytes, mapping=MAPPING) -> str:
    job = (await http.post("/v1/imports", content=content, headers=headers(account))).json()
    response = await http.post(f"/v1/imports/{job['id']}/start", json=mapping, headers=headers(account))
    response.raise_for_status()
    return job["id"]


async def progress(http, account: str, job_id: str) -> dict:
    return (await http.get(f"/v1/imports/{job_id}", headers=headers(account))).json()


async def until(http, account: str, job_id: str, done, timeout: float = 3600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = await progress(http, account, job_id)
        if done(job):
            return job
        await asyncio.sleep(0.05)
    raise TimeoutError(f"import {job_id}")


def completed(job: dict) -> bool:
    return job["status"] == "completed"


async def import_seconds(http, account: str, content: bytes) -> tuple[float, dict]:
    began = time.perf_counter()
    job = await until(http, account, await start_import(http, account, content), completed)
    return time.perf_counter() - began, job


async def measure_tags(settings: ContactsSettings, tags: int) -> None:
    runtime = build_contacts_runtime(settings)
    await runtime.start(consume=False)
    try:
        registry = MongoTagRegistry(runtime.db)
        names = [f"Tag {n}" for n in range(tags)]
        before = await one_upsert_per_tag(registry, "bench-tags-before", names)
        after = await timed(registry.ensure("bench-tags-after", names, now=utc_now()))
        print(f"register {tags} new tags: one upsert per tag {before:.2f} s; one read + one bulk write {after:.2f} s")

        limit = settings.max_tags_per_contact
        app = create_app(settings, runtime=runtime)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c", timeout=600) as http:
            row = ";".join(f"Row tag {n}" for n in range(tags))
            seconds, job = await import_seconds(http, "bench-row-many", f"First,Last,Mobile,Tags\nMany,Tags,+12025550100,\"{row}\"\n".encode())
            print(f"import a row with {tags} tags: {seconds:.2f} s (created {job['created']}, failed {job['failed']}: past tags_per_contact)")
            row = ";".join(f"Row tag {n}" for n in range(limit))
            most = f"First,Last,Mobile,Tags\nMost,Tags,+12025550101,\"{row}\"\n".encode()
            seconds, job = await import_seconds(http, "bench-row-most", most)
            before = await one_upsert_per_tag(registry, "bench-row-most-before", [f"Row tag {n}" for n in range(limit)])
            print(f"import a row with {limit} tags (the most a contact may carry), all new: {seconds:.2f} s "
                  f"(created {job['created']}); its tags one upsert each, as before: {before:.2f} s")
    finally:
        for name in await runtime.db.list_collection_names():
            await runtime.db[name].delete_many({})
        await runtime.stop()


async def measure_fairness(settings: ContactsSettings, big_rows: int, small_rows: int, label: str) -> None:
    runtime = build_contacts_runtime(settings)
    await runtime.start(consume=False)
    try:
        app = create_app(settings, runtime=runtime)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c", timeout=600) as http:
            tag = uuid.uuid4().hex[:6]
            a, b = f"bench-a-{tag}", f"bench-b-{tag}"
            began_a = time.perf_counter()
            big = await start_import(http, a, people(big_rows, "A", 202))
            await until(http, a, big, lambda job: job["rows_read"] > 0)
            began_b = time.perf_counter()
            small = await start_import(http, b, people(small_rows, "B", 303))
            await until(http, b, small, completed)
            b_seconds = time.perf_counter() - began_b
            a_then = await progress(http, a, big)
            await until(http, a, big, completed)
            a_seconds = time.perf_counter() - began_a
            print(f"{label}: B's {small_rows} rows done in {b_seconds:.2f} s while A's import had read "
                  f"{a_then['rows_read']} of {big_rows} rows ({a_then['status']}); A's whole import {a_seconds:.2f} s")
    finally:
        for name in await runtime.db.list_collection_names():
            await runtime.db[name].delete_many({})
        await runtime.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tags", type=int, default=10_000)
    parser.add_argument("--big-rows", type=int, default=30_000)
    parser.add_argument("--small-rows", type=int, default=100)
    args = parser.parse_args()
    settings = ContactsSettings(
        kafka_bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"], mongo_url=os.environ["MONGO_URL"],
        internal_auth_secret=SECRET, database=f"bench_imports_{uuid.uuid4().hex[:8]}", consumer_group=f"bench-{uuid.uuid4().hex[:8]}",
        activity_history=False, import_poll_seconds=0.1,
    )
    await measure_tags(settings, args.tags)
    sliced = settings.model_copy(update={"database": settings.database + "_sliced"})
    await measure_fairness(sliced, args.big_rows, args.small_rows, f"in slices of {sliced.import_slice_rows} rows")
    whole = settings.model_copy(update={"database": settings.database + "_whole", "import_slice_rows": 10 * args.big_rows})
    await measure_fairness(whole, args.big_rows, args.small_rows, "one import at a time (as before)")


if __name__ == "__main__":
    asyncio.run(main())
