"""The faults of the drill, each a coroutine that breaks something and returns once it is mended."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tests.faults.processes import DrillInfra, DrillStack

# How long a restarted worker stays dead: about what an orchestrator takes to replace it.
WORKER_RESTART_SECONDS = 5.0


@dataclass(frozen=True)
class Breakables:
    infra: DrillInfra
    stack: DrillStack
    carrier: httpx.AsyncClient
    outage_seconds: float


@dataclass(frozen=True)
class Fault:
    name: str
    title: str
    action: Callable[[Breakables], Awaitable[None]]


async def _in_thread(work, *arguments) -> None:
    await asyncio.to_thread(work, *arguments)


async def kill_a_worker(broken: Breakables) -> None:
    await _in_thread(broken.stack.kill, "messaging-worker-1")
    await asyncio.sleep(WORKER_RESTART_SECONDS)
    await _in_thread(broken.stack.start, "messaging-worker-1")


async def stop_kafka(broken: Breakables) -> None:
    await _in_thread(broken.infra.stop_kafka)
    await asyncio.sleep(broken.outage_seconds)
    await _in_thread(broken.infra.up)


async def stop_the_store(broken: Breakables) -> None:
    await _in_thread(broken.infra.stop_store)
    await asyncio.sleep(broken.outage_seconds)
    await _in_thread(broken.infra.up)


async def a_flaky_carrier(broken: Breakables) -> None:
    """429 to a tenth of the creates and no answer to one in a hundred (the text created all the same)."""
    await broken.carrier.post("/sandbox/faults", json={"http_status": 429, "rate": 0.10})
    await broken.carrier.post("/sandbox/faults", json={"mode": "timeout", "rate": 0.01, "hold_seconds": 60})
    await asyncio.sleep(broken.outage_seconds)
    await broken.carrier.delete("/sandbox/faults")


async def restart_the_gateway(broken: Breakables) -> None:
    await _in_thread(broken.stack.stop, "gateway")
    await _in_thread(broken.stack.start, "gateway")


FAULTS = (
    Fault("worker-killed", "kill -9 a send worker (back after 5 s)", kill_a_worker),
    Fault("kafka-stopped", "stop Kafka, start it again", stop_kafka),
    Fault("store-stopped", "stop the MongoDB-wire server, start it again", stop_the_store),
    Fault("carrier-flaky", "carrier: 429 on 10% of calls, timeout on 1%", a_flaky_carrier),
    Fault("gateway-restarted", "restart the gateway during status callbacks", restart_the_gateway),
)
