"""Holds come due: a message kept back (quiet hours where the recipient is, its number's rate)
is requested again once its time has come. Durable: the hold is a state with its release
time, found by whichever process runs the releaser, however long it was down."""

import logging
from datetime import UTC, timedelta

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.domain import lifecycle
from services.messaging.service_layer.clock import Clock
from services.messaging.service_layer.sending import send_requested_event
from shared.periodic import Periodic

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


def holds_releaser(store: MessagingStore, clock: Clock, *, every: float, on_release) -> Periodic:
    """Runs `release_due_holds` every `every` seconds, and kicks the relay when it released some."""

    async def release() -> None:
        if await release_due_holds(store, clock):
            on_release()

    return Periodic(release, every=every, what="releasing held messages")
