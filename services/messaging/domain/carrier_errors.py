"""What a carrier error code says about the phone it was sent to."""

from dataclasses import dataclass
from typing import Literal

PhoneVerdict = Literal["opted_out", "unreachable", "landline", "carrier_filtered"]

UNSUBSCRIBED = 21610


@dataclass(frozen=True)
class ErrorMeaning:
    verdict: PhoneVerdict
    reason: str


_MEANINGS: dict[int, ErrorMeaning] = {
    UNSUBSCRIBED: ErrorMeaning("opted_out", "the person unsubscribed from this number (carrier error 21610)"),
    21211: ErrorMeaning("unreachable", "not a valid phone number (carrier error 21211)"),
    30003: ErrorMeaning("unreachable", "the phone is unreachable or switched off (carrier error 30003)"),
    30005: ErrorMeaning("unreachable", "unknown or inactive number (carrier error 30005)"),
    30006: ErrorMeaning("landline", "a landline or a number that cannot receive texts (carrier error 30006)"),
    30007: ErrorMeaning("carrier_filtered", "the carrier filtered the text as unwanted (carrier error 30007)"),
}


def meaning_of(error_code: int | None) -> ErrorMeaning | None:
    return _MEANINGS.get(error_code) if error_code is not None else None


def phone_flags_for(meaning: ErrorMeaning) -> dict | None:
    """What to remember about the phone: opt-outs and dead numbers stop later texts; a filtered
    text says nothing about the phone itself."""
    if meaning.verdict == "opted_out":
        return {"opted_out": True, "opt_out_source": "carrier"}
    if meaning.verdict in ("unreachable", "landline"):
        return {"unreachable": True, "unreachable_reason": meaning.verdict}
    return None
