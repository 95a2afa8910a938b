"""What every service process holds while it runs: store, broker, outbox relay."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.health.readiness import Readiness, kafka_check, mongo_check
from shared.kafka import ProductBroker, create_broker, declare_publishers, ensure_topics
from shared.metrics.samplers import Samplers
from shared.mongo import CollectionIndexes, connect, ensure_indexes
from shared.outbox import OutboxRelay, outbox_indexes
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

# How a process spends its grace period (SHUTDOWN_GRACE_SECONDS) once told to stop: the handlers at
# work finish within the first half, the outbox is flushed within the next quarter, and the last
# quarter is left for closing connections and sending the last spans.
HANDLERS_SHARE = 0.5
FLUSH_SHARE = 0.25


@dataclass
class Runtime:
    """Built once at start-up by a service's bootstrap; never at import time."""

    settings: ServiceSettings
    service: str
    mongo: AsyncMongoClient
    db: AsyncDatabase
    broker: ProductBroker
    relay: OutboxRelay
    # Publishes an event document straight to Kafka, for events that no database change records.
    publish: Callable[[dict], Awaitable[None]]
    indexes: list[CollectionIndexes] = field(default_factory=list)
    samplers: Samplers | None = None

    @property
    def readiness(self) -> Readiness:
        """Whether Kafka and the store answer (what /readyz reports), checked once per moment."""
        if not hasattr(self, "_readiness"):
            self._readiness = Readiness({"kafka": kafka_check(self.broker), "mongodb": mongo_check(self.mongo)})
        return self._readiness

    async def start(self, *, consume: bool = True) -> None:
        await ensure_indexes(self.db, self.indexes)
        await ensure_topics(self.settings.kafka_bootstrap_servers, self.settings.kafka_topic_namespace)
        if consume:
            await self.broker.start()
        else:
            await self.broker.connect()
        await self.relay.start()
        if self.samplers:
            await self.samplers.start()
        log.info("%s started", self.service)

    async def stop(self) -> None:
        """Stop taking events on every subscriber at once, let the handlers at work finish (within
        half the grace period) and commit, publish what they wrote, then close the connections."""
        await self._stop_consuming()
        if self.samplers:
            await self.samplers.stop()
        await self.relay.stop(flush_seconds=self.settings.shutdown_grace_seconds * FLUSH_SHARE)
        await self.broker.stop()
        await self.mongo.close()

    async def _stop_consuming(self) -> None:
        # Every subscriber stops fetching first and its handlers finish while all its consumers are
        # still in their groups: one leaving would rebalance the others' partitions away from under
        # their handlers, whose commits (or seeks back, after a failure) would then fail.
        subscribers = list(self.broker.subscribers)
        for subscriber in subscribers:
            subscriber.running = False  # FastStream's own switch: no further batch is taken
        await asyncio.gather(*(_handlers_done(subscriber, self.settings.shutdown_grace_seconds * HANDLERS_SHARE)
                               for subscriber in subscribers))
        for subscriber in subscribers:
            await subscriber.stop()


async def _handlers_done(subscriber, timeout: float) -> None:
    """Wait (at most `timeout` seconds) until the subscriber's handlers at work have finished."""
    wait_release = getattr(subscriber.lock, "wait_release", None)
    if wait_release is not None:
        await wait_release(timeout)


def build_runtime(
    settings: ServiceSettings,
    *,
    service: str,
    database: str,
    published_events: list,
    outbox_collections: list[str],
    indexes: list[CollectionIndexes],
) -> Runtime:
    """Connect (lazily) to MongoDB and Kafka and wire the outbox relay for `outbox_collections`."""
    mongo = connect(settings.mongo_url)
    db = mongo[database]
    broker = create_broker(
        settings.kafka_bootstrap_servers, client_id=service, topic_namespace=settings.kafka_topic_namespace,
        graceful_timeout=settings.shutdown_grace_seconds * HANDLERS_SHARE,
    )
    publish = declare_publishers(broker, published_events)
    relay = OutboxRelay(db, outbox_collections, publish, service=service)
    all_indexes = [*indexes, *(outbox_indexes(name) for name in outbox_collections)]
    samplers = Samplers.of(broker, db, outbox_collections, service=service, every=settings.metrics_sample_seconds)
    return Runtime(settings, service, mongo, db, broker, relay, publish, all_indexes, samplers)
