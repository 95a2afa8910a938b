from datetime import datetime, timezone
from email.utils import format_datetime


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def rfc2822(moment: datetime | None) -> str | None:
    """Twilio's date format, e.g. 'Thu, 24 Aug 2023 05:01:45 +0000'."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(timezone.utc).replace(microsecond=0))
