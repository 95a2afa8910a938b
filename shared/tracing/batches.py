"""A batch consumed at once (the send worker's), traced one message at a time.

FastStream gives a batch one span of its own, linked to the messages' traces. Each message
here also gets a span in its own trace, the parent of that message's carrier call, so a
text stays one trace from the request that wrote it to the carrier."""

import contextlib
import contextvars
from collections.abc import Iterator

from opentelemetry import context, propagate, trace
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

_item_contexts: contextvars.ContextVar[dict[str, context.Context]] = contextvars.ContextVar("batch_item_contexts", default={})


@contextlib.contextmanager
def consumed_batch(name: str, items: list[tuple[str, dict[str, str]]]) -> Iterator[None]:
    """One span per (key, Kafka headers) item, child of the span that published it."""
    batch = trace.get_current_span().get_span_context()
    links = [Link(batch)] if batch.is_valid else []
    tracer = trace.get_tracer("contacts-crm")
    spans = {key: tracer.start_span(name, context=propagate.extract(headers), kind=SpanKind.CONSUMER, links=links) for key, headers in items}
    token = _item_contexts.set({key: trace.set_span_in_context(span) for key, span in spans.items()})
    try:
        yield
    except BaseException as error:
        for span in spans.values():
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        raise
    finally:
        _item_contexts.reset(token)
        for span in spans.values():
            span.end()


@contextlib.contextmanager
def within_item(key: str) -> Iterator[None]:
    """Make the span of batch item `key` current (no change outside a traced batch)."""
    item = _item_contexts.get().get(key)
    if item is None:
        yield
        return
    token = context.attach(item)
    try:
        yield
    finally:
        context.detach(token)
