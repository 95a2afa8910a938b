"""Inbound webhook benchmark: signed status callbacks through the gateway.

    eval "$(deploy/local/infra env)"; .venv/bin/python bench/webhooks.py [--rate 1000] [--seconds 20] [--texts-per-second 0]

Starts the whole product (as `deploy/local/run` does), sends real texts so that the
callbacks are about real messages, then fires Twilio-signed status callbacks at the
gateway's /webhooks/twilio/messages/status at a fixed rate (open loop: each request
leaves at its scheduled time whether or not earlier ones have been answered, and its
latency counts from that time). The callbacks repeat and shuffle each message's
statuses, as Twilio's retries do. Prints the rate reached, latency p50/p95/p99, the
answers by status code, the rate as a ratio to raw Kafka produce in the same run, and
the CPU this process took from the machine the gateway runs on.
With --texts-per-second N, texts go out through the gateway meanwhile, so the rest of
the product (proxy, messaging, send workers, carrier) is at work during the measurement.
"""

import argparse
import asyncio
import collections
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import uvloop
from twilio.request_validator import RequestValidator

from foundation import STACK, Slice, kafka_produce_rate, percentile, start_stack

REPO_ROOT = Path(__file__).resolve().parents[1]
STATUS_PATH = "/webhooks/twilio/messages/status"
TEXTS = 100
CONNECTIONS = 256
SETUP_CONCURRENCY = 10
TEXTS_IN_FLIGHT = 20


async def texts_at_the_carrier(bench: Slice, count: int) -> tuple[list[str], list[dict]]:
    """Send `count` texts; return the contacts' ids and the carrier's records of the texts."""
    contacts = []
    for first in range(0, count, SETUP_CONCURRENCY):
        contacts += await asyncio.gather(*(bench.new_contact(n) for n in range(first, min(count, first + SETUP_CONCURRENCY))))

    async def text(contact_id: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            sent = await bench.gateway.post("/api/messages", json={"contact_id": contact_id, "body": "Benchmark hello"})
            if sent.status_code != 404 or time.monotonic() > deadline:
                sent.raise_for_status()
                return
            await asyncio.sleep(0.2)  # the messaging service has not learned of the new contact yet

    for first in range(0, count, SETUP_CONCURRENCY):
        await asyncio.gather(*(text(contact_id) for contact_id, _ in contacts[first:first + SETUP_CONCURRENCY]))
    while True:
        listed = (await bench.carrier.get("/sandbox/messages")).json()["messages"]
        ours = [m for m in listed if m["to"] in {number for _, number in contacts}]
        if len(ours) >= count:
            return [contact_id for contact_id, _ in contacts], ours
        await asyncio.sleep(0.2)


async def texts_meanwhile(bench: Slice, contact_ids: list[str], per_second: float, stop: asyncio.Event) -> collections.Counter:
    """The rest of the product at work while the callbacks arrive: texts sent through the gateway
    (proxy, messaging, send workers, carrier, and the carrier's own status callbacks)."""
    answers: collections.Counter = collections.Counter()
    in_flight: set[asyncio.Task] = set()

    async def one(contact_id: str) -> None:
        try:
            sent = await bench.gateway.post("/api/messages", json={"contact_id": contact_id, "body": "Benchmark meanwhile"})
            answers[sent.status_code] += 1
        except httpx.HTTPError as error:
            answers[type(error).__name__] += 1

    started, beats = time.perf_counter(), 0
    while not stop.is_set():
        if len(in_flight) < TEXTS_IN_FLIGHT:
            task = asyncio.create_task(one(contact_ids[beats % len(contact_ids)]))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        else:  # the product is behind: a backlog here would only burn this process's CPU
            answers["not sent, product behind"] += 1
        beats += 1
        await asyncio.sleep(max(0.0, started + beats / per_second - time.perf_counter()))
    await asyncio.gather(*in_flight)
    return answers


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


class _KeepAlive(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with at most one request in flight. Requests are
    pre-built bytes and answers are parsed only as far as their status and length, so the
    generator spends little of the machine's CPU that the gateway needs."""

    def __init__(self, fleet: "_Fleet") -> None:
        self.fleet = fleet
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.due = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.fleet.ready(self)

    def send(self, request: bytes, due: float) -> None:
        self.due = due
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        head_end = self.buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return
        head = self.buffer[:head_end]
        status = int(head[9:12])
        length = 0
        if status not in (204, 304):
            found = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            length = int(found.group(1)) if found else 0
        if len(self.buffer) < head_end + 4 + length:
            return
        self.buffer = self.buffer[head_end + 4 + length:]
        self.fleet.answered(self, status)

    def connection_lost(self, error: Exception | None) -> None:
        self.fleet.lost(self)


class _Fleet:
    """Open-loop firing over a pool of keep-alive connections: each request is due at its
    scheduled time; one that finds no free connection waits in line, and that wait counts."""

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host, self.port, self.size = host, port, size
        self.idle: collections.deque[_KeepAlive] = collections.deque()
        self.busy: set[_KeepAlive] = set()
        self.opening = 0
        self.waiting: collections.deque[tuple[bytes, float]] = collections.deque()
        self.latencies: list[float] = []
        self.answers: collections.Counter = collections.Counter()
        self.outstanding = 0
        self.done = asyncio.Event()

    def _open(self) -> None:
        self.opening += 1
        loop = asyncio.get_running_loop()
        task = loop.create_task(loop.create_connection(lambda: _KeepAlive(self), self.host, self.port))
        task.add_done_callback(self._opened)

    def _opened(self, task: asyncio.Task) -> None:
        self.opening -= 1
        if task.exception() is not None:
            self.answers[type(task.exception()).__name__] += 1
            if self.waiting:
                self._fail_one()

    def _fail_one(self) -> None:
        self.waiting.popleft()
        self._finished()

    def ready(self, connection: _KeepAlive) -> None:
        if self.waiting:
            self._send_on(connection, *self.waiting.popleft())
        else:
            self.idle.append(connection)

    def _send_on(self, connection: _KeepAlive, request: bytes, due: float) -> None:
        self.busy.add(connection)
        connection.send(request, due)

    def fire(self, request: bytes, due: float) -> None:
        self.outstanding += 1
        self.done.clear()
        if self.idle:
            self._send_on(self.idle.popleft(), request, due)
            return
        self.waiting.append((request, due))
        if len(self.busy) + self.opening < self.size:
            self._open()

    def answered(self, connection: _KeepAlive, status: int) -> None:
        self.latencies.append(time.perf_counter() - connection.due)
        self.answers[status] += 1
        self.busy.discard(connection)
        self._finished()
        self.ready(connection)

    def lost(self, connection: _KeepAlive) -> None:
        if connection in self.busy:
            self.busy.discard(connection)
            self.answers["connection lost"] += 1
            self._finished()
        elif connection in self.idle:
            self.idle.remove(connection)

    def _finished(self) -> None:
        self.outstanding -= 1
        if self.outstanding == 0:
            self.done.set()

    def close(self) -> None:
        for connection in [*self.idle, *self.busy]:
            connection.transport.close()


def raw_requests(url: str, callbacks: list[tuple[bytes, str]]) -> list[bytes]:
    """Each callback as the exact bytes Twilio would send (HTTP/1.1, keep-alive)."""
    address = urlsplit(url)
    return [
        (f"POST {address.path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\n"
         f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        for body, signature in callbacks
    ]


async def fire(url: str, callbacks: list[tuple[bytes, str]], rate: float) -> tuple[list[float], collections.Counter, float]:
    address = urlsplit(url)
    requests = raw_requests(url, callbacks)
    fleet = _Fleet(address.hostname, address.port, CONNECTIONS)
    started = time.perf_counter()
    sent = 0
    while sent < len(requests):
        now = time.perf_counter()
        while sent < len(requests) and started + sent / rate <= now:
            fleet.fire(requests[sent], started + sent / rate)
            sent += 1
        await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
    try:
        await asyncio.wait_for(fleet.done.wait(), timeout=30)
    except TimeoutError:
        fleet.answers["no answer within 30 s"] += fleet.outstanding
    elapsed = time.perf_counter() - started
    fleet.close()
    return fleet.latencies, fleet.answers, len(fleet.latencies) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=1000.0, help="callbacks per second to offer")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--texts-per-second", type=float, default=0.0,
                        help="texts sent through the gateway meanwhile, so the rest of the product works too")
    options = parser.parse_args()
    kafka_rate = await kafka_produce_rate(os.environ["KAFKA_BOOTSTRAP_SERVERS"])
    state_dir = REPO_ROOT / ".run" / "bench-webhooks"
    state_dir.mkdir(parents=True, exist_ok=True)
    stack_env = start_stack(state_dir, port_base=19200)
    try:
        bench = Slice(stack_env)
        await bench.sign_up()
        contact_ids, records = await texts_at_the_carrier(bench, TEXTS)
        callbacks = signed_callbacks(records, stack_env, int(options.rate * options.seconds))
        url = stack_env["GATEWAY_PUBLIC_URL"].rstrip("/") + STATUS_PATH
        await fire(url, callbacks[:200], rate=100)  # warm the connections and the services
        stop = asyncio.Event()
        meanwhile = None
        if options.texts_per_second > 0:
            meanwhile = asyncio.create_task(texts_meanwhile(bench, contact_ids, options.texts_per_second, stop))
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        latencies, answers, reached = await fire(url, callbacks, options.rate)
        generator_cpu = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)
        stop.set()
        texts_sent = await meanwhile if meanwhile else None
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
    print(f"  this benchmark's own process used {generator_cpu:.0%} of one core meanwhile")
    if texts_sent is not None:
        print(f"  texts sent through the gateway meanwhile at {options.texts_per_second:g}/s: {dict(texts_sent)}")


if __name__ == "__main__":
    uvloop.run(main())
