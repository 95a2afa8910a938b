"""The local numbers the sandbox has for sale: plausible, valid, and the same on every run.

Candidates come from a random stream seeded by the settings' seed and the search itself,
so one search always offers the same numbers, less those already bought.
"""

import random
from collections.abc import Container
from dataclasses import dataclass

import phonenumbers

from .e164 import parse_e164
from .geography import AreaCodeAtlas, Place, is_assignable_exchange, us_number

KEYPAD = {letter: digit for digit, letters in {
    "2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV", "9": "WXYZ",
}.items() for letter in letters}
WILDCARD = None


@dataclass(frozen=True)
class NumberSearch:
    area_code: int | None = None
    region: str | None = None  # two-letter state
    contains: str | None = None


@dataclass(frozen=True)
class AvailableNumber:
    phone_number: str
    place: Place


def parse_contains(pattern: str) -> list[str | None]:
    """Twilio's Contains: digits, letters (keypad digits) and '*' for any one digit."""
    cells: list[str | None] = []
    for ch in pattern.strip().lstrip("+").upper():
        if ch.isdigit():
            cells.append(ch)
        elif ch in KEYPAD:
            cells.append(KEYPAD[ch])
        elif ch == "*":
            cells.append(WILDCARD)
        else:
            raise ValueError(f"invalid character {ch!r} in Contains")
    return cells


def _offsets_fitting(cells: list[str | None], prefix: str) -> list[int]:
    """Where the pattern can sit in an 11-digit '1NPANXXXXXX' without contradicting '1NPA'."""
    offsets = []
    for offset in range(0, 11 - len(cells) + 1):
        fixed = all(cell is WILDCARD or offset + i >= len(prefix) or prefix[offset + i] == cell
                    for i, cell in enumerate(cells))
        if fixed:
            offsets.append(offset)
    return offsets


class NumberInventory:
    def __init__(self, atlas: AreaCodeAtlas, seed: int) -> None:
        self.atlas = atlas
        self.seed = seed

    def search(self, query: NumberSearch, *, limit: int, taken: Container[str],
               exhausted: Container[int]) -> list[AvailableNumber]:
        area_codes = [code for code in self._area_codes_for(query) if code not in exhausted]
        cells = parse_contains(query.contains) if query.contains else []
        rng = random.Random(f"{self.seed}|{query.area_code}|{query.region}|{query.contains}")
        found: dict[str, AvailableNumber] = {}
        for _ in range(limit * 40 + 200):
            if len(found) >= limit or not area_codes:
                break
            area_code = rng.choice(area_codes)
            offsets = _offsets_fitting(cells, f"1{area_code}")
            if not offsets:
                area_codes.remove(area_code)
                continue
            candidate = self._candidate(rng, area_code, cells, rng.choice(offsets))
            if candidate and candidate not in taken and candidate not in found:
                found[candidate] = AvailableNumber(candidate, self.atlas.place_of(parse_e164(candidate)))
        return list(found.values())

    def first_available(self, area_code: int, *, taken: Container[str],
                        exhausted: Container[int]) -> AvailableNumber | None:
        offered = self.search(NumberSearch(area_code=area_code), limit=1, taken=taken, exhausted=exhausted)
        return offered[0] if offered else None

    def is_for_sale(self, e164: str, *, taken: Container[str], exhausted: Container[int]) -> bool:
        number = parse_e164(e164)
        return (
            number is not None
            and self.atlas.is_local_us_number(number)
            and number.national_number // 10**7 not in exhausted
            and e164 not in taken
        )

    def _area_codes_for(self, query: NumberSearch) -> list[int]:
        if query.area_code is not None:
            if not self.atlas.is_us_area_code(query.area_code):
                return []
            if query.region and self.atlas.state_of(query.area_code) != query.region.upper():
                return []
            return [query.area_code]
        if query.region:
            return self.atlas.area_codes_in(query.region)
        return self.atlas.all_area_codes()

    def _candidate(self, rng: random.Random, area_code: int, cells: list[str | None], offset: int) -> str | None:
        exchange = rng.choice(self.atlas.exchanges(area_code))
        digits = list(f"1{area_code}{exchange:03d}{rng.randrange(10_000):04d}")
        for i, cell in enumerate(cells):
            if cell is not WILDCARD:
                digits[offset + i] = cell
        national = int("".join(digits[1:]))
        number = us_number(area_code, national // 10**4 % 1000, national % 10**4)
        if not is_assignable_exchange(national // 10**4 % 1000) or not phonenumbers.is_valid_number(number):
            return None
        return "+" + "".join(digits)
