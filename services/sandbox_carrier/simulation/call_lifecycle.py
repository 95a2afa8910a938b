"""An outbound call after create: it is answered, lasts a little, and completes."""

import asyncio

from ..domain.records import API_VERSION, Call
from ..domain.timestamps import rfc2822, utc_now
from ..runtime import Carrier


def call_status_params(call: Call) -> dict[str, str]:
    params = {
        "CallSid": call.sid,
        "AccountSid": call.account_sid,
        "From": call.from_number,
        "To": call.to,
        "Caller": call.from_number,
        "Called": call.to,
        "CallStatus": call.status,
        "Direction": call.direction,
        "ApiVersion": API_VERSION,
        "CallbackSource": "call-progress-events",
        "SequenceNumber": "0",
        "Timestamp": rfc2822(utc_now()),
    }
    if call.duration_seconds is not None:
        params["CallDuration"] = str(call.duration_seconds)
    return params


async def complete_outbound_call(carrier: Carrier, call: Call) -> None:
    await asyncio.sleep(carrier.status_delay())
    call.start_time = utc_now()
    call.duration_seconds = carrier.settings.simulated_call_seconds
    call.end_time = utc_now()
    call.move_to("completed")
    if call.status_callback:
        await carrier.send_webhook("call-status", call.status_callback, call_status_params(call))
