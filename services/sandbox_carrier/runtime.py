"""The carrier as one object: settings, memory, number stock, webhook sender, background work."""

import random
from dataclasses import dataclass, field

import aiohttp

from .config import Settings
from .domain.faults import Fault
from .phone_numbers.inventory import NumberInventory
from .simulation.background import BackgroundWork
from .state import CarrierState, WebhookLogEntry
from .webhooks.sender import WebhookOutcome, WebhookSender


@dataclass
class Carrier:
    settings: Settings
    state: CarrierState
    inventory: NumberInventory
    webhooks: WebhookSender
    background: BackgroundWork
    delays: random.Random = field(default_factory=random.Random)
    http: aiohttp.ClientSession | None = None  # the carrier's own fetches (a message's MediaUrl)

    @property
    def account_sid(self) -> str:
        return self.settings.account_sid

    def status_delay(self) -> float:
        low, high = self.settings.status_delay_min_seconds, self.settings.status_delay_max_seconds
        return self.delays.uniform(low, max(low, high))

    def take_fault(self) -> Fault | None:
        """The next planned fault, else one of the standing faults drawn at its rate, else None."""
        planned = self.state.take_fault()
        if planned is not None:
            return planned
        for standing in self.state.standing_faults:
            if self.delays.random() < standing.rate:
                return standing.fault
        return None

    async def send_webhook(self, kind: str, url: str, params: dict[str, str], *, method: str = "POST",
                           idempotency_token: str | None = None) -> WebhookOutcome:
        outcome = await self.webhooks.send(url, params, method=method, idempotency_token=idempotency_token)
        self.state.webhook_log.append(WebhookLogEntry(
            kind=kind, url=url, method=method, params=params, status_code=outcome.status_code,
            attempts=outcome.attempts, error=outcome.error,
        ))
        return outcome

    async def reset(self) -> None:
        await self.background.cancel_all()
        self.state.clear()
