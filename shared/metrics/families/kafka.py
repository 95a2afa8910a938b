from prometheus_client import Counter, Gauge, Histogram

KAFKA_CONSUME_DURATION = Histogram(
    "kafka_consume_duration_seconds",
    "Time a subscriber took to handle one delivery from Kafka (one event, or one batch), by topic and consumer group.",
    ["topic", "group"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
KAFKA_CONSUME_ERRORS = Counter(
    "kafka_consume_errors_total",
    "Deliveries whose handler failed (Kafka delivers them again), by topic and consumer group.",
    ["topic", "group"],
)
KAFKA_CONSUMER_LAG = Gauge(
    "kafka_consumer_lag_messages",
    "Events not yet committed by a consumer group of this process, per partition it holds (what the send workers scale on).",
    ["group", "topic", "partition"],
    multiprocess_mode="max",
)
