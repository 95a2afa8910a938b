"""When a person may be texted: 8am to 9pm wherever they may be, narrower where a state says so
or where the account chose a narrower window (an account narrows, never widens).

A recipient may be in several places: a number can belong to several time zones (most 907
numbers to Anchorage and Adak, 605 to Central and Mountain, 208 to Pacific and Mountain), and
the contact's address can name another zone or state than the number. A text goes only when it
is allowed in all of them (the intersection of their windows), and a hold names the zone that
held it.

State rules (checked against each statute as quoted by the sources named; recipient's local time):
- FL: 8am-8pm, Fla. Stat. 501.059(8)(a) (Florida Telephone Solicitation Act, as amended by SB 1120, 2021);
- OK: 8am-8pm, Okla. Stat. tit. 15, 775C.4 (Telephone Solicitation Act of 2022);
- MD: 8am-8pm, Md. Code, Com. Law 14-4503 (Stop the Spam Calls Act of 2023);
- MS: 8am-8pm and never on a Sunday, Miss. Code Ann. 77-3-723(1) (Mississippi Telephone Solicitation Act);
- WA: 8am-8pm, RCW 19.158.040(2) (Commercial Telephone Solicitation Act).
Sources: the statutes' texts (app.leg.wa.gov for RCW 19.158.040); Drop Cowboy's "State Calling
Restrictions Guide" (updated November 2025); ClickPoint's "Telemarketing Calling Restrictions &
Hours by State" (reviewed July 2025); DNC.com on Mississippi's Sunday rule (June 2024).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache, lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import zipcodes
from phonenumbers import timezone as number_zones

from shared.phones import InvalidPhoneNumber, parse_phone, state_code

SUNDAY = 6


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    def narrowed_by(self, other: "Window | None") -> "Window":
        if other is None:
            return self
        return Window(max(self.start, other.start), min(self.end, other.end))


@dataclass(frozen=True)
class StateRule:
    window: Window
    closed_weekdays: frozenset[int] = field(default_factory=frozenset)  # Monday is 0


LEGAL_WINDOW = Window(time(8), time(21))
_EIGHT_TO_EIGHT = Window(time(8), time(20))
STATE_RULES: dict[str, StateRule] = {
    "FL": StateRule(_EIGHT_TO_EIGHT),
    "OK": StateRule(_EIGHT_TO_EIGHT),
    "MD": StateRule(_EIGHT_TO_EIGHT),
    "MS": StateRule(_EIGHT_TO_EIGHT, frozenset({SUNDAY})),
    "WA": StateRule(_EIGHT_TO_EIGHT),
}
DEFAULT_ZONE = "America/New_York"
# Past this, windows that never meet (places far apart) are left to the number's own zones.
_MAX_SEARCH = 16


@dataclass(frozen=True)
class Place:
    """Somewhere the recipient may be: a time zone, and its US state when known."""

    zone: ZoneInfo
    state: str | None
    source: Literal["number", "address"]


@dataclass(frozen=True)
class Hold:
    """Until when a text must wait, and the place whose window held it."""

    until: datetime
    zone: str
    state: str | None


def places_of(phone: dict, address_state: str | None = None, address_zip: str | None = None) -> list[Place]:
    """Each zone the recipient's number may be in (and the phone's recorded zone), then where
    their address says they live."""
    number_state = state_code(phone.get("region")) or _state_of_number(phone.get("e164") or "")
    zone_names = [name for name in (phone.get("time_zone"), *_zones_of_number(phone.get("e164") or "")) if name]
    places = [Place(zone, number_state, "number") for zone in _zones(zone_names or [DEFAULT_ZONE])]
    home_state = state_code(address_state)
    home_zones = _zones_of_zip(address_zip) if address_zip else ()
    if not home_zones and home_state:
        home_zones = _zones_of_state(home_state)
    places += [Place(zone, home_state or number_state, "address") for zone in _zones(home_zones)]
    return list(dict.fromkeys(places))


def rule_for(place: Place, account_window: Window | None) -> tuple[Window, frozenset[int]]:
    """The window in that place (federal, then the state's, then the account's) and its closed weekdays."""
    state = STATE_RULES.get(place.state or "")
    window = LEGAL_WINDOW.narrowed_by(state.window if state else None).narrowed_by(account_window)
    return window, state.closed_weekdays if state else frozenset()


def allowed_at(moment: datetime, place: Place, account_window: Window | None) -> bool:
    window, closed = rule_for(place, account_window)
    local = moment.astimezone(place.zone)
    return local.weekday() not in closed and window.start <= local.time() < window.end


def opening_in(moment: datetime, place: Place, account_window: Window | None) -> datetime:
    """The first moment from `moment` on when texting is allowed in `place`."""
    if allowed_at(moment, place, account_window):
        return moment
    window, closed = rule_for(place, account_window)
    local = moment.astimezone(place.zone)
    day = local.date() if local.time() < window.start else local.date() + timedelta(days=1)
    while day.weekday() in closed:
        day += timedelta(days=1)
    return datetime.combine(day, window.start, tzinfo=place.zone).astimezone(moment.tzinfo)


def held_until(at: datetime, places: list[Place], account_window: Window | None) -> Hold | None:
    """None when a text may go at `at` in every place; else the first moment it may, and the
    place that held it (the one, among those closed at `at`, that opens last)."""
    closed = [place for place in places if not allowed_at(at, place, account_window)]
    if not closed:
        return None
    holder = max(closed, key=lambda place: opening_in(at, place, account_window))
    candidate = at
    for _ in range(_MAX_SEARCH):
        candidate = max(opening_in(candidate, place, account_window) for place in places)
        if all(allowed_at(candidate, place, account_window) for place in places):
            return Hold(candidate, holder.zone.key, holder.state)
    by_number = [place for place in places if place.source == "number"]
    if len(by_number) < len(places):
        return held_until(at, by_number, account_window)
    return Hold(opening_in(at, holder, account_window), holder.zone.key, holder.state)


def _zones(names) -> list[ZoneInfo]:
    found = []
    for name in names:
        try:
            found.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return found


@lru_cache(maxsize=100_000)
def _zones_of_number(e164: str) -> tuple[str, ...]:
    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return ()
    return tuple(zone for zone in number_zones.time_zones_for_number(number) if zone != "Etc/Unknown")


@lru_cache(maxsize=100_000)
def _state_of_number(e164: str) -> str | None:
    try:
        return state_code(parse_phone(e164).region)
    except InvalidPhoneNumber:
        return None


@lru_cache(maxsize=50_000)
def _zones_of_zip(zip_code: str) -> tuple[str, ...]:
    try:
        found = zipcodes.matching(zip_code[:5])
    except (ValueError, TypeError):
        return ()
    return tuple(dict.fromkeys(entry["timezone"] for entry in found if entry.get("timezone")))


@cache
def _zones_of_state(state: str) -> tuple[str, ...]:
    """Every zone any ZIP code of the state is in (a state-only address may be anywhere in it)."""
    return tuple(sorted({entry["timezone"] for entry in zipcodes.filter_by_state(state) if entry.get("timezone")}))


def load_places() -> None:
    """Read the ZIP code table now (a few seconds, once per process) rather than at the first text."""
    _zones_of_zip("10001")
