"""Sending a text: Twilio's checks, in Twilio's order, then delivery in the background."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..domain import sids
from ..domain.destinations import MAGIC_FROM_ERRORS, MAGIC_VALID_FROM, DestinationBehaviour, behaviour_for
from ..domain.records import Message
from ..domain.segments import count_segments
from ..domain.twilio_errors import TwilioError
from ..phone_numbers.e164 import is_valid_e164
from ..runtime import Carrier
from ..simulation.message_lifecycle import deliver_outbound

MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
MAX_MEDIA_PER_MESSAGE = 10
MAX_URL_LENGTH = 4000


@dataclass(frozen=True)
class SendText:
    to: str | None
    from_number: str | None
    messaging_service_sid: str | None
    body: str | None
    status_callback: str | None
    media_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class MessageFilter:
    to: str | None = None
    from_number: str | None = None
    sent_on: date | datetime | None = None
    sent_on_or_before: date | datetime | None = None
    sent_on_or_after: date | datetime | None = None


def send_text(carrier: Carrier, command: SendText) -> Message:
    """Twilio's create-time checks, then a `queued` message that the network delivers in the background."""
    _require_fields(command)
    if not is_valid_e164(command.to):
        raise TwilioError(21211, command.to)
    sender = _sender_for(carrier, command)
    behaviour = behaviour_for(command.to, carrier.state.behaviours)
    _refuse_blocked_destination(carrier, command.to, sender, behaviour)
    message = Message(
        sid=sids.new_sid(sids.MESSAGE), account_sid=carrier.account_sid, to=command.to,
        from_number=sender, body=command.body or "", direction="outbound-api", status="queued",
        # An MMS is one message, however long its body.
        num_segments=1 if command.media_urls else count_segments(command.body), messaging_service_sid=command.messaging_service_sid,
        status_callback=command.status_callback or None, media_urls=list(command.media_urls),
    )
    message.date_sent = message.date_created
    carrier.state.messages[message.sid] = message
    final_status, error_code = ("delivered", None) if behaviour is None else (
        behaviour.delivery_status, behaviour.error_code)
    carrier.background.start(deliver_outbound(carrier, message, final_status=final_status, error_code=error_code))
    return message


def get_message(carrier: Carrier, sid: str) -> Message:
    message = carrier.state.messages.get(sid)
    if message is None:
        raise TwilioError(20404, f"Message {sid}")
    return message


def list_messages(carrier: Carrier, wanted: MessageFilter) -> list[Message]:
    """Newest first, as Twilio lists them."""
    return [m for m in reversed(carrier.state.messages.values()) if _matches(m, wanted)]


def _require_fields(command: SendText) -> None:
    if not command.to:
        raise TwilioError(21604)
    if not command.from_number and not command.messaging_service_sid:
        raise TwilioError(21603)
    if (not command.body or not command.body.strip()) and not command.media_urls:
        raise TwilioError(21602)
    if len(command.media_urls) > MAX_MEDIA_PER_MESSAGE:
        raise TwilioError(21623, f"{len(command.media_urls)} MediaUrl given, at most {MAX_MEDIA_PER_MESSAGE}")
    for url in command.media_urls:
        if not url.startswith(("http://", "https://")) or len(url) > MAX_URL_LENGTH:
            raise TwilioError(21620, url[:100])


def _refuse_blocked_destination(carrier: Carrier, to: str, sender: str,
                                behaviour: DestinationBehaviour | None) -> None:
    if behaviour and behaviour.fails_at_create:
        raise TwilioError(behaviour.error_code, to)
    if (to, sender) in carrier.state.opted_out:
        raise TwilioError(21610, to)


def _sender_for(carrier: Carrier, command: SendText) -> str:
    if command.from_number:
        return _checked_from(carrier, command.from_number)
    if not MESSAGING_SERVICE_SID.match(command.messaging_service_sid):
        raise TwilioError(21705, command.messaging_service_sid)
    # The sandbox has no Messaging Services: every owned number stands in the service's sender pool.
    owned = sorted(carrier.state.owned_phone_numbers())
    if not owned:
        raise TwilioError(21704, command.messaging_service_sid)
    return owned[0]


def _checked_from(carrier: Carrier, from_number: str) -> str:
    if from_number in MAGIC_FROM_ERRORS:
        raise TwilioError(MAGIC_FROM_ERRORS[from_number], from_number)
    if from_number == MAGIC_VALID_FROM:
        return from_number
    if not is_valid_e164(from_number):
        raise TwilioError(21212, from_number)
    if carrier.state.number_owning(from_number) is None:
        raise TwilioError(21606, from_number)
    return from_number


def _matches(message: Message, wanted: MessageFilter) -> bool:
    if wanted.to and message.to != wanted.to:
        return False
    if wanted.from_number and message.from_number != wanted.from_number:
        return False
    return _sent_within(message.date_sent, wanted)


def _sent_within(sent: datetime | None, wanted: MessageFilter) -> bool:
    bounds = (wanted.sent_on, wanted.sent_on_or_before, wanted.sent_on_or_after)
    if sent is None:
        return all(bound is None for bound in bounds)

    def sent_as(bound: date) -> date:
        # A date-only bound compares whole days; a timestamp compares instants.
        return sent if isinstance(bound, datetime) else sent.date()

    if wanted.sent_on is not None and sent_as(wanted.sent_on) != wanted.sent_on:
        return False
    if wanted.sent_on_or_before is not None and sent_as(wanted.sent_on_or_before) > wanted.sent_on_or_before:
        return False
    if wanted.sent_on_or_after is not None and sent_as(wanted.sent_on_or_after) < wanted.sent_on_or_after:
        return False
    return True
