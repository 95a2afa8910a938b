"""Gauges that are looked up rather than counted: consumer lag and the outbox backlog, sampled
in the background every few seconds by each process that has a runtime."""

import logging

from shared.metrics.samplers.lag import LagSampler
from shared.metrics.samplers.outbox import OutboxSampler
from shared.periodic import Periodic

log = logging.getLogger(__name__)


class Samplers:
    """The samplers of one process, each pass in its own periodic task."""

    def __init__(self, periodics: list[Periodic]) -> None:
        self._periodics = periodics

    @classmethod
    def of(cls, broker, db, outbox_collections: list[str], *, service: str, every: float) -> "Samplers":
        periodics = [Periodic(LagSampler(broker).sample, every=every, what="consumer lag sampling")]
        if outbox_collections:
            sampler = OutboxSampler(db, outbox_collections, service=service)
            periodics.append(Periodic(sampler.sample, every=every, what="outbox backlog sampling"))
        return cls(periodics)

    async def start(self) -> None:
        for periodic in self._periodics:
            await periodic.start()

    async def stop(self) -> None:
        for periodic in self._periodics:
            await periodic.stop()
