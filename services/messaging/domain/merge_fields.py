"""Merge fields in a text: {first_name}, {last_name}, any custom field, each with an optional
fallback for when the contact has no value ({first_name|friend})."""

import re

FIELD = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_ .-]*?)\s*(?:\|([^{}]*))?\}")
BUILT_IN = ("first_name", "last_name")


def fields_in(template: str) -> list[str]:
    return [match.group(1) for match in FIELD.finditer(template)]


def render(template: str, contact: dict) -> str:
    """The text for this contact; a field without value and without fallback becomes empty."""
    custom = contact.get("custom_fields") or {}

    def value_of(match: re.Match) -> str:
        name, fallback = match.group(1), match.group(2)
        value = contact.get(name) if name in BUILT_IN else custom.get(name)
        text = "" if value is None else str(value).strip()
        return text or (fallback.strip() if fallback is not None else "")

    return re.sub(r"[ \t]{2,}", " ", FIELD.sub(value_of, template)).strip()
