"""OpenTelemetry traces that follow a text across HTTP, Kafka, the outbox and the carrier.

Off unless OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set; then each process exports its spans
over OTLP (HTTP/protobuf) from a bounded background queue, so a collector that is down
never slows or fails a request.
"""

from shared.tracing.batches import consumed_batch, within_item
from shared.tracing.carried import TRACE_FIELD, current_trace_context, link_current_span, resumed, without_trace_context
from shared.tracing.setup import kafka_middlewares, start_tracing, stop_tracing, tracer

__all__ = [
    "TRACE_FIELD",
    "consumed_batch",
    "current_trace_context",
    "kafka_middlewares",
    "link_current_span",
    "resumed",
    "start_tracing",
    "stop_tracing",
    "tracer",
    "within_item",
    "without_trace_context",
]
