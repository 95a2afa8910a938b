"""What messaging remembers about a phone from the carrier's errors, so later texts skip it at once."""

from services.messaging.adapters.store import MessagingStore
from services.messaging.domain.carrier_errors import meaning_of, phone_flags_for


async def remember_error_meaning(store: MessagingStore, message: dict, error_code: int | None) -> None:
    """21610 opts the phone out here (contacts turns the message.failed into contact.opted_out);
    21211 and 30003/30005/30006 mark it unreachable or a landline; 30007 only marks the message."""
    meaning = meaning_of(error_code)
    flags = phone_flags_for(meaning) if meaning else None
    if flags:
        await store.flag_phone(message["account_id"], message["to_number"], **flags, error_code=error_code)
