"""Tag names: the three system tags that carry meaning, and free custom tags."""

import re
import unicodedata

from services.contacts.domain.errors import InvalidContact

WRONG_NUMBER = "Wrong Number"
DO_NOT_CONTACT = "Do Not Contact"
OPT_IN = "Opt-In"

SYSTEM_TAGS = (DO_NOT_CONTACT, WRONG_NUMBER, OPT_IN)
PHONE_TAGS = (WRONG_NUMBER, OPT_IN)
MAX_TAG_LENGTH = 64

_ALIASES = {
    "wrongnumber": WRONG_NUMBER,
    "donotcontact": DO_NOT_CONTACT,
    "dnc": DO_NOT_CONTACT,
    "optin": OPT_IN,
}


def _alias_key(name: str) -> str:
    return re.sub(r"[\s\-_]+", "", name.casefold())


def normalize_tag(raw: str, *, field: str = "tag") -> str:
    """Trim and collapse spaces; system tags are recognised whatever their spelling
    ("do not contact", "DNC", "opt in") and returned in their canonical form."""
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidContact.of(field, "tag name is empty")
    if len(name) > MAX_TAG_LENGTH:
        raise InvalidContact.of(field, f"tag name is longer than {MAX_TAG_LENGTH} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidContact.of(field, "tag name contains control characters")
    return _ALIASES.get(_alias_key(name), name)


def is_system_tag(name: str) -> bool:
    return name in SYSTEM_TAGS
