"""The account's limits on paid sending, and the refusals that tell the caller when they reset."""

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class TextingLimits:
    """Per account. The defaults come from the service's settings; an account's own values (set by
    the platform's operators in its texting settings, `limits`) replace them."""

    texts_per_minute: int  # texts accepted one at a time (the API), all users of the account together
    texts_per_day: int  # every text: one at a time, counted when accepted; bulk, counted as each is sent
    concurrent_bulk_sends: int  # bulk sends enqueuing or sending at once
    duplicate_window_minutes: int  # the same body to the same person within this needs confirm_duplicate
    recipient_max_texts: int  # texts to one person within the window below, with no reply between
    recipient_window_minutes: int

    def with_overrides(self, overrides: dict | None) -> "TextingLimits":
        names = {item.name for item in fields(self)}
        chosen = {name: int(value) for name, value in (overrides or {}).items() if name in names and value is not None}
        return replace(self, **chosen)

    @property
    def duplicate_window(self) -> timedelta:
        return timedelta(minutes=self.duplicate_window_minutes)

    @property
    def recipient_window(self) -> timedelta:
        return timedelta(minutes=self.recipient_window_minutes)


class LimitReached(Exception):
    """A limit refuses the request: `limit` names it, `resets_at` says when it allows it again (None:
    when something else ends, as a running bulk send)."""

    status_code = 429

    def __init__(self, limit: str, message: str, *, resets_at: datetime | None, allowed: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.resets_at = resets_at
        self.allowed = allowed


class DuplicateContent(LimitReached):
    """The same text to the same people a moment ago: sent again only when the caller confirms it."""

    status_code = 409


@dataclass(frozen=True)
class RecentText:
    at: datetime
    body_digest: str


def duplicate_until(recent: list[RecentText], body_digest: str, *, now: datetime, window: timedelta) -> datetime | None:
    """When the same body sent lately stops counting as a duplicate; None when it was not sent lately."""
    same = [text.at for text in recent if text.body_digest == body_digest and text.at > now - window]
    return max(same) + window if same else None


def burst_until(recent: list[RecentText], *, last_reply_at: datetime | None, now: datetime, window: timedelta, max_texts: int) -> datetime | None:
    """When one more text to this person is allowed again, if `max_texts` went out within `window`
    with no reply since; None when it is allowed now."""
    since = now - window if last_reply_at is None else max(now - window, last_reply_at)
    counted = sorted(text.at for text in recent if text.at > since)
    if len(counted) < max_texts:
        return None
    return counted[len(counted) - max_texts] + window
