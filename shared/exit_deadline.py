"""A last resort for a process told to stop: if its orderly stop is still going when its grace
period is nearly spent, it ends itself rather than be killed mid-write by the orchestrator.

Nothing is lost either way: events are committed only once handled and texts are claimed in the
store, so what a process drops here is taken up again by the next one, as after a crash."""

import logging
import threading

from shared.observability import exit_now

log = logging.getLogger(__name__)

# The share of the grace period an orderly stop may take; the rest is the margin for the
# orchestrator's own timing and for the process to be seen gone.
DEADLINE_SHARE = 0.8

_armed: list[threading.Timer] = []


def arm_exit_deadline(grace_seconds: float) -> None:
    """From now, end the process once DEADLINE_SHARE of `grace_seconds` has passed (once per process).

    The timer runs on a thread of its own, so it fires even while the event loop is stuck."""
    if _armed:
        return
    seconds = grace_seconds * DEADLINE_SHARE
    timer = threading.Timer(seconds, _exit_now, args=(seconds,))
    timer.name = "exit deadline"
    timer.daemon = True
    _armed.append(timer)
    timer.start()


def _exit_now(seconds: float) -> None:
    log.warning("still stopping after %.1fs: exiting now; unfinished work is taken up by the next process", seconds)
    exit_now(1)  # without flushing spans: the grace period is nearly spent
