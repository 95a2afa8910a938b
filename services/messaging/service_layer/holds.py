"""Holds come due: a message kept back (quiet hours where the recipient is, its number's rate)
is requested again once its time has come. Durable: the hold is a state with its release
time, found by whichever process runs the releaser, however long it was down."""

import asyncio
import contextlib
import logging
from datetime import UTC, timedelta

from pymongo.errors import _OperationCancelled

from services.messaging.adapters.repository import MessagingStore, now
from services.messaging.domain import lifecycle
from services.messaging.service_layer.clock import Clock
from services.messaging.service_layer.sending import send_requested_event

log = logging.getLogger(__name__)

ORPHAN_AFTER = timedelta(minutes=1)


async def release_due_holds(store: MessagingStore, clock: Clock) -> int:
    """Request again every held message whose time has come; returns how many were released."""
    released = 0
    for hold in await store.holds_due(clock()):
        states = await store.states_of(hold["message_id"])
        current = lifecycle.current(states)
        if current is None or current["_id"] != hold["_id"]:
            # Released already or moved on; or the hold was noted and its state never recorded (a crash:
            # Kafka redelivers the request), unless that state is being recorded this very moment.
            if any(state["_id"] == hold["_id"] for state in states) or now() - hold["at"].replace(tzinfo=UTC) > ORPHAN_AFTER:
                await store.drop_hold(hold["_id"])
            continue
        message = await store.message_by_id(hold["message_id"])
        round_ = int(hold["key"].split(":")[1])
        moved = await store.add_state(message, lifecycle.released(round_), events=[send_requested_event(message)])
        released += moved is not None
        await store.drop_hold(hold["_id"])
    return released


class HoldsReleaser:
    """Runs `release_due_holds` every `every` seconds, and kicks the relay when it released some."""

    def __init__(self, store: MessagingStore, clock: Clock, *, every: float, on_release) -> None:
        self._store, self._clock, self._every, self._on_release = store, clock, every, on_release
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="messaging-holds-releaser")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, _OperationCancelled):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                if await release_due_holds(self._store, self._clock):
                    self._on_release()
            except asyncio.CancelledError:
                raise
            except Exception:
                if asyncio.current_task().cancelling():
                    raise asyncio.CancelledError from None  # a cancel the driver turned into its own error
                log.exception("releasing held messages failed; retrying")
            await asyncio.sleep(self._every)
