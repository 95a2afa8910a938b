"""When a person may be texted: 8am to 9pm where they are, narrower where a state says so
or where the account chose a narrower window."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.phones import InvalidPhoneNumber, parse_phone


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    def narrowed_by(self, other: "Window | None") -> "Window":
        if other is None:
            return self
        return Window(max(self.start, other.start), min(self.end, other.end))


LEGAL_WINDOW = Window(time(8), time(21))
# State laws stricter than the federal 8am-9pm for texts.
STATE_WINDOWS: dict[str, Window] = {
    "FL": Window(time(8), time(20)),
    "OK": Window(time(8), time(20)),
    "MD": Window(time(8), time(20)),
    "MS": Window(time(8), time(20)),
    "WA": Window(time(8), time(20)),
}
DEFAULT_ZONE = "America/New_York"

_STATE_CODES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY", "Washington D.C.": "DC",
}


@dataclass(frozen=True)
class Recipient:
    zone: ZoneInfo
    state: str | None


def recipient_of(phone: dict) -> Recipient:
    """The recipient's time zone and US state, from the phone's snapshot or else from its number."""
    zone_name, region = phone.get("time_zone"), phone.get("region")
    if not zone_name or not region:
        try:
            parsed = parse_phone(phone.get("e164") or "")
            zone_name, region = zone_name or parsed.time_zone, region or parsed.region
        except InvalidPhoneNumber:
            pass
    try:
        zone = ZoneInfo(zone_name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_ZONE)
    return Recipient(zone, state_code(region))


def state_code(region: str | None) -> str | None:
    """'Florida' -> 'FL', 'New York, NY' -> 'NY', 'FL' -> 'FL'."""
    if not region:
        return None
    text = region.strip()
    if "," in text:
        text = text.rsplit(",", 1)[1].strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _STATE_CODES.get(text)


def window_for(recipient: Recipient, account_window: Window | None) -> Window:
    return LEGAL_WINDOW.narrowed_by(STATE_WINDOWS.get(recipient.state or "")).narrowed_by(account_window)


def next_opening(at: datetime, recipient: Recipient, window: Window) -> datetime | None:
    """None when `at` is inside the window where the recipient is; else when the window next opens."""
    local = at.astimezone(recipient.zone)
    if window.start <= local.time() < window.end:
        return None
    day = local.date() if local.time() < window.start else local.date() + timedelta(days=1)
    opening = datetime.combine(day, window.start, tzinfo=recipient.zone)
    return opening.astimezone(at.tzinfo)
