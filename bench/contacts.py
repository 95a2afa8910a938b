"""Contacts benchmark: CSV import rate and memory, and the grid at 100k and 1M contacts.

    eval "$(deploy/local/infra env)"; .venv/bin/python bench/contacts.py [--import-rows 100000] [--total 1000000]

In one run, on this machine, against the MongoDB-wire server the tests use:
- raw insert_many rate (the foundation benchmark's measurement), documents/s, and for
  context the insert_many rate of ready-made contact documents;
- import of --import-rows CSV rows through the contacts service's HTTP API (a real
  `python -m services.contacts` process): rows/s from start to completion, its ratio to
  raw insert_many, the time until the outbox has published every contact.created, and
  the service's peak RSS (VmHWM) during the import;
- the grid's first page (50 rows) for the common queries (a tag, a name prefix, phone
  digits, tag + state) and their total counts, p50/p95, at --import-rows contacts and,
  after seeding the rest with insert_many, at --total contacts; the service's own query
  code (handlers + Mongo repository) is timed in this process, HTTP excluded;
- the server's explain output of each grid query.
Everything lives in its own database (and topic namespace), dropped at the end.
"""

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pymongo import AsyncMongoClient

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.foundation import mongo_insert_rate  # noqa: E402
from services.contacts.adapters.repository import CONTACTS, IMPORTED_EVENTS, MongoContactRepository, to_document  # noqa: E402
from services.contacts.domain.commands import ListContacts  # noqa: E402
from services.contacts.domain.grid import ContactFilter, criteria_of, sort_order  # noqa: E402
from services.contacts.domain.model import Contact  # noqa: E402
from services.contacts.domain.phones import Phone  # noqa: E402
from services.contacts.service_layer import handlers  # noqa: E402
from services.contacts.service_layer.ports import Ports  # noqa: E402
from shared.caller import Caller  # noqa: E402
from tests.support.callers import CallerTokenAuth  # noqa: E402
from tests.support.waiting import eventually  # noqa: E402

ACCOUNT = "bench-account"
SECRET = "contacts-benchmark-internal-secret-" + uuid.uuid4().hex
PORT = 19301
IMPORT_DEADLINE_SECONDS = 3 * 3600
FIRST = ["Ada", "Alan", "Grace", "Anita", "Adele", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Guido", "Hedy",
         "Ivan", "John", "Katherine", "Linus", "Margaret", "Niklaus", "Ole", "Radia", "Shafi", "Tim", "Whitfield", "Yukihiro"]
LAST = ["Lovelace", "Turing", "Hopper", "Borg", "Goldberg", "Liskov", "Shannon", "Knuth", "Dijkstra", "Allen", "Rossum",
        "Lamarr", "Sutherland", "McCarthy", "Johnson", "Torvalds", "Hamilton", "Wirth", "Dahl", "Perlman", "Goldwasser",
        "Berners-Lee", "Diffie", "Matsumoto", "Nguyen", "Garcia", "Patel", "Kim", "Okafor", "Silva"]
STATES = ["TX", "CA", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI"]
AREA = ["202", "212", "213", "305", "312", "404", "415", "512", "617", "713", "718", "737", "832", "919"]
TAGS = [f"Precinct {n}" for n in range(1, 16)] + ["Volunteer", "Donor", "Press", "Staff", "Member"]

QUERIES = {
    "tag": ContactFilter(tag="Volunteer"),
    "name prefix": ContactFilter(q="gol"),
    "phone digits": ContactFilter(q="202555"),
    "tag + state": ContactFilter(tag="Donor", state="TX"),
}


def person(n: int, rng: random.Random) -> dict:
    return {
        "first": rng.choice(FIRST), "last": rng.choice(LAST), "state": rng.choice(STATES),
        # Unique per person below 140,000 (area by ten-thousand): merges come from the emails only.
        "phone": f"+1{AREA[n // 10_000 % len(AREA)]}555{n % 10_000:04d}" if n % 10 else "",
        "cell": n % 3 != 0, "tags": rng.sample(TAGS, k=rng.randint(0, 3)), "email": f"person{n}@example.org",
    }


def csv_rows(count: int, seed: int = 1):
    rng = random.Random(seed)
    yield b"First,Last,Email,Mobile,State,Groups\r\n"
    for n in range(count):
        p = person(n, rng)
        # A tenth of the rows repeat an earlier email: the merge path is exercised too.
        email = f"person{n - 1}@example.org" if n % 10 == 5 else p["email"]
        yield f"{p['first']},{p['last']},{email},{p['phone']},{p['state']},{';'.join(p['tags'])}\r\n".encode()


async def file_body(count: int):
    """The CSV, generated as it is sent (the bench never holds the whole file either)."""
    buffer = bytearray()
    for line in csv_rows(count):
        buffer += line
        if len(buffer) >= 64 * 1024:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def seeded_document(n: int, rng: random.Random, now: datetime) -> dict:
    """A contact document as the service stores it, built without the per-row parsing of an import."""
    p = person(n, rng)
    phones = []
    if p["phone"]:
        phones.append(Phone(phone_id=f"p{n}", e164=p["phone"], type="cell" if p["cell"] else "home", primary=True,
                            area_code=p["phone"][2:5], region="US", time_zone="America/Chicago"))
    contact = Contact(
        contact_id=f"seed{n:09d}", account_id=ACCOUNT, revision=1, first_name=p["first"], last_name=p["last"],
        emails=[p["email"]], address={"state": p["state"]}, phones=phones, tags=sorted(set(p["tags"])),
        created_at=now - timedelta(seconds=n), updated_at=now,
    )
    return {"_id": contact.contact_id, **to_document(contact)}


async def contact_insert_rate(db, documents: int = 20_000, batch: int = 1_000) -> float:
    """insert_many of contact documents built beforehand, in batches as raw insert_many is."""
    rng, now = random.Random(7), datetime.now(UTC)
    ready = [seeded_document(n, rng, now) for n in range(documents)]
    try:
        started = time.perf_counter()
        for offset in range(0, documents, batch):
            await db[CONTACTS].insert_many(ready[offset:offset + batch])
        return documents / (time.perf_counter() - started)
    finally:
        await db.client.drop_database(db.name)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_service(database: str, namespace: str) -> subprocess.Popen:
    environment = {
        **os.environ, "PYTHONPATH": str(REPO_ROOT), "CONTACTS_DATABASE": database, "CONTACTS_HTTP_PORT": str(PORT),
        "KAFKA_TOPIC_NAMESPACE": namespace,
        "INTERNAL_AUTH_SECRET": SECRET, "LOG_LEVEL": "WARNING",
    }
    log = (REPO_ROOT / ".run" / "bench-contacts-service.log")
    log.parent.mkdir(exist_ok=True)
    service = subprocess.Popen([sys.executable, "-m", "services.contacts"], cwd=REPO_ROOT, env=environment,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if _healthy():
            return service
        time.sleep(0.3)
    service.kill()
    raise SystemExit("the contacts service did not start")


def _healthy() -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


async def measure_import(rows: int, db) -> dict:
    auth = CallerTokenAuth(Caller(account_id=ACCOUNT, user_id="bench", role="owner"), SECRET, audience="contacts")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", auth=auth, timeout=600) as http:
        uploaded = await http.post("/v1/imports", content=file_body(rows), params={"filename": "bench.csv"})
        uploaded.raise_for_status()
        job_id = uploaded.json()["id"]
        mapping = {"columns": {"First": "first_name", "Last": "last_name", "Email": "email", "Mobile": "phone:cell",
                               "State": "state", "Groups": "tags"}, "tags": ["Imported"]}
        started = time.perf_counter()
        (await http.post(f"/v1/imports/{job_id}/start", json=mapping)).raise_for_status()
        last_report = time.perf_counter()

        async def completed() -> dict | None:
            nonlocal last_report
            job = (await http.get(f"/v1/imports/{job_id}")).json()
            if time.perf_counter() - last_report > 30:
                print(f"  import progress after {time.perf_counter() - started:.0f}s: {job['rows_read']} read, "
                      f"{job['created']} created, {job['merged']} merged, {job['failed']} failed", flush=True)
                last_report = time.perf_counter()
            return job if job["status"] == "completed" else None

        async def published() -> bool:
            pending = await db[CONTACTS].count_documents({"outbox_pending": True})
            return not pending and not await db[IMPORTED_EVENTS].count_documents({})

        job = await eventually(completed, timeout=IMPORT_DEADLINE_SECONDS, interval=0.5, what="the import to complete")
        elapsed = time.perf_counter() - started
        await eventually(published, timeout=IMPORT_DEADLINE_SECONDS, interval=1, what="every contact.created published")
        drained = time.perf_counter() - started
    return {"job": job, "seconds": elapsed, "events_published_seconds": drained}


async def measure_grid(ports: Ports, label: str, pages: int, counts: int, db, queries: list[str]) -> None:
    print(f"grid at {label} contacts (first page of 50, in-process handlers + repository):", flush=True)
    for name, selection in QUERIES.items():
        if name not in queries:
            continue
        page_times, count_times, total = [], [], 0
        for _ in range(pages):
            started = time.perf_counter()
            await handlers.list_contacts(ListContacts(account_id=ACCOUNT, filter=selection, limit=50), ports=ports)
            page_times.append((time.perf_counter() - started) * 1000)
        for _ in range(counts):
            started = time.perf_counter()
            total = await handlers.count_contacts(ACCOUNT, selection, ports=ports)
            count_times.append(time.perf_counter() - started)
        print(f"  {name:13s}: first page p50 {statistics.median(page_times):8.1f} ms, p95 {percentile(page_times, 0.95):8.1f} ms"
              f" (target 100 ms: {percentile(page_times, 0.95) / 100:.1f}x);"
              f" count {total} in p95 {percentile(count_times, 0.95):6.2f} s (target 1 s: {percentile(count_times, 0.95):.1f}x)"
              f" [{len(page_times)} page / {len(count_times)} count samples]",
              flush=True)


async def explain_grid(repository: MongoContactRepository, queries: list[str]) -> None:
    print("explain of each grid query's first page (as the server reports it):")
    for name, selection in QUERIES.items():
        if name not in queries:
            continue
        plan = await repository.explain_page(ACCOUNT, criteria_of(selection), sort_order(None), 50)
        shown = {key: plan.get(key) for key in ("queryPlanner", "filterPushdown", "sortPushdown", "limitPushdown") if key in plan}
        print(f"  {name}: {shown}")


async def seed(db, start: int, total: int, batch: int = 5000) -> float:
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    for offset in range(start, total, batch):
        await db[CONTACTS].insert_many([seeded_document(n, rng, now) for n in range(offset, min(total, offset + batch))], ordered=False)
        if (offset - start) % 100_000 == 0:
            print(f"  seeded {offset - start} of {total - start} in {time.perf_counter() - started:.0f}s", flush=True)
    return (total - start) / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--total", type=int, default=1_000_000, help="contacts to seed up to (100,000 on the way); 0: none")
    parser.add_argument("--pages", type=int, default=20, help="first-page samples per query at the import size")
    parser.add_argument("--pages-at-total", type=int, default=5, help="first-page samples per query at --total")
    parser.add_argument("--counts", type=int, default=3, help="count samples per query")
    parser.add_argument("--queries", nargs="+", choices=list(QUERIES), default=list(QUERIES),
                        help="the grid queries to measure (each takes minutes at 1,000,000 on a store that scans)")
    options = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    database, namespace = f"bench_contacts_{run}", f"bench-contacts-{run}."
    client = AsyncMongoClient(os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27027/"), tz_aware=True)
    db = client[database]
    service = None
    try:
        insert_rate = await mongo_insert_rate(os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27027/"))
        print(f"raw insert_many into the MongoDB-wire server: {insert_rate:,.0f} docs/s", flush=True)
        contact_rate = await contact_insert_rate(client[f"{database}_inserts"])
        print(f"  for context, insert_many of ready-made contact documents: {contact_rate:,.0f} docs/s "
              f"= {contact_rate / insert_rate:.3f} of raw (what a store charges per contact before any import work)",
              flush=True)

        service = start_service(database, namespace)
        result = await measure_import(options.import_rows, db)
        peak = rss_peak_mb(service.pid)
        job, rate = result["job"], options.import_rows / result["seconds"]
        print(f"import of {options.import_rows:,} rows: {result['seconds']:.1f} s = {rate:,.0f} rows/s "
              f"(created {job['created']:,}, merged {job['merged']:,}, failed {job['failed']:,})")
        print(f"  ratio to raw insert_many: {rate / insert_rate:.3f} (target >= 0.333); "
              f"to insert_many of ready-made contact documents: {rate / contact_rate:.3f}")
        print(f"  every contact.created published after {result['events_published_seconds']:.1f} s "
              f"= {job['created'] / result['events_published_seconds']:,.0f} events/s")
        print(f"  contacts service peak RSS (VmHWM): {peak:.0f} MB (target < 300 MB: {peak / 300:.2f}x)", flush=True)
        service.terminate()
        service.wait(timeout=30)
        service = None

        repository = MongoContactRepository(db)
        ports = Ports(contacts=repository, opt_outs=None)
        here = await db[CONTACTS].count_documents({})
        await measure_grid(ports, f"{here:,}", options.pages, options.counts, db, options.queries)
        await explain_grid(repository, options.queries)
        larger = sorted({size for size in (100_000, options.total) if here < size <= options.total})
        for size in larger:
            seed_rate = await seed(db, here, size)
            here = size
            print(f"seeded to {size:,} contacts with insert_many at {seed_rate:,.0f} docs/s", flush=True)
            await measure_grid(ports, f"{size:,}", options.pages_at_total, options.counts, db, options.queries)
        if larger:
            await explain_grid(repository, options.queries)
    finally:
        if service is not None:
            service.kill()
        await client.drop_database(database)
        await client.close()
        print(f"dropped {database}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a terminated run still drops its database
    asyncio.run(main())
