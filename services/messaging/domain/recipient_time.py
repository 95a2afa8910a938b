"""A bulk send scheduled for a wall-clock time in each recipient's own time zone ("9:00 their time"):
each text waits until that time has come everywhere its recipient may be (every zone of their number
and their address, the places the quiet hours go by), so nobody gets it before 9:00 where they are."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from services.messaging.domain.quiet_hours import Place

# The first place on earth to reach a given wall-clock time: a send in recipients' own time starts then.
EARLIEST_ZONE = ZoneInfo("Etc/GMT-14")


@dataclass(frozen=True)
class RecipientTime:
    day: date
    at: time

    @classmethod
    def of(cls, stored: dict) -> "RecipientTime":
        return cls(date.fromisoformat(stored["date"]), time.fromisoformat(stored["local_time"]))

    def stored(self) -> dict:
        return {"date": self.day.isoformat(), "local_time": self.at.strftime("%H:%M")}

    def in_zone(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.day, self.at, tzinfo=zone)

    @property
    def earliest(self) -> datetime:
        """When the first place on earth reaches it."""
        return self.in_zone(EARLIEST_ZONE)


@dataclass(frozen=True)
class Release:
    at: datetime
    zone: str


def release_for(wanted: RecipientTime, places: list[Place]) -> Release:
    """The moment the wanted time has come in every place (the latest of its readings), and where."""
    readings = [(wanted.in_zone(place.zone), place.zone.key) for place in places]
    at, zone = max(readings, key=lambda reading: reading[0])
    return Release(at, zone)
