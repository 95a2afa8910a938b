"""Messaging throughput: bulk enqueue and dispatch to the sandbox carrier.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 MONGO_URL=mongodb://127.0.0.1:27027/ \\
        .venv/bin/python bench/messaging.py [--contacts 10000] [--workers 2] [--seconds 120]

1. raw Kafka produce rate (aiokafka, acks=all, 6 partitions), the baseline;
2. a bulk send to N contacts (explicit ids): time until the API answers with every message and its
   message.send_requested recorded, then until the outbox relay has published them all to Kafka;
3. dispatch: W send-worker processes (rate limits lifted) against the sandbox carrier (its own
   process): messages/s at the carrier, sustained over up to --seconds, with duplicates and losses
   counted from the carrier's log; printed as a ratio to the raw Kafka rate;
4. where the time goes: the store's round trips, and what a batch of texts costs in them.
Uses its own database and topic namespace; drops the database at the end.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import httpx  # noqa: E402
from aiokafka import AIOKafkaConsumer, TopicPartition  # noqa: E402
from pymongo import AsyncMongoClient  # noqa: E402
from pymongo.errors import BulkWriteError  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.foundation import kafka_produce_rate  # noqa: E402
from services.messaging.adapters.outbox import OUTBOX  # noqa: E402
from services.messaging.adapters.store.messages import MESSAGE_STATES  # noqa: E402
from services.messaging.adapters.store.read_models import CONTACTS_VIEW  # noqa: E402
from services.messaging.bootstrap import create_app  # noqa: E402
from services.messaging.service_layer.bulk import MAX_EXPLICIT_IDS  # noqa: E402
from services.messaging.settings import MessagingSettings  # noqa: E402
from services.sandbox_carrier.config import SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN  # noqa: E402
from shared.caller import Caller  # noqa: E402
from shared import topics  # noqa: E402
from shared.outbox import PENDING_FIELD  # noqa: E402
from tests.support.callers import FreshCallerHeaders  # noqa: E402
from tests.support.servers import free_port, serving  # noqa: E402
from tests.support.waiting import eventually  # noqa: E402


async def status_sink(scope, receive, send) -> None:
    """Where the carrier's status callbacks go: acknowledged, not measured here (a bare ASGI app,
    so that taking 2 callbacks per text costs the benchmark's machine as little as it can)."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def daytime_zone() -> str:
    """A time zone where it is early afternoon now, so quiet hours hold nothing back."""
    now = datetime.now(UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{'+' if offset <= 0 else '-'}{abs(offset)}"
        if now.astimezone(ZoneInfo(name)).hour in (12, 13, 14):
            return name
    return "UTC"


def contact_documents(account_id: str, count: int, zone: str) -> list[dict]:
    run = uuid.uuid4().int % 10_000
    documents = []
    for n in range(count):
        contact_id = f"c{n:06d}"
        e164 = f"+1737{200 + (run + n // 10_000) % 800:03d}{n % 10_000:04d}"
        phone = {"phone_id": f"p{n:06d}", "e164": e164, "type": "cell", "status": "active", "time_zone": zone, "region": "Texas"}
        documents.append({
            "_id": f"{account_id}:{contact_id}", "contact_id": contact_id, "account_id": account_id, "revision": 1,
            "deleted": False, "first_name": f"Voter{n}", "last_name": "", "phones": [phone], "dnc": False,
            "custom_fields": {}, "updated_at": datetime.now(UTC),
        })
    return documents


async def store_round_trips(db, samples: int = 200) -> dict[str, float]:
    collection = db[f"bench_probe_{uuid.uuid4().hex[:6]}"]
    timings: dict[str, list[float]] = {"insert_one": [], "find_one by _id": [], "update_one $inc": []}
    for n in range(samples):
        started = time.perf_counter()
        await collection.insert_one({"_id": n, "n": 0})
        timings["insert_one"].append(time.perf_counter() - started)
        started = time.perf_counter()
        await collection.find_one({"_id": n})
        timings["find_one by _id"].append(time.perf_counter() - started)
        started = time.perf_counter()
        await collection.update_one({"_id": n}, {"$inc": {"n": 1}})
        timings["update_one $inc"].append(time.perf_counter() - started)
    await collection.drop()
    return {name: sorted(values)[len(values) // 2] * 1000 for name, values in timings.items()}


async def records_on_topic(bootstrap: str, topic: str) -> int:
    """How many records the topic holds (the sum of its partitions' end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, partition) for partition in range(topics.PARTITIONS)]
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()


async def carrier_count(carrier: httpx.AsyncClient, our_number: str) -> int:
    answer = await carrier.get("/sandbox/messages/count", params={"from": our_number})
    answer.raise_for_status()
    return answer.json()["count"]


async def _all_sent(carrier: httpx.AsyncClient, our_number: str, total: int) -> bool:
    return await carrier_count(carrier, our_number) >= total


async def carrier_log(carrier: httpx.AsyncClient, our_number: str) -> list[dict]:
    answer = await carrier.get("/sandbox/messages", params={"from": our_number})
    answer.raise_for_status()
    return answer.json()["messages"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--batch-size", type=int, default=MessagingSettings.model_fields["worker_batch_size"].default,
                        help="send requests each worker consumer takes at a time")
    options = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    mongo_url = os.environ.get("MONGO_URL", "mongodb://127.0.0.1:27027/")
    run = uuid.uuid4().hex[:8]

    kafka_rate = await kafka_produce_rate(bootstrap)
    print(f"raw kafka produce (6 partitions, acks=all, 600 B): {kafka_rate:,.0f} msg/s", flush=True)

    carrier_port, sink_port = free_port(), free_port()
    carrier_env = {
        **os.environ, "CARRIER_PORT": str(carrier_port), "CARRIER_ACCOUNT_SID": SANDBOX_ACCOUNT_SID,
        "CARRIER_AUTH_TOKEN": SANDBOX_AUTH_TOKEN, "CARRIER_WEBHOOK_MAX_ATTEMPTS": "1",
    }
    carrier_process = subprocess.Popen([sys.executable, "-m", "services.sandbox_carrier"], cwd=REPO_ROOT, env=carrier_env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings = MessagingSettings(
        _env_file=None, kafka_bootstrap_servers=bootstrap, mongo_url=mongo_url, environment="test",
        internal_auth_secret=f"bench-{run}-internal-secret", database=f"bench_messaging_{run}",
        consumer_group=f"bench-messaging-{run}", worker_group=f"bench-send-workers-{run}",
        kafka_topic_namespace=f"bench-messaging-{run}.", twilio_account_sid=SANDBOX_ACCOUNT_SID,
        twilio_auth_token=SANDBOX_AUTH_TOKEN, twilio_api_base_url=f"http://127.0.0.1:{carrier_port}",
        gateway_public_url=f"http://127.0.0.1:{sink_port}", sender_segments_per_second=0,
        account_concurrent_carrier_calls=64, worker_consumers=3, worker_batch_size=options.batch_size, log_level="WARNING",
        # Tens of thousands of texts from one account, in several bulk sends: past a real account's limits.
        texts_per_day=10_000_000, concurrent_bulk_sends=100,
    )
    mongo = AsyncMongoClient(mongo_url)
    db = mongo[settings.database]
    workers: list[subprocess.Popen] = []
    account_id, user_id = f"bench-{run}", f"user-{run}"
    headers = FreshCallerHeaders(Caller(account_id=account_id, user_id=user_id, role="owner"),
                                 settings.internal_auth_secret, audience="messaging")
    app = create_app(settings)
    try:
        async with (
            serving(status_sink, sink_port),
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://messaging", timeout=600) as api,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{carrier_port}", auth=(SANDBOX_ACCOUNT_SID, SANDBOX_AUTH_TOKEN), timeout=120) as carrier,
        ):
            async def carrier_up() -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    return (await carrier.get("/sandbox/faults")).status_code == 200
                return False

            await eventually(carrier_up, timeout=30, interval=0.1, what="the sandbox carrier to answer")
            bought = (await carrier.post(f"/2010-04-01/Accounts/{SANDBOX_ACCOUNT_SID}/IncomingPhoneNumbers.json", data={"AreaCode": "512"})).json()
            our_number = bought["phone_number"]
            store = app.state.store
            await store.save_sender_number(user_id=user_id, account_id=account_id, phone_number=our_number, number_id="n1")
            await store.save_registration(account_id, state="approved", at=datetime.now(UTC))
            contacts = contact_documents(account_id, options.contacts, daytime_zone())
            for start in range(0, len(contacts), 1000):
                with contextlib.suppress(BulkWriteError):  # a batch retried after a timeout
                    await db[CONTACTS_VIEW].insert_many(contacts[start:start + 1000], ordered=False)
            print(f"seeded {len(contacts):,} contacts in the read model", flush=True)

            total, started = 0, time.perf_counter()
            for first in range(0, len(contacts), MAX_EXPLICIT_IDS):  # one bulk send names at most 50,000 contacts
                part = contacts[first:first + MAX_EXPLICIT_IDS]
                asked = time.perf_counter()
                answer = await api.post("/v1/bulk-sends", headers=headers,
                                        json={"body": "Hi {first_name}, polls are open until 8pm.", "contact_ids": [c["contact_id"] for c in part]})
                accepted = time.perf_counter() - asked
                answer.raise_for_status()
                total += answer.json()["total"]
                print(f"bulk request of {len(part):,} contacts: answered 202 with {answer.json()['total']:,} messages recorded and queued in {accepted:.2f} s", flush=True)
            job = {"total": total}
            send_requests = settings.kafka_topic_namespace + topics.MESSAGE_SEND_REQUESTED
            async def all_on_kafka() -> bool:
                on_topic = await records_on_topic(bootstrap, send_requests)
                return on_topic >= job["total"] and await db[OUTBOX].count_documents({PENDING_FIELD: True}) == 0

            await eventually(all_on_kafka, timeout=600, interval=0.1, what="every send request on Kafka")
            published = time.perf_counter() - started
            on_kafka = await records_on_topic(bootstrap, send_requests)
            print(f"  every message.send_requested on Kafka ({on_kafka:,} records on {send_requests}) after {published:.2f} s", flush=True)

            worker_env = {**os.environ, **settings.as_environment()}
            workers = [subprocess.Popen([sys.executable, "-m", "services.messaging", "worker"], cwd=REPO_ROOT, env=worker_env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(options.workers)]
            dispatch_started = time.perf_counter()
            samples: list[tuple[float, int]] = []
            while time.perf_counter() - dispatch_started < options.seconds + 60:
                await asyncio.sleep(3)
                count = await carrier_count(carrier, our_number)
                samples.append((time.perf_counter(), count))
                first = next(((at, n) for at, n in samples if n > 0), None)
                if count >= job["total"] or (first and samples[-1][0] - first[0] >= options.seconds):
                    break
            first = next(((at, n) for at, n in samples if n > 0), None)
            window = samples[-1][0] - first[0] if first else 0.0
            rate = (samples[-1][1] - first[1]) / window if window else 0.0
            with contextlib.suppress(AssertionError):  # waits for the rest of the backlog, so that losses can be counted
                await eventually(lambda: _all_sent(carrier, our_number, job["total"]), timeout=120, interval=1, what="the rest of the backlog")
            log = await carrier_log(carrier, our_number)
            per_recipient = Counter(entry["to"] for entry in log)
            duplicates = sum(count - 1 for count in per_recipient.values())
            expected = {phone["e164"] for contact in contacts for phone in contact["phones"]}
            finished = len(per_recipient) == len(expected)
            print(f"dispatch with {options.workers} worker processes x {settings.worker_consumers} consumers (batches of up to"
                  f" {settings.worker_batch_size}), rate limits lifted:")
            print(f"  first text at the carrier {first[0] - dispatch_started if first else float('nan'):.1f} s after the workers started (process start, group join)")
            print(f"  {samples[-1][1] - (first[1] if first else 0):,} texts in {window:.1f} s sustained: {rate:,.1f} msg/s")
            print(f"  ratio to raw kafka produce: {rate / kafka_rate:.5f}")
            print(f"  at the carrier: {len(log):,} texts to {len(per_recipient):,} recipients; duplicates {duplicates}; "
                  + (f"losses {len(expected) - len(per_recipient)}" if finished else f"not yet sent when the run ended {len(expected) - len(per_recipient):,} (no loss counted)"))
            states = await db[MESSAGE_STATES].estimated_document_count()
            trips = await store_round_trips(db)
            print("where the time goes (median store round trips while idle):")
            for name, ms in trips.items():
                print(f"  {name}: {ms:.2f} ms")
            print(f"  a batch of up to {settings.worker_batch_size} ready texts costs about 13 store round trips (7 reads by _id list: messages,"
                  f" their states, contacts, flags, jobs, account settings, senders; 4 inserts of one document per text: sending, carrier sid,"
                  f" queued with its message.sent event, published mark; one counter update per bulk job; the early-callback check);"
                  f" FerretDB runs writes one at a time per database; {states:,} state documents written")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=15)
            if worker.poll() is None:
                worker.kill()
        carrier_process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            carrier_process.wait(timeout=10)
        await mongo.drop_database(settings.database)
        await mongo.close()


if __name__ == "__main__":
    asyncio.run(main())
