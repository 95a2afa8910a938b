"""When a scheduled send goes: a moment entered in a time zone, checked against now and a year ahead."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from services.messaging.domain.recipient_time import RecipientTime

MAX_AHEAD = timedelta(days=365)
# Statuses a schedule moves through; only a `scheduled` one may be edited or cancelled.
SCHEDULED, STARTING, STARTED, REFUSED, CANCELLED = "scheduled", "starting", "started", "refused", "cancelled"


class InvalidSchedule(Exception):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class SendTime:
    at: datetime  # UTC
    time_zone: str

    @property
    def local(self) -> datetime:
        """The moment as the sender entered it, in their zone with its offset."""
        return self.at.astimezone(ZoneInfo(self.time_zone))


def zone_named(name: str) -> ZoneInfo:
    if name not in _zone_names():
        raise InvalidSchedule("time_zone", f"{name!r} is not an IANA time zone name (such as America/Chicago)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule("time_zone", f"{name!r} is not an IANA time zone name (such as America/Chicago)") from None


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def send_time(send_at: datetime, time_zone: str, *, now: datetime) -> SendTime:
    """`send_at` read in `time_zone` when it carries no offset (a wall-clock time there; one that a
    daylight-saving change skips or repeats is taken as its first reading); InvalidSchedule when
    it is not after `now` or more than a year ahead."""
    zone = zone_named(time_zone)
    local = send_at.replace(tzinfo=zone) if send_at.tzinfo is None else send_at
    try:
        at = local.astimezone(UTC)
    except OverflowError:  # the first or last hours datetime can hold, moved across a zone's offset
        raise InvalidSchedule("send_at", "cannot be scheduled: choose a time within the next year") from None
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)  # as MongoDB keeps it, so that a retry is the same moment
    if at <= now:
        shown = local.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        raise InvalidSchedule("send_at", f"{shown} has passed: choose a time in the future")
    if at > now + MAX_AHEAD:
        raise InvalidSchedule("send_at", "a send may be scheduled at most a year ahead")
    return SendTime(at=at, time_zone=time_zone)


@dataclass(frozen=True)
class RecipientSendTime:
    wanted: RecipientTime
    shown: SendTime  # the wall-clock time read in the sender's zone
    due_at: datetime  # when the send starts: the first place on earth to reach that time (or now)


def recipient_send_time(day: date, local: time, time_zone: str, *, now: datetime) -> RecipientSendTime:
    """A wall-clock time on `day` in each recipient's own zone; InvalidSchedule when, read in the
    sender's `time_zone`, it has passed or is more than a year ahead."""
    try:
        shown = send_time(datetime.combine(day, local), time_zone, now=now)
    except InvalidSchedule as error:
        raise InvalidSchedule("recipient_time", error.problem) from None
    wanted = RecipientTime(day, local.replace(second=0, microsecond=0))
    return RecipientSendTime(wanted, shown, due_at=max(wanted.earliest.astimezone(UTC), now))
