"""Phone numbers: parse anything a person types into E.164, with what we can derive."""

from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder, timezone


class InvalidPhoneNumber(ValueError):
    pass


@dataclass(frozen=True)
class ParsedPhone:
    e164: str
    area_code: str | None
    region: str | None
    time_zone: str | None
    country: str | None


def parse_phone(raw: str, default_region: str = "US") -> ParsedPhone:
    """E.164 plus area code, region and time zone; raises InvalidPhoneNumber with the reason."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("phone number is empty")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"'{raw}' is not a phone number: {error._msg}") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"'{raw}' is not a valid phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    zones = [zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown"]
    return ParsedPhone(
        e164=e164,
        area_code=_area_code(number),
        region=geocoder.description_for_number(number, "en") or None,
        time_zone=zones[0] if zones else None,
        country=phonenumbers.region_code_for_number(number),
    )


def _area_code(number: phonenumbers.PhoneNumber) -> str | None:
    if number.country_code != 1:
        return None
    return str(number.national_number)[:3]
