"""Kafka helpers: the broker every service uses and the topics it expects."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

from shared import topics
from shared.events import Envelope
from shared.tracing import kafka_middlewares, without_trace_context


class ProductBroker(KafkaBroker):
    """A Kafka broker whose topics and consumer groups may live under a namespace
    (e.g. "staging."), so several environments or test runs can share one cluster."""

    def __init__(self, *args, topic_namespace: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topic_namespace = topic_namespace

    def topic(self, name: str) -> str:
        return self.topic_namespace + name


def create_broker(
    bootstrap_servers: str, client_id: str, topic_namespace: str = "", graceful_timeout: float = 15.0
) -> ProductBroker:
    """Durable publishing: every write acknowledged by the broker, idempotent producer. On stop,
    handlers at work get `graceful_timeout` seconds to finish (and commit) before they are cancelled."""
    return ProductBroker(
        bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        topic_namespace=topic_namespace,
        graceful_timeout=graceful_timeout,
        middlewares=kafka_middlewares(),
    )


async def ensure_topics(bootstrap_servers: str, topic_namespace: str = "", names: tuple[str, ...] = topics.ALL_TOPICS) -> None:
    """Create the product's topics with their partition count if they do not exist yet."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [topic_namespace + name for name in names]
        missing = [NewTopic(name, topics.PARTITIONS, 1) for name in wanted if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()


def declare_publishers(broker: ProductBroker, event_models) -> dict:
    """One named publisher per event type a service emits; they also document the
    service's AsyncAPI file. Returns a publish function for the outbox relay."""
    publishers = {
        model.event_type: broker.publisher(
            broker.topic(model.event_type),
            schema=Envelope[model],
            title=model.event_type,
            description=(model.__doc__ or "").strip() or None,
        )
        for model in event_models
    }

    async def publish(event: dict) -> None:
        # The stored trace context travels in the Kafka headers (the telemetry middleware's), not the body.
        event, _ = without_trace_context(event)
        await publishers[event["type"]].publish(
            event,
            key=event["subject"].encode(),
            headers={"event-type": event["type"]},
            correlation_id=event["correlation_id"],
        )

    return publish
