"""Texts the carrier took but never reported final: after a while, ask the carrier where they stand."""

import logging
from datetime import timedelta

from services.messaging.adapters.carrier import Carrier, CarrierError
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.domain import lifecycle
from services.messaging.domain.commands import RecordStatusCallback
from services.messaging.service_layer.webhooks import apply_carrier_status
from shared.periodic import Periodic

log = logging.getLogger(__name__)


async def reconcile_stale_messages(store: MessagingStore, carrier: Carrier, *, older_than: timedelta) -> int:
    """Fetch from the carrier each text left queued or sent for longer than `older_than`; returns how many moved."""
    moved = 0
    for stale in await store.states_older_than(["queued", "sent"], now() - older_than):
        states = await store.states_of(stale["message_id"])
        current = lifecycle.current(states)
        sid = next((state.get("carrier_sid") for state in states if state.get("carrier_sid")), None)
        if current["_id"] == stale["_id"] and sid:
            try:
                found = await carrier.fetch(sid)
            except CarrierError as error:
                log.warning("cannot reconcile message %s (%s): %s", stale["message_id"], sid, error)
                continue
            command = RecordStatusCallback(carrier_sid=sid, carrier_status=found.status or "", error_code=found.error_code)
            moved += await apply_carrier_status(stale["message_id"], states, command, store=store) == "applied"
        await store.mark_reconciled(stale["_id"])
    return moved


def reconciler(store: MessagingStore, carrier_of, *, older_than: timedelta, every: float, on_change) -> Periodic:
    """Every `every` seconds (from one interval after start), reconciles stale texts with the
    carrier `carrier_of()` gives, once there is one; calls `on_change` when some moved."""

    async def reconcile() -> None:
        carrier = carrier_of()
        if carrier is not None and await reconcile_stale_messages(store, carrier, older_than=older_than):
            on_change()

    return Periodic(reconcile, every=every, what="reconciling stale messages", wait_first=True)
