"""US area codes, their states and towns, derived from `phonenumbers`' geocoder data.

The geocoder knows an area code's state ("Texas") and, for many exchanges, the town
("Austin, TX"). Scanning it gives everything the carrier needs without a hand-kept table.
"""

import itertools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType, geocoder

CITY_AND_STATE = re.compile(r"^(?P<city>.+), (?P<state>[A-Z]{2})$")
# The geocoder names DC only in full and never as "Town, DC", so its abbreviation can't be learned.
STATE_NAME_ALIASES = {"Washington D.C.": "DC"}
GEOGRAPHIC_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.MOBILE}
AREA_CODES = range(200, 1000)
EXCHANGES = range(200, 1000)
PROBE_EXCHANGE = 234  # valid in every US area code the metadata knows


@dataclass(frozen=True)
class Place:
    locality: str | None  # town, e.g. "Austin"
    region: str | None  # two-letter state, e.g. "TX"


def us_number(area_code: int, exchange: int, line: int) -> PhoneNumber:
    return PhoneNumber(country_code=1, national_number=area_code * 10**7 + exchange * 10**4 + line)


def is_assignable_exchange(exchange: int) -> bool:
    """Exchanges a real local number can have: not N11 service codes, not fictional 555."""
    return 200 <= exchange <= 999 and exchange % 100 != 11 and exchange != 555


def _describe(number: PhoneNumber) -> str:
    return geocoder.description_for_valid_number(number, "en")


def _area_code_description(area_code: int) -> str:
    return _describe(PhoneNumber(country_code=1, national_number=area_code * 10**7))


class AreaCodeAtlas:
    """Answers geography questions about US numbers; scans lazily and remembers."""

    def __init__(self) -> None:
        self._exchanges: dict[int, tuple[int, ...]] = {}
        self._state_by_area_code: dict[int, str] | None = None

    def is_us_area_code(self, area_code: int) -> bool:
        probe = us_number(area_code, PROBE_EXCHANGE, 1234)
        return (
            area_code in AREA_CODES
            and phonenumbers.is_valid_number_for_region(probe, "US")
            and phonenumbers.number_type(probe) in GEOGRAPHIC_TYPES
        )

    def is_local_us_number(self, number: PhoneNumber) -> bool:
        return (
            phonenumbers.is_valid_number_for_region(number, "US")
            and phonenumbers.number_type(number) in GEOGRAPHIC_TYPES
            and is_assignable_exchange(number.national_number // 10**4 % 1000)
        )

    def exchanges(self, area_code: int) -> tuple[int, ...]:
        """Exchanges to sell numbers from: those the geocoder places in a town, if any."""
        if area_code not in self._exchanges:
            valid = [nxx for nxx in EXCHANGES if is_assignable_exchange(nxx)
                     and phonenumbers.is_valid_number(us_number(area_code, nxx, 1234))]
            in_towns = [nxx for nxx in valid if CITY_AND_STATE.match(_describe(us_number(area_code, nxx, 1234)))]
            self._exchanges[area_code] = tuple(in_towns or valid)
        return self._exchanges[area_code]

    def place_of(self, number: PhoneNumber) -> Place:
        if number.country_code != 1:
            return Place(None, None)
        match = CITY_AND_STATE.match(_describe(number))
        if match:
            return Place(match["city"], match["state"])
        return Place(None, self.state_of(number.national_number // 10**7))

    def state_of(self, area_code: int) -> str | None:
        return self.states_by_area_code().get(area_code)

    def area_codes_in(self, state: str) -> list[int]:
        return [code for code, st in self.states_by_area_code().items() if st == state.upper()]

    def all_area_codes(self) -> list[int]:
        return list(self.states_by_area_code())

    def states_by_area_code(self) -> dict[int, str]:
        if self._state_by_area_code is None:
            self._state_by_area_code = self._scan_states()
        return self._state_by_area_code

    def _scan_states(self) -> dict[int, str]:
        """About a second: every area code, and exchanges until one names a town."""
        states: dict[int, str] = {}
        full_names: dict[int, str] = {}
        for area_code in filter(self.is_us_area_code, AREA_CODES):
            full_names[area_code] = _area_code_description(area_code)
            found = self._first_town_state(area_code, full_names[area_code])
            if found:
                states[area_code] = found
        abbreviation_of = dict(STATE_NAME_ALIASES)
        abbreviation_of.update({full_names[code]: st for code, st in states.items()})
        for area_code, name in full_names.items():
            if area_code not in states and name in abbreviation_of:
                states[area_code] = abbreviation_of[name]
        return dict(sorted(states.items()))

    @staticmethod
    def _first_town_state(area_code: int, area_description: str) -> str | None:
        by_exchange = (_describe(us_number(area_code, nxx, 1234)) for nxx in EXCHANGES)
        for description in itertools.chain([area_description], by_exchange):
            match = CITY_AND_STATE.match(description)
            if match:
                return match["state"]
        return None
