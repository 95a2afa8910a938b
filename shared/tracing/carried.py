"""Trace context stored with data (an outbox event, a message), to be taken up later."""

import contextlib
from collections.abc import Iterator
from typing import Any

from opentelemetry import propagate, trace

# The key under which a stored event or message keeps the W3C trace context it was written in.
TRACE_FIELD = "trace"


def current_trace_context() -> dict[str, str]:
    """The W3C trace context (traceparent, tracestate) of the current span; empty when none."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def without_trace_context(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The document without its stored trace context, and that context."""
    if TRACE_FIELD not in document:
        return document, None
    rest = dict(document)
    return rest, rest.pop(TRACE_FIELD)


@contextlib.contextmanager
def resumed(carried: dict[str, str] | None, name: str, **attributes: Any) -> Iterator[trace.Span]:
    """A span named `name` in the trace `carried` was stored in (in the current one when None)."""
    parent = propagate.extract(carried) if carried else None
    with trace.get_tracer("contacts-crm").start_as_current_span(name, context=parent, attributes=attributes) as span:
        yield span


def link_current_span(carried: dict[str, str] | None) -> None:
    """Link the current span to the trace `carried` was stored in (a callback to its message)."""
    if not carried:
        return
    linked = trace.get_current_span(propagate.extract(carried)).get_span_context()
    span = trace.get_current_span()
    if linked.is_valid and span.is_recording():
        span.add_link(linked)
