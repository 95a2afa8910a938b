"""Inbound webhook benchmark: signed status callbacks through the gateway.

    eval "$(deploy/local/infra env)"; .venv/bin/python bench/webhooks.py [--rate 1000] [--seconds 20]

Starts the whole product (as `deploy/local/run` does), sends real texts so that the
callbacks are about real messages, then fires Twilio-signed status callbacks at the
gateway's /webhooks/twilio/messages/status at a fixed rate (open loop: each request
leaves at its scheduled time whether or not earlier ones have been answered, and its
latency counts from that time). The callbacks repeat and shuffle each message's
statuses, as Twilio's retries do. Prints the rate reached, latency p50/p95/p99, the
answers by status code, and the rate as a ratio to raw Kafka produce in the same run.
"""

import argparse
import asyncio
import collections
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from twilio.request_validator import RequestValidator

from foundation import STACK, Slice, kafka_produce_rate, percentile, start_stack

REPO_ROOT = Path(__file__).resolve().parents[1]
STATUS_PATH = "/webhooks/twilio/messages/status"
TEXTS = 100
CONNECTIONS = 256


async def texts_at_the_carrier(bench: Slice, count: int) -> list[dict]:
    """Send `count` texts and return the carrier's records of them."""
    contacts = [await bench.new_contact(n) for n in range(count)]
    for contact_id, _ in contacts:
        sent = await bench.gateway.post("/api/messages", json={"contact_id": contact_id, "body": "Benchmark hello"})
        sent.raise_for_status()
    while True:
        listed = (await bench.carrier.get("/sandbox/messages")).json()["messages"]
        ours = [m for m in listed if m["to"] in {number for _, number in contacts}]
        if len(ours) >= count:
            return ours
        await asyncio.sleep(0.2)


def signed_callbacks(records: list[dict], stack_env: dict[str, str], total: int) -> list[tuple[bytes, str]]:
    """`total` (body, signature) pairs: every message's statuses, repeated and shuffled."""
    url = stack_env["GATEWAY_PUBLIC_URL"].rstrip("/") + STATUS_PATH
    validator = RequestValidator(stack_env["TWILIO_AUTH_TOKEN"])
    prepared = []
    for record in records:
        for status in ("queued", "sent", "delivered"):
            params = {
                "MessageSid": record["sid"], "SmsSid": record["sid"], "AccountSid": stack_env["TWILIO_ACCOUNT_SID"],
                "From": record["from"], "To": record["to"], "MessageStatus": status, "SmsStatus": status,
                "ApiVersion": "2010-04-01",
            }
            prepared.append((urlencode(params).encode(), validator.compute_signature(url, params)))
    callbacks = [prepared[n % len(prepared)] for n in range(total)]
    random.shuffle(callbacks)
    return callbacks


async def fire(url: str, callbacks: list[tuple[bytes, str]], rate: float) -> tuple[list[float], collections.Counter, float]:
    latencies: list[float] = []
    answers: collections.Counter = collections.Counter()
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:

        async def one(body: bytes, signature: str, due: float) -> None:
            headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
            try:
                async with session.post(url, data=body, headers=headers) as answer:
                    await answer.read()
                    answers[answer.status] += 1
            except (aiohttp.ClientError, TimeoutError) as error:
                answers[type(error).__name__] += 1
                return
            latencies.append(time.perf_counter() - due)

        started = time.perf_counter()
        in_flight = []
        for n, (body, signature) in enumerate(callbacks):
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            in_flight.append(asyncio.create_task(one(body, signature, due)))
        await asyncio.gather(*in_flight)
        elapsed = time.perf_counter() - started
    return latencies, answers, len(callbacks) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1000.0, help="callbacks per second to offer")
    parser.add_argument("--seconds", type=float, default=20.0)
    options = parser.parse_args()
    kafka_rate = await kafka_produce_rate(os.environ["KAFKA_BOOTSTRAP_SERVERS"])
    state_dir = REPO_ROOT / ".run" / "bench-webhooks"
    state_dir.mkdir(parents=True, exist_ok=True)
    stack_env = start_stack(state_dir, port_base=19200)
    try:
        bench = Slice(stack_env)
        await bench.sign_up()
        records = await texts_at_the_carrier(bench, TEXTS)
        callbacks = signed_callbacks(records, stack_env, int(options.rate * options.seconds))
        url = stack_env["GATEWAY_PUBLIC_URL"].rstrip("/") + STATUS_PATH
        await fire(url, callbacks[:200], rate=100)  # warm the connections and the services
        latencies, answers, reached = await fire(url, callbacks, options.rate)
    finally:
        subprocess.run([sys.executable, str(STACK), "down", "--state-dir", str(state_dir)], check=True)
    samples = [latency * 1000 for latency in latencies]
    print(f"raw kafka produce (6 partitions, acks=all): {kafka_rate:,.0f} msg/s")
    print(f"signed status callbacks offered: {len(callbacks):,} at {options.rate:,.0f}/s; reached {reached:,.0f}/s")
    print(f"  answers: {dict(answers)}")
    if samples:
        print(f"  latency from scheduled send: p50 {statistics.median(samples):.1f} ms, "
              f"p95 {percentile(samples, 0.95):.1f} ms, p99 {percentile(samples, 0.99):.1f} ms")
    print(f"  ratio of callbacks/s to raw kafka produce: {reached / kafka_rate:.4f}")


if __name__ == "__main__":
    asyncio.run(main())
