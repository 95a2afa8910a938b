"""Kafka subscriptions: a person's opt-out/opt-in keywords and carrier unsubscribes."""

import logging

from faststream.kafka import KafkaBroker

from services.contacts.domain.commands import RecordOptIn, RecordOptOut
from services.contacts.service_layer import handlers
from services.contacts.service_layer.ports import Ports
from shared import topics
from shared.consumers import subscribe
from shared.events import Envelope, MessageFailed, MessageReceived
from shared.phones import InvalidPhoneNumber, parse_phone

log = logging.getLogger(__name__)

UNSUBSCRIBED_ERROR = 21610  # Twilio: "Attempt to send to unsubscribed recipient"


def register_consumers(broker: KafkaBroker, *, ports: Ports, group_id: str) -> None:
    async def on_message_received(envelope: Envelope[MessageReceived]) -> None:
        """STOP-like keywords opt the sender's number out, START-like ones opt it back in,
        on every contact of the account with that number."""
        data = envelope.data
        if data.keyword not in ("opt_out", "opt_in"):
            return
        e164 = _e164(data.from_number, ports.default_region)
        keyword = data.matched_keyword or data.keyword
        if data.keyword == "opt_out":
            command = RecordOptOut(
                account_id=envelope.account_id,
                e164=e164,
                source="keyword",
                keyword=keyword,
                event_id=envelope.id,
                event_time=envelope.time,
            )
            changed = await handlers.record_opt_out(command, ports=ports)
        else:
            command = RecordOptIn(
                account_id=envelope.account_id, e164=e164, keyword=keyword, event_id=envelope.id, event_time=envelope.time
            )
            changed = await handlers.record_opt_in(command, ports=ports)
        _log_outcome(f"{data.keyword} from {e164}", changed)

    async def on_message_failed(envelope: Envelope[MessageFailed]) -> None:
        """Carrier error 21610 means the person unsubscribed: opt their number out."""
        data = envelope.data
        if data.error_code != UNSUBSCRIBED_ERROR:
            return
        command = RecordOptOut(
            account_id=envelope.account_id,
            e164=_e164(data.to_number, ports.default_region),
            source="carrier",
            event_id=envelope.id,
            event_time=envelope.time,
        )
        changed = await handlers.record_opt_out(command, ports=ports)
        _log_outcome(f"carrier opt-out of {command.e164}", changed)

    subscribe(broker, topics.MESSAGE_RECEIVED, group_id=group_id, handler=on_message_received)
    subscribe(broker, topics.MESSAGE_FAILED, group_id=group_id, handler=on_message_failed)


def _log_outcome(what: str, changed: int) -> None:
    # Most events on these topics are about other accounts or numbers we do not hold.
    log.log(logging.INFO if changed else logging.DEBUG, "%s: %d contact(s) changed", what, changed)


def _e164(number: str, region: str) -> str:
    try:
        return parse_phone(number, default_region=region).e164
    except InvalidPhoneNumber:
        return number
