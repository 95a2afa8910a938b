"""Two workers reconciling the same text left mid-send: the carrier gets it once.

Both found the text `sending` under a lease of a worker that died and waited it out. One took it
over and is calling the carrier (slowly: its text is not there yet); the other looks again only
then. It must see the takeover and wait out that lease in turn, not take the text over a second
time, look at the carrier, find nothing yet and send it again."""

import asyncio
from dataclasses import replace
from datetime import timedelta

from services.messaging.adapters.carrier import Carrier, CarrierMessage
from services.messaging.service_layer.delivery import _reconcile
from tests.messaging.test_sender_numbers import _crashed_mid_call
from tests.support.waiting import eventually

CARRIER_LATENCY = 1.0  # seconds the first reconciler's carrier call takes


class SlowToSend:
    """The real carrier, whose Messages create takes CARRIER_LATENCY before it reaches the carrier."""

    def __init__(self, carrier: Carrier) -> None:
        self._carrier = carrier

    async def send(self, **call) -> CarrierMessage:
        await asyncio.sleep(CARRIER_LATENCY)
        return await self._carrier.send(**call)

    def __getattr__(self, name: str):
        return getattr(self._carrier, name)


async def test_two_reconcilers_of_one_text_left_mid_send_send_it_once(messaging, account):
    message, _, to = await _crashed_mid_call(
        messaging, account, lease_by="worker-that-died", lease_left=timedelta(seconds=1), body="Reconciled once"
    )
    store = messaging.store
    seen_by_both = await store.states_of(message["_id"])  # `sending`, under the dead worker's live lease
    courier = messaging.workers[0].courier
    first = replace(courier, worker_id="reconciler-1", carrier=SlowToSend(courier.carrier), _account_calls={})
    second = replace(courier, worker_id="reconciler-2", _account_calls={})

    taking_over = asyncio.create_task(_reconcile(first, message, seen_by_both))

    async def taken_over():
        return any(state["key"].startswith("takeover:") for state in await store.states_of(message["_id"]))
    await eventually(taken_over, timeout=5, interval=0.01, what="the first reconciler to take the text over")
    assert not await messaging.carrier_log(to), "the first reconciler's text is still on its way"
    await asyncio.gather(taking_over, _reconcile(second, message, seen_by_both))

    [sent] = await messaging.carrier_log(to)
    assert sent["body"] == "Reconciled once"
    states = (await store.states_of_many([message["_id"]]))[message["_id"]]  # every state, the takeovers too
    assert [state["key"] for state in states if state["key"].startswith("takeover:")] == ["takeover:1"]
    assert next(state for state in states if state["key"] == "takeover:1")["lease"]["by"] == "reconciler-1"
    assert next(state for state in states if state["status"] == "queued")["carrier_sid"] == sent["sid"]
