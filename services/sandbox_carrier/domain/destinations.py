"""How a destination number makes sends fail: scripted behaviours and Twilio's magic numbers."""

from dataclasses import dataclass

from .twilio_errors import CREATE_TIME_DESTINATION_ERRORS, DELIVERY_TIME_ERRORS

# Twilio's test-credential magic numbers, honoured here for every account.
MAGIC_TO_ERRORS = {
    "+15005550001": 21211,
    "+15005550002": 21612,
    "+15005550003": 21408,
    "+15005550004": 21610,
    "+15005550009": 21614,
}
MAGIC_FROM_ERRORS = {
    "+15005550001": 21212,
    "+15005550007": 21606,
    "+15005550008": 21611,
}
MAGIC_VALID_FROM = "+15005550006"

SCRIPTABLE_ERRORS = CREATE_TIME_DESTINATION_ERRORS | DELIVERY_TIME_ERRORS


@dataclass(frozen=True)
class DestinationBehaviour:
    phone_number: str
    error_code: int
    delivery_status: str = "undelivered"  # only for delivery-time errors

    @property
    def fails_at_create(self) -> bool:
        return self.error_code in CREATE_TIME_DESTINATION_ERRORS


def behaviour_for(phone_number: str, scripted: dict[str, DestinationBehaviour]) -> DestinationBehaviour | None:
    """A scripted behaviour wins over a magic number."""
    if phone_number in scripted:
        return scripted[phone_number]
    if phone_number in MAGIC_TO_ERRORS:
        return DestinationBehaviour(phone_number, MAGIC_TO_ERRORS[phone_number])
    return None
