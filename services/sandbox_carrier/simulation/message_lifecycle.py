"""An outbound message after create: queued -> sent -> delivered (or a failure), with callbacks."""

import asyncio

from ..domain.records import API_VERSION, Message
from ..runtime import Carrier
from .media_fetch import fetch_media

# What Twilio reports when it cannot retrieve a message's MediaUrl.
MEDIA_RETRIEVAL_FAILURE = 11200


def status_callback_params(message: Message) -> dict[str, str]:
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": message.account_sid,
        "From": message.from_number,
        "To": message.to,
        "MessageStatus": message.status,
        "SmsStatus": message.status,
        "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)
    return params


def status_steps(final_status: str) -> list[str]:
    """'failed' means it never left Twilio, so there is no 'sent' before it."""
    return ["failed"] if final_status == "failed" else ["sent", final_status]


async def deliver_outbound(carrier: Carrier, message: Message, *, final_status: str,
                           error_code: int | None) -> None:
    held_back = []
    if message.media_urls and not await fetch_media(carrier.http, message):
        final_status, error_code = "failed", MEDIA_RETRIEVAL_FAILURE
    for status in status_steps(final_status):
        await asyncio.sleep(carrier.status_delay())
        message.move_to(status, error_code if status == final_status else None)
        if not message.status_callback:
            continue
        callbacks = [status_callback_params(message)] * carrier.state.status_callback_copies
        if carrier.state.shuffle_status_callbacks:
            held_back.extend(callbacks)
        else:
            await _send_status_callbacks(carrier, message, callbacks)
    carrier.delays.shuffle(held_back)
    await _send_status_callbacks(carrier, message, held_back)


async def _send_status_callbacks(carrier: Carrier, message: Message, callbacks: list[dict[str, str]]) -> None:
    for params in callbacks:
        await carrier.send_webhook("message-status", message.status_callback, params)
