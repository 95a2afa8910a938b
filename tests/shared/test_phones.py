"""parse_phone derives what phonenumbers' own checked functions derive, for numbers of
every type in every region, and rejects what they reject."""

import random

import phonenumbers
import pytest
from phonenumbers import geocoder, timezone

from shared.phones import InvalidPhoneNumber, ParsedPhone, parse_phone


def reference(raw: str, region: str) -> ParsedPhone | None:
    """The derivation spelled out with the library's checked, self-contained calls."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    zones = [zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown"]
    return ParsedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        area_code=str(number.national_number)[:3] if number.country_code == 1 else None,
        region=geocoder.description_for_number(number, "en") or None,
        time_zone=zones[0] if zones else None,
        country=phonenumbers.region_code_for_number(number),
    )


def samples() -> list[tuple[str, str]]:
    rng = random.Random(11)
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):  # every PhoneNumberType
            example = phonenumbers.example_number_for_type(region, kind)
            if example:
                numbers.append((phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164), "US"))
    for _ in range(3000):  # US-shaped input: mostly valid, some not
        numbers.append((f"({rng.randint(100, 999)}) {rng.randint(100, 999)}-{rng.randint(0, 9999):04d}", rng.choice(["US", "CA", "GB"])))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        numbers.append((f"+{code}{rng.randint(10**7, 10**9)}", "US"))
    return numbers + [("+1 876 555 0100", "US"), ("+44 7911 123456", "US"), ("+1 800 555 0100", "US"), ("911", "US"), ("abc", "US")]


def test_parse_phone_matches_the_librarys_checked_derivation():
    checked = valid = 0
    for raw, region in samples():
        expected = reference(raw, region)
        if expected is None:
            with pytest.raises(InvalidPhoneNumber):
                parse_phone(raw, region)
        else:
            assert parse_phone(raw, region) == expected, raw
            valid += 1
        checked += 1
    assert valid > 1000 and checked - valid > 100, "both valid and invalid numbers were checked"
