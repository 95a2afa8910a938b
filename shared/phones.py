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
    # What is_valid_number, time_zones_for_number and description_for_number would each
    # work out again (the number's region and type, the costliest steps), worked out once.
    country = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number_for_region(number, country):
        raise InvalidPhoneNumber(f"'{raw}' is not a valid phone number")
    if phonenumbers.is_number_type_geographical(phonenumbers.number_type(number), number.country_code):
        zones = timezone.time_zones_for_geographical_number(number)
        region = geocoder.description_for_valid_number(number, "en")
    else:
        zones = timezone.time_zones_for_number(number)
        region = geocoder.description_for_number(number, "en")
    zones = [zone for zone in zones if zone != "Etc/Unknown"]
    return ParsedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        area_code=_area_code(number),
        region=region or None,
        time_zone=zones[0] if zones else None,
        country=country,
    )


def _area_code(number: phonenumbers.PhoneNumber) -> str | None:
    if number.country_code != 1:
        return None
    return str(number.national_number)[:3]


US_STATE_CODES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY", "Washington D.C.": "DC", "Puerto Rico": "PR",
    "Washington State": "WA",  # how the geocoder names Washington for many of its numbers
}


def state_code(region: str | None) -> str | None:
    """The two-letter US state of a geocoder description: 'Florida' -> 'FL', 'Austin, TX' -> 'TX', 'FL' -> 'FL'."""
    if not region:
        return None
    text = region.strip()
    if "," in text:
        text = text.rsplit(",", 1)[1].strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return US_STATE_CODES.get(text)
