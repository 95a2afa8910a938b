"""Logging with correlation ids that follow a request or an event across services."""

import contextvars
import logging
import os
import re
import sys
from uuid import uuid4

from opentelemetry import trace

from shared.tracing import stop_tracing

_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)


# What a correlation id from outside may be: short, and nothing that could forge a log line.
_SAFE_CORRELATION_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def accepted_correlation_id(given: str | None) -> str:
    """The caller's correlation id when it is short and plain, otherwise a new one."""
    if given and _SAFE_CORRELATION_ID.fullmatch(given):
        return given
    return uuid4().hex


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def bind_correlation_id(value: str | None) -> contextvars.Token:
    return _correlation_id.set(value)


class _CorrelationFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _correlation_id.get() or "-"
        span = trace.get_current_span().get_span_context()
        record.trace_id = trace.format_trace_id(span.trace_id) if span.is_valid else "-"
        record.span_id = trace.format_span_id(span.span_id) if span.is_valid else "-"
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """One line per record: time, service, level, correlation id, trace and span ids, logger, message."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_CorrelationFilter())
    handler.setFormatter(
        logging.Formatter(f"%(asctime)s {service} %(levelname)s [%(correlation_id)s trace=%(trace_id)s span=%(span_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "pymongo", "httpx", "uvicorn.access", "twilio.http_client", "twilio.async_http_client"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def exit_at_once(stopped_cleanly: bool = True) -> None:
    """End a process whose work is stopped, committed and flushed, without Python's own teardown:
    freeing every object one at a time (a send worker holds the whole ZIP code table) takes
    seconds of the grace period on a busy machine, and nothing is left for it to do."""
    stop_tracing()
    exit_now(0 if stopped_cleanly else 1)


def exit_now(status: int) -> None:
    """End the process at once with `status`, after writing out what is logged."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
