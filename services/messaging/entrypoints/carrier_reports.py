"""The carrier's status callbacks, as the gateway recorded them on Kafka after checking their signature."""

from faststream.kafka import KafkaBroker

from services.messaging.adapters.store import MessagingStore
from services.messaging.service_layer import webhooks
from shared import topics
from shared.consumers import subscribe
from shared.events import Envelope
from shared.outbox import OutboxRelay


def register_status_reports(broker: KafkaBroker, *, group_id: str, store: MessagingStore, relay: OutboxRelay) -> None:
    async def apply_status_report(envelope: Envelope) -> None:
        """Move the message forward to the reported status (never back; a repeat changes nothing)."""
        params = envelope.data.params
        command = webhooks.status_command(params)
        if command is None:  # the gateway lets no such report through; nothing to apply
            return
        await webhooks.record_status(command, store=store, params=params)
        relay.kick()

    subscribe(broker, topics.CARRIER_STATUS_REPORTED, group_id=group_id, handler=apply_status_report)
