import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat

E164_SHAPE = re.compile(r"^\+[1-9]\d{1,14}$")


@lru_cache(maxsize=65536)  # every send checks its sender and recipient; callers only read the result
def parse_e164(text: str | None) -> PhoneNumber | None:
    """The number, if `text` is E.164 and a real, valid number somewhere; else None."""
    if not text or not E164_SHAPE.match(text):
        return None
    try:
        number = phonenumbers.parse(text)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_valid_e164(text: str | None) -> bool:
    return parse_e164(text) is not None


def to_e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def friendly_name(e164: str) -> str:
    """'(512) 555-0142' for US numbers, the E.164 text otherwise."""
    number = parse_e164(e164)
    if number is None or number.country_code != 1:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def country_of(e164: str) -> str:
    number = parse_e164(e164)
    return (phonenumbers.region_code_for_number(number) or "") if number else ""
