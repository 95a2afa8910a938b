"""Timing each delivery a subscriber handles, and counting the ones that fail."""

import contextlib
import time
from collections.abc import Iterator

from shared.metrics.families.kafka import KAFKA_CONSUME_DURATION, KAFKA_CONSUME_ERRORS


@contextlib.contextmanager
def consuming(topic: str, group: str) -> Iterator[None]:
    """Around one handler call: `topic` and `group` as the product names them (no namespace)."""
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        KAFKA_CONSUME_ERRORS.labels(topic, group).inc()
        raise
    finally:
        KAFKA_CONSUME_DURATION.labels(topic, group).observe(time.perf_counter() - started)
