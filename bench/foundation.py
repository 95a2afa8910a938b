"""Foundation benchmark: raw infrastructure baselines and the first end-to-end slice.

    eval "$(deploy/local/infra env)"; .venv/bin/python bench/foundation.py [--round-trips 200]

Prints, in one run on this machine:
- aiokafka produce rate to a fresh 6-partition topic (acks=all), messages/s;
- insert_many rate into the MongoDB-wire server, documents/s;
- the slice through every service (stack started here, as `deploy/local/run` starts it):
  send request -> the carrier has the text, and carrier reply -> the notification is readable,
  p50/p99 over the round trips, and the slice's throughput as a ratio to each baseline.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient

REPO_ROOT = Path(__file__).resolve().parents[1]
STACK = REPO_ROOT / "deploy" / "local" / "stack.py"
PORT_BASE = 19000
POLL_SECONDS = 0.005


async def kafka_produce_rate(bootstrap: str, messages: int = 50_000, size: int = 512) -> float:
    topic = f"bench.produce.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(topic, 6, 1)])
    await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    payload = b"x" * size
    try:
        started = time.perf_counter()
        pending = [await producer.send(topic, payload, key=str(n % 1000).encode()) for n in range(messages)]
        await asyncio.gather(*pending)
        return messages / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def mongo_insert_rate(mongo_url: str, documents: int = 50_000, batch: int = 1_000) -> float:
    client = AsyncMongoClient(mongo_url)
    collection = client[f"bench_{uuid.uuid4().hex[:8]}"]["inserts"]
    try:
        started = time.perf_counter()
        for offset in range(0, documents, batch):
            await collection.insert_many(
                [{"n": n, "name": f"Person {n}", "phone": f"+1512555{n % 10_000:04d}", "tags": ["a", "b"]} for n in range(offset, offset + batch)]
            )
        return documents / (time.perf_counter() - started)
    finally:
        await client.drop_database(collection.database.name)
        await client.close()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Slice:
    """One signed-up user texting contacts through the gateway, with the carrier's view."""

    def __init__(self, stack_env: dict[str, str]) -> None:
        self.gateway = httpx.AsyncClient(base_url=stack_env["GATEWAY_PUBLIC_URL"], timeout=30)
        self.carrier = httpx.AsyncClient(
            base_url=stack_env["TWILIO_API_BASE_URL"], timeout=30,
            auth=(stack_env["CARRIER_ACCOUNT_SID"], stack_env["CARRIER_AUTH_TOKEN"]),
        )
        self.our_number = ""

    async def sign_up(self) -> None:
        tag = uuid.uuid4().hex[:8]
        email, password = f"bench-{tag}@example.org", "benchmark-password"
        signed_up = await self.gateway.post("/api/accounts", json={
            "account_name": f"Bench {tag}", "name": "Bench User", "email": email, "password": password,
            "primary_cell": "(512) 474-2000",
        })
        signed_up.raise_for_status()
        session = await self.gateway.post("/api/auth/login", json={"email": email, "password": password})
        session.raise_for_status()
        self.gateway.headers["Authorization"] = f"Bearer {session.json()['access_token']}"

    async def new_contact(self, n: int) -> tuple[str, str]:
        number = f"+1512555{n:04d}"
        created = await self.gateway.post("/api/contacts", json={
            "first_name": "Bench", "last_name": f"Contact {n}", "phones": [{"number": number, "type": "cell", "primary": True}],
        })
        created.raise_for_status()
        return created.json()["id"], number

    async def carrier_count(self, number: str) -> int:
        listed = await self.carrier.get("/sandbox/messages", params={"to": number})
        return len(listed.json()["messages"])

    async def send_and_wait_for_carrier(self, contact_id: str, number: str) -> float:
        started = time.perf_counter()
        sent = await self.gateway.post("/api/messages", json={"contact_id": contact_id, "body": "Benchmark hello"})
        sent.raise_for_status()
        while await self.carrier_count(number) == 0:
            await asyncio.sleep(POLL_SECONDS)
        return time.perf_counter() - started

    async def notification_count(self) -> int:
        listed = await self.gateway.get("/api/notifications/unread-count")
        return listed.json()["unread"]

    async def reply_and_wait_for_notification(self, number: str) -> float:
        before = await self.notification_count()
        started = time.perf_counter()
        reply = await self.carrier.post("/sandbox/inbound-messages", json={"from": number, "to": self.our_number, "body": "Benchmark reply"})
        reply.raise_for_status()
        while await self.notification_count() <= before:
            await asyncio.sleep(POLL_SECONDS)
        return time.perf_counter() - started

    async def learn_our_number(self) -> None:
        while True:
            mine = await self.gateway.get("/api/numbers/mine")
            if mine.status_code == 200 and mine.json().get("phone_number"):
                self.our_number = mine.json()["phone_number"]
                return
            await asyncio.sleep(0.05)


async def run_slice(stack_env: dict[str, str], round_trips: int) -> dict[str, list[float] | float]:
    bench = Slice(stack_env)
    await bench.sign_up()
    warm_id, warm_number = await bench.new_contact(9999)
    await bench.send_and_wait_for_carrier(warm_id, warm_number)  # buys the user's number
    await bench.learn_our_number()
    await bench.reply_and_wait_for_notification(warm_number)
    contacts = [await bench.new_contact(n) for n in range(round_trips)]
    send_latencies, reply_latencies = [], []
    started = time.perf_counter()
    for contact_id, number in contacts:
        send_latencies.append(await bench.send_and_wait_for_carrier(contact_id, number))
        reply_latencies.append(await bench.reply_and_wait_for_notification(number))
    elapsed = time.perf_counter() - started
    return {"send": send_latencies, "reply": reply_latencies, "round_trips_per_second": round_trips / elapsed}


# The benchmarks text the same few people the same body many times a minute, which a real
# account's limits refuse (and should): they run with the limits out of the way.
BENCH_LIMITS = {
    "MESSAGING_TEXTS_PER_MINUTE": "1000000", "MESSAGING_TEXTS_PER_DAY": "10000000",
    "MESSAGING_DUPLICATE_WINDOW_MINUTES": "0", "MESSAGING_RECIPIENT_MAX_TEXTS": "1000000",
}


def start_stack(state_dir: Path, port_base: int = PORT_BASE) -> dict[str, str]:
    run = uuid.uuid4().hex[:6]
    subprocess.run([sys.executable, str(STACK), "up", "--state-dir", str(state_dir), "--port-base", str(port_base),
                    "--database-suffix", f"_bench_{run}", "--topic-namespace", f"bench-{run}."], check=True,
                   env={**os.environ, **BENCH_LIMITS})
    values = {}
    for line in (state_dir / "stack.env").read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = value.strip("'")
    return values


def report(kafka_rate: float, insert_rate: float, result: dict) -> None:
    print(f"raw kafka produce (6 partitions, acks=all): {kafka_rate:,.0f} msg/s")
    print(f"raw insert_many into the MongoDB-wire server: {insert_rate:,.0f} docs/s")
    for name, label in (("send", "send request -> carrier has the text"), ("reply", "carrier reply -> notification readable")):
        samples = [s * 1000 for s in result[name]]
        print(f"{label}: p50 {statistics.median(samples):.1f} ms, p99 {percentile(samples, 0.99):.1f} ms over {len(samples)}")
    rate = result["round_trips_per_second"]
    # Each round trip is one text out and one reply in: two messages through the system.
    messages_per_second = 2 * rate
    print(f"slice throughput (sequential round trips): {rate:.1f} round trips/s = {messages_per_second:.1f} messages/s")
    print(f"  ratio to raw kafka produce: {messages_per_second / kafka_rate:.5f}")
    print(f"  ratio to raw insert_many:   {messages_per_second / insert_rate:.5f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--round-trips", type=int, default=200)
    options = parser.parse_args()
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    mongo_url = os.environ["MONGO_URL"]
    kafka_rate = await kafka_produce_rate(bootstrap)
    insert_rate = await mongo_insert_rate(mongo_url)
    state_dir = REPO_ROOT / ".run" / "bench-stack"
    state_dir.mkdir(parents=True, exist_ok=True)
    stack_env = start_stack(state_dir)
    try:
        result = await run_slice(stack_env, options.round_trips)
    finally:
        subprocess.run([sys.executable, str(STACK), "down", "--state-dir", str(state_dir)], check=True)
    report(kafka_rate, insert_rate, result)


if __name__ == "__main__":
    asyncio.run(main())
