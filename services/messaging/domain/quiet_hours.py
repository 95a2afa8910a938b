"""When a person may be texted: 8am to 9pm where they are, narrower where a state says so
or where the account chose a narrower window."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.phones import InvalidPhoneNumber, parse_phone, state_code


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
