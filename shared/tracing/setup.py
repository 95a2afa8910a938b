"""Start-up: the tracer provider, its OTLP exporter and the libraries it instruments."""

import atexit
import logging
import threading

from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

log = logging.getLogger(__name__)

# Spans wait here for the exporter; when the collector is away the queue fills and new spans
# are dropped rather than held, so memory stays bounded and requests never wait on export.
MAX_QUEUED_SPANS = 2048
EXPORT_TIMEOUT_SECONDS = 2.0
# On exit, queued spans are sent for at most this long; then the rest is dropped, so a process
# whose collector is away still stops well inside its grace period (SHUTDOWN_GRACE_SECONDS).
FLUSH_ON_EXIT_SECONDS = 2.0
# Health probes are polled constantly and say nothing about a text's path.
UNTRACED_URLS = "/healthz,/readyz,/metrics"
# The provider and exporter start_tracing set up, until they are stopped.
_exporting: list[tuple[TracerProvider, OTLPSpanExporter]] = []


def tracer() -> trace.Tracer:
    return trace.get_tracer("contacts-crm")


def start_tracing(service: str, endpoint: str | None) -> TracerProvider | None:
    """Export this process's spans to `endpoint` (an OTLP/HTTP traces URL); nothing when None.

    Call before the process builds its apps and clients: FastAPI apps, httpx and aiohttp
    clients and PyMongo clients made afterwards are traced."""
    if not endpoint:
        return None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}), shutdown_on_exit=False)
    exporter = OTLPSpanExporter(endpoint=endpoint, timeout=EXPORT_TIMEOUT_SECONDS)
    provider.add_span_processor(BatchSpanProcessor(exporter, max_queue_size=MAX_QUEUED_SPANS))
    trace.set_tracer_provider(provider)
    atexit.register(stop_tracing)
    _exporting.append((provider, exporter))
    FastAPIInstrumentor().instrument(tracer_provider=provider, excluded_urls=UNTRACED_URLS)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    AioHttpClientInstrumentor().instrument(tracer_provider=provider)  # the twilio SDK's async client
    PymongoInstrumentor().instrument(tracer_provider=provider)
    log.info("exporting traces to %s", endpoint)
    return provider


def stop_tracing() -> None:
    """Send the queued spans (for at most FLUSH_ON_EXIT_SECONDS) and stop exporting; runs at exit."""
    while _exporting:
        _stop_exporting(*_exporting.pop())


def _stop_exporting(provider: TracerProvider, exporter: OTLPSpanExporter) -> None:
    # The SDK's flush sends the whole queue, one export timeout per batch, so it runs aside and
    # is given up on after FLUSH_ON_EXIT_SECONDS; a shut exporter then drops what is left at once.
    flushing = threading.Thread(target=provider.force_flush, name="flush spans on exit", daemon=True)
    flushing.start()
    flushing.join(FLUSH_ON_EXIT_SECONDS)
    exporter.shutdown()
    provider.shutdown()


def kafka_middlewares() -> tuple:
    """FastStream's own telemetry: a span per publish and per consume, the trace context in
    the Kafka headers. Spans go to whichever provider is set (none: they are dropped)."""
    return (KafkaTelemetryMiddleware(include_messages_counters=False),)
