"""Tag names: the three system tags that carry meaning, and free custom tags."""

import re
import unicodedata
from dataclasses import dataclass

from services.contacts.domain.errors import ContactsError, InvalidContact

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


@dataclass(frozen=True)
class TagLimits:
    """How many custom tags one contact may carry and one account may have. System tags
    never count: recording consent or a do-not-contact is never refused for a full contact."""

    per_contact: int = 100
    per_account: int = 5000


class TagLimitReached(ContactsError):
    """Adding the tags would take a contact or the account past its limit; `limit` names
    it (tags_per_contact, tags_per_account), `count` is what there is or would be."""

    def __init__(self, limit: str, *, allowed: int, count: int, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.allowed = allowed
        self.count = count


def custom_tags(tags: list[str]) -> list[str]:
    return [tag for tag in tags if tag not in SYSTEM_TAGS]


def refuse_past_contact_limit(current: list[str], adding: list[str], *, allowed: int) -> None:
    """TagLimitReached when the contact's custom tags with `adding` would be more than `allowed`."""
    after = len(dict.fromkeys(custom_tags([*current, *adding])))
    if after > allowed and after > len(custom_tags(current)):
        raise TagLimitReached(
            "tags_per_contact", allowed=allowed, count=after,
            message=f"a contact may carry at most {allowed} tags (tags_per_contact); this would make it {after}",
        )


def account_limit_reached(*, allowed: int, count: int, adding: int) -> TagLimitReached:
    return TagLimitReached(
        "tags_per_account", allowed=allowed, count=count,
        message=f"the account has {count} tags and may have at most {allowed} (tags_per_account); "
        f"{adding} more would pass it: delete unused tags first",
    )
