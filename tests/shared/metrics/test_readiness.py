"""/readyz answers 503, naming what is unreachable, while the store or Kafka does not answer; /healthz stays 200."""

import httpx
from fastapi import FastAPI

from shared.health import install_probes
from shared.health.readiness import Readiness, kafka_check, mongo_check
from shared.kafka import create_broker
from shared.mongo import connect
from tests.support.servers import free_port


class _Runtime:
    def __init__(self, readiness: Readiness) -> None:
        self.readiness = readiness


async def _probe(readiness: Readiness) -> tuple[httpx.Response, httpx.Response]:
    app = FastAPI()
    app.state.runtime = _Runtime(readiness)
    install_probes(app, service="readiness-test")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.get("/readyz"), await client.get("/healthz")


async def test_ready_while_both_answer_and_not_while_the_store_or_kafka_does_not(infra):
    broker = create_broker(infra["KAFKA_BOOTSTRAP_SERVERS"], client_id="readiness-test")
    await broker.connect()
    live_store, dead_store = connect(infra["MONGO_URL"]), connect(f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=500")
    dead_kafka = create_broker(f"127.0.0.1:{free_port()}", client_id="readiness-test")
    try:
        ready, alive = await _probe(Readiness({"kafka": kafka_check(broker), "mongodb": mongo_check(live_store)}))
        assert (ready.status_code, alive.status_code) == (200, 200), ready.text
        assert ready.json()["checks"] == {"kafka": "ok", "mongodb": "ok"}

        no_store, alive = await _probe(Readiness({"kafka": kafka_check(broker), "mongodb": mongo_check(dead_store)}))
        assert (no_store.status_code, alive.status_code) == (503, 200)
        assert no_store.json()["checks"] == {"kafka": "ok", "mongodb": "unreachable"}

        no_kafka, _ = await _probe(Readiness({"kafka": kafka_check(dead_kafka), "mongodb": mongo_check(live_store)}))
        assert no_kafka.status_code == 503 and no_kafka.json()["checks"]["kafka"] == "unreachable"
    finally:
        await broker.stop()
        await live_store.close()
        await dead_store.close()


async def test_an_answer_is_kept_for_a_moment_so_probes_cost_one_look():
    looks = []

    async def counted() -> bool:
        looks.append(1)
        return True

    readiness = Readiness({"store": counted}, keep_seconds=60)
    for _ in range(5):
        assert await readiness.report() == {"store": True}
    assert len(looks) == 1
