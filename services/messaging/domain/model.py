"""The rules of texting: who may be texted, how a status moves, what a reply means."""

import string
from dataclasses import dataclass
from typing import Literal

from shared.events.messaging import Keyword, MessageStatus
from shared.keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS

MAX_BODY_CHARS = 1600

SkipReason = Literal[
    "not_cell",
    "wrong_number",
    "dnc",
    "opted_out",
    "unreachable",
    "contact_deleted",
    "phone_removed",
    "number_changed",
    "contact_not_found",
]

# Statuses on one line rank equal; a status only ever moves to a higher rank.
_STATUS_RANK: dict[str, int] = {
    "accepted": 0,
    "waiting_for_number": 1,
    "scheduled": 1,
    "sending": 2,
    "queued": 3,
    "sent": 4,
    "delivered": 5,
    "undelivered": 5,
    "failed": 5,
    "skipped": 5,
    "cancelled": 5,
}
FINAL_STATUSES = frozenset(status for status, rank in _STATUS_RANK.items() if rank == 5)

# What each Twilio MessageStatus means for us; the rest (accepted, scheduled, receiving...) say nothing new.
_CARRIER_STATUSES: dict[str, MessageStatus] = {
    "queued": "queued",
    "sending": "sending",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "cancelled",
}

_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(OPT_OUT_KEYWORDS, "opt_out"),
    **dict.fromkeys(OPT_IN_KEYWORDS, "opt_in"),
    **dict.fromkeys(HELP_KEYWORDS, "help"),
}


class InvalidBody(ValueError):
    pass


def clean_body(body: str, *, with_media: bool = False) -> str:
    """The text to send; raises InvalidBody when it is too long, or empty in a text without media."""
    text = (body or "").strip()
    if not text and not with_media:
        raise InvalidBody("body is empty")
    if len(text) > MAX_BODY_CHARS:
        raise InvalidBody(f"body is {len(text)} characters; the most is {MAX_BODY_CHARS}")
    return text


def skip_reason(contact: dict | None, phone: dict | None) -> SkipReason | None:
    """Why this phone of this contact (read-model documents) must not be texted now, or None."""
    if contact is None or contact.get("deleted"):
        return "contact_deleted"
    if phone is None:
        return "phone_removed"
    if phone.get("type") != "cell" or phone.get("status") == "landline":
        return "not_cell"
    if phone.get("status") == "unreachable":
        return "unreachable"
    if phone.get("wrong_number"):
        return "wrong_number"
    if contact.get("dnc"):
        return "dnc"
    if phone.get("opted_out"):
        return "opted_out"
    return None


def find_phone(contact: dict | None, phone_id: str) -> dict | None:
    if contact is None:
        return None
    return next((phone for phone in contact.get("phones", []) if phone.get("phone_id") == phone_id), None)


def moves_forward(current: str, new: str) -> bool:
    """True when `new` is later than `current`; final statuses never change."""
    if current in FINAL_STATUSES:
        return False
    return _STATUS_RANK[new] > _STATUS_RANK[current]


def status_from_carrier(carrier_status: str | None) -> MessageStatus | None:
    return _CARRIER_STATUSES.get((carrier_status or "").strip().lower())


@dataclass(frozen=True)
class DetectedKeyword:
    keyword: Keyword
    word: str


def detect_keyword(body: str) -> DetectedKeyword | None:
    """A one-word reply such as 'Stop!' or ' help ', case-insensitive, punctuation trimmed; an opt-in
    only as the carrier takes it (the word alone, whitespace trimmed: 'START', not 'Yes!'), since
    the carrier keeps blocking texts to a phone that opted out until it gets one."""
    typed = (body or "").strip().upper()
    word = typed.strip(string.punctuation + string.whitespace)
    if not word or any(ch.isspace() for ch in word):
        return None
    keyword = _KEYWORDS.get(word)
    if keyword == "opt_in" and word != typed:
        return None
    return DetectedKeyword(keyword, word) if keyword else None
