"""The events a message's life produces, built from the stored message."""

from shared.events import Envelope
from shared.events.messaging import MessageFailed, MessageSent, MessageStatusUpdated


def status_updated(message: dict, status: str, *, carrier_sid: str | None = None, error_code: int | None = None) -> Envelope:
    data = MessageStatusUpdated(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message.get("contact_id"),
        status=status,
        carrier_sid=carrier_sid,
        error_code=error_code,
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["conversation_id"])


def sent(message: dict, *, carrier_sid: str, from_number: str, segments: int) -> Envelope:
    data = MessageSent(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message["contact_id"],
        user_id=message["user_id"],
        from_number=from_number,
        to_number=message["to_number"],
        carrier_sid=carrier_sid,
        segments=segments,
        media=message.get("media", []),
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["contact_id"] or message["conversation_id"])


def failed(message: dict, *, reason: str, error_code: int | None) -> Envelope:
    data = MessageFailed(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message["contact_id"],
        phone_id=message.get("phone_id"),
        user_id=message["user_id"],
        to_number=message["to_number"],
        reason=reason,
        error_code=error_code,
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["contact_id"] or message["conversation_id"])
