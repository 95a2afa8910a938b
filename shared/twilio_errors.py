"""Twilio's errors, whatever SDK call raised them, in one shape and with the reason in words.

The SDK raises TwilioRestException (HTTP status, Twilio error code, message) when a create,
fetch, update or delete fails, but a failed page of a list call (AvailablePhoneNumbers,
Messages, IncomingPhoneNumbers) comes out as a plain TwilioException("Unable to fetch page",
response). `rest_error_of` turns both into a TwilioRestException, so that every call is mapped
the same way.
"""

import json

from twilio.base.exceptions import TwilioException, TwilioRestException

# Twilio error codes the product meets, in words a user or an operator can act on.
_IN_WORDS = {
    20003: "the carrier refused the account's credentials",
    20404: "the carrier has no such resource",
    20429: "the carrier asked us to slow down (too many requests)",
    20500: "the carrier had an internal error",
    20503: "the carrier is temporarily unavailable",
    21421: "the carrier says that phone number is not valid",
    21422: "that phone number is no longer for sale",
    21451: "the carrier sells no numbers in that area code (it is not a US area code)",
    21452: "the carrier has no numbers left for sale in that area code",
    21606: "the sending number cannot send texts from this carrier account",
    21611: "the sending number has too many texts queued at the carrier",
}


def rest_error_of(error: TwilioException) -> TwilioRestException | None:
    """The REST error behind an SDK exception (None when the carrier never answered with one)."""
    if isinstance(error, TwilioRestException):
        return error
    response = error.args[1] if len(error.args) > 1 else None
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        return None
    try:
        body = json.loads(getattr(response, "text", "") or "{}")
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = body.get("code")
    return TwilioRestException(
        status, uri="", msg=str(body.get("message") or f"HTTP {status}"), code=code if isinstance(code, int) else None,
        details=body.get("more_info"),
    )


def is_retryable(error: TwilioRestException) -> bool:
    """Worth trying again later: the carrier is busy (429) or in trouble (5xx)."""
    return error.status == 429 or error.status >= 500


def in_words(error: TwilioRestException) -> str:
    """What went wrong, for a notification or a log line: the meaning, then Twilio's own code."""
    known = _IN_WORDS.get(error.code) if error.code is not None else None
    if known is None:
        if error.status == 429:
            known = "the carrier asked us to slow down (too many requests)"
        elif error.status >= 500:
            known = "the carrier had a problem on its side"
        else:
            known = f"the carrier refused the request: {error.msg}"
    reference = f"carrier error {error.code}" if error.code is not None else f"HTTP {error.status}"
    return f"{known} ({reference})"
