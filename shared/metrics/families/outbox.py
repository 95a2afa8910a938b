from prometheus_client import Counter, Gauge

OUTBOX_PENDING_DOCUMENTS = Gauge(
    "outbox_pending_documents",
    "Documents of the service whose outbox holds events not yet published to Kafka.",
    ["service"],
    multiprocess_mode="max",
)
OUTBOX_OLDEST_PENDING_AGE = Gauge(
    "outbox_oldest_pending_event_age_seconds",
    "Age of the oldest event written but not yet published to Kafka (0 when none waits).",
    ["service"],
    multiprocess_mode="max",
)
OUTBOX_EVENTS_PUBLISHED = Counter(
    "outbox_events_published_total",
    "Events the service's outbox relay published to Kafka, by event type.",
    ["service", "event_type"],
)
