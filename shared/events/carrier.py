"""What the carrier reports to the product through its webhooks, once the gateway has verified it."""

from typing import ClassVar

from shared import topics
from shared.events.envelope import EventData


class CarrierStatusReported(EventData):
    """A verified Twilio message status callback, as Twilio posted it. Keyed by MessageSid so that
    one message's reports stay in order; the envelope's account is the carrier account (AccountSid)
    because only the messaging service knows which product account a message belongs to."""

    event_type: ClassVar[str] = topics.CARRIER_STATUS_REPORTED
    params: dict[str, str]
