"""Texts the carrier took but never reported final: after a while, ask the carrier where they stand."""

import asyncio
import contextlib
import logging
from datetime import timedelta

from pymongo.errors import _OperationCancelled

from services.messaging.adapters.carrier import Carrier, CarrierError
from services.messaging.adapters.repository import MessagingStore, now
from services.messaging.domain import lifecycle
from services.messaging.domain.commands import RecordStatusCallback
from services.messaging.service_layer.webhooks import apply_carrier_status

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


class Reconciler:
    def __init__(self, store: MessagingStore, carrier_of, *, older_than: timedelta, every: float, on_change) -> None:
        self._store, self._carrier_of, self._older_than = store, carrier_of, older_than
        self._every, self._on_change = every, on_change
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="messaging-reconciler")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, _OperationCancelled):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            carrier = self._carrier_of()
            if carrier is None:
                continue
            try:
                if await reconcile_stale_messages(self._store, carrier, older_than=self._older_than):
                    self._on_change()
            except asyncio.CancelledError:
                raise
            except Exception:
                if asyncio.current_task().cancelling():
                    raise asyncio.CancelledError from None  # a cancel the driver turned into its own error
                log.exception("reconciling stale messages failed; retrying")
