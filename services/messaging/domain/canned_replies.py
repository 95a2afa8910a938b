"""Canned replies: saved texts with merge fields, for the whole account or one user, that can
carry actions applied when they are sent (add tags, record opt-in consent, close the thread)."""

import re
import unicodedata
from dataclasses import dataclass

from services.messaging.domain.merge_fields import fields_in
from services.messaging.domain.model import clean_body

MAX_NAME_CHARS = 80
MAX_TAGS = 5
MAX_TAG_CHARS = 64
MAX_CONSENT_CHARS = 200
MAX_PER_ACCOUNT = 200  # the account's shared replies
MAX_PER_USER = 100  # each user's own replies
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
# Tags contacts sets from facts, never from a saved reply (consent has its own action), in
# every spelling contacts recognises them by.
SYSTEM_TAG_KEYS = frozenset({"optin", "donotcontact", "dnc", "wrongnumber"})


class InvalidCannedReply(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class Actions:
    add_tags: tuple[str, ...] = ()
    opt_in_method: str | None = None
    opt_in_note: str | None = None
    close_conversation: bool = False

    def as_document(self) -> dict:
        return {
            "add_tags": list(self.add_tags),
            "opt_in_method": self.opt_in_method,
            "opt_in_note": self.opt_in_note,
            "close_conversation": self.close_conversation,
        }


def clean_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise InvalidCannedReply("name", "name is empty")
    if len(text) > MAX_NAME_CHARS:
        raise InvalidCannedReply("name", f"name is {len(text)} characters; the most is {MAX_NAME_CHARS}")
    return text


def clean_shortcut(shortcut: str | None) -> str | None:
    """The word typed after "/" in the composer: lower-case letters, digits, - and _, up to 32."""
    if shortcut is None:
        return None
    text = shortcut.strip().removeprefix("/").lower()
    if not SHORTCUT.match(text):
        raise InvalidCannedReply("shortcut", "a shortcut is 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter or digit")
    return text


def clean_template(body: str) -> str:
    try:
        text = clean_body(body)
    except ValueError as error:
        raise InvalidCannedReply("body", str(error)) from None
    if text.count("{") != len(fields_in(text)):
        raise InvalidCannedReply("body", "a merge field is written {name} or {name|fallback}")
    return text


def clean_actions(*, add_tags: list[str], opt_in_method: str | None, opt_in_note: str | None, close_conversation: bool) -> Actions:
    if len(add_tags) > MAX_TAGS:
        raise InvalidCannedReply("actions.add_tags", f"at most {MAX_TAGS} tags")
    tags: list[str] = []
    for index, tag in enumerate(add_tags):
        name = " ".join(tag.split())
        if not name or len(name) > MAX_TAG_CHARS:
            raise InvalidCannedReply(f"actions.add_tags.{index}", f"a tag is 1 to {MAX_TAG_CHARS} characters")
        if any(unicodedata.category(char).startswith("C") for char in name):
            raise InvalidCannedReply(f"actions.add_tags.{index}", "a tag has no control characters")
        if re.sub(r"[\s\-_]+", "", name.casefold()) in SYSTEM_TAG_KEYS:
            raise InvalidCannedReply(f"actions.add_tags.{index}", f"'{name}' is a system tag; use the opt-in action for consent")
        if name.casefold() not in (known.casefold() for known in tags):
            tags.append(name)
    method = " ".join((opt_in_method or "").split()) or None
    note = " ".join((opt_in_note or "").split()) or None
    if method is None and note is not None:
        raise InvalidCannedReply("actions.opt_in_method", "a consent note needs the consent method")
    for field, value in (("actions.opt_in_method", method), ("actions.opt_in_note", note)):
        if value is not None and len(value) > MAX_CONSENT_CHARS:
            raise InvalidCannedReply(field, f"at most {MAX_CONSENT_CHARS} characters")
    return Actions(tuple(tags), method, note, close_conversation)
