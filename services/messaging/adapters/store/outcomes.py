"""Counting the texts that reached an outcome, at the one place each state is recorded once."""

from shared.metrics.families.texting import TEXTS_DELIVERED, TEXTS_FAILED, TEXTS_SKIPPED

FAILED_STATUSES = ("failed", "undelivered")


def count_outcome(state: dict) -> None:
    """A newly recorded state document: delivered, failed (by error code) or skipped (by reason)."""
    status = state.get("status")
    if status == "delivered":
        TEXTS_DELIVERED.inc()
    elif status in FAILED_STATUSES:
        TEXTS_FAILED.labels(error_code=str(state.get("error_code") or "none")).inc()
    elif status == "skipped":
        TEXTS_SKIPPED.labels(reason=str(state.get("skip_reason") or "unknown")).inc()
