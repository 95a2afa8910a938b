"""Timing each call to the carrier's REST API, with its outcome: ok, or the kind of error."""

import contextlib
import time
from collections.abc import Iterator

from shared.metrics.families.carrier import CARRIER_CALL_DURATION, CARRIER_RETRIES


@contextlib.contextmanager
def timed_carrier_call(operation: str) -> Iterator[None]:
    started = time.perf_counter()
    outcome = "ok"
    try:
        yield
    except BaseException as error:
        outcome = _outcome_of(error)
        raise
    finally:
        CARRIER_CALL_DURATION.labels(operation, outcome).observe(time.perf_counter() - started)


def _outcome_of(error: BaseException) -> str:
    """The error's class (`CarrierRejected`, `CarrierUnavailable`, ...) with its HTTP status when it has one."""
    status = getattr(error, "http_status", None)
    return f"{type(error).__name__}:{status}" if status else type(error).__name__


def count_retry(operation: str) -> None:
    CARRIER_RETRIES.labels(operation).inc()
