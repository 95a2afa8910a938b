"""Placing an outbound call (click-to-call); the sandbox only records it and reports it completed."""

from dataclasses import dataclass

from ..domain import sids
from ..domain.destinations import MAGIC_VALID_FROM
from ..domain.records import Call
from ..domain.twilio_errors import TwilioError
from ..phone_numbers.e164 import is_valid_e164
from ..runtime import Carrier
from ..simulation.call_lifecycle import complete_outbound_call


@dataclass(frozen=True)
class PlaceCall:
    to: str | None
    from_number: str | None
    url: str | None
    twiml: str | None
    status_callback: str | None


def place_call(carrier: Carrier, command: PlaceCall) -> Call:
    if not command.to:
        raise TwilioError(21201)
    if not command.from_number:
        raise TwilioError(21213)
    if not is_valid_e164(command.to):
        raise TwilioError(21211, command.to)
    owned = carrier.state.number_owning(command.from_number)
    if owned is None and command.from_number != MAGIC_VALID_FROM:
        raise TwilioError(21210, command.from_number)
    if not command.url and not command.twiml:
        raise TwilioError(21205)
    call = Call(
        sid=sids.new_sid(sids.CALL), account_sid=carrier.account_sid, to=command.to,
        from_number=command.from_number, direction="outbound-api", status="queued",
        url=command.url, twiml=command.twiml, status_callback=command.status_callback or None,
        phone_number_sid=owned.sid if owned else None,
    )
    carrier.state.calls[call.sid] = call
    carrier.background.start(complete_outbound_call(carrier, call))
    return call


def get_call(carrier: Carrier, sid: str) -> Call:
    call = carrier.state.calls.get(sid)
    if call is None:
        raise TwilioError(20404, f"Call {sid}")
    return call
