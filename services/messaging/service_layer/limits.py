"""The account's limits on paid sending, checked where each applies:

- at request time, for a clear answer: texts per minute and per day for texts sent one at a time,
  the duplicate-content and per-recipient guards (one at a time), and for a bulk send its
  duplicate-content guard, the concurrent bulk sends and whether any of the day's quota is left;
- at send time, for bulk sends: each text takes one from the day's quota as it is sent, and the
  texts beyond it are skipped (reason `daily_limit`), so a job never overruns the day's quota.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.messaging.adapters.limits_store import SendingLimitsStore
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.conversations import conversation_id_for
from services.messaging.domain.limits import (
    DuplicateContent,
    LimitReached,
    RecentText,
    TextingLimits,
    burst_until,
    duplicate_until,
)
from shared.quotas import Usage, Window, day_window, minute_window

TEXTS_PER_MINUTE = "texts_per_minute"
TEXTS_PER_DAY = "texts_per_day"
# A recipient's texts change by compare-and-set. Each lost try means another text to them was
# counted, so a burst settles quickly; past this many tries the text is refused rather than let through.
RECIPIENT_TRIES = 50


@dataclass(frozen=True)
class SendingLimits:
    """The limits port: where counts are kept, and the platform's default limits."""

    store: SendingLimitsStore
    defaults: TextingLimits

    def of_account(self, account_settings: dict) -> TextingLimits:
        return self.defaults.with_overrides(account_settings.get("limits"))


def _at(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S UTC")


@dataclass(frozen=True)
class Taken:
    """Texts counted in the minute's and the day's quotas, to give back if the request is refused later."""

    account_id: str
    count: int
    minute: Window
    day: Window


async def take_texts(limits: SendingLimits, account_id: str, account_limits: TextingLimits, *, count: int) -> Taken:
    """Count `count` texts sent one at a time against the minute's and the day's quotas; LimitReached if either is full."""
    at = now()
    minute, day, buckets = minute_window(at), day_window(at), limits.store.buckets
    if not await buckets.take(account_id, TEXTS_PER_MINUTE, minute, count=count, limit=account_limits.texts_per_minute):
        raise LimitReached(
            TEXTS_PER_MINUTE,
            f"this account may send {account_limits.texts_per_minute} texts a minute one at a time; "
            f"try again at {_at(minute.resets_at)}",
            resets_at=minute.resets_at, allowed=account_limits.texts_per_minute,
        )
    if not await buckets.take(account_id, TEXTS_PER_DAY, day, count=count, limit=account_limits.texts_per_day):
        await buckets.give_back(account_id, TEXTS_PER_MINUTE, minute, count=count)
        raise _day_is_full(account_limits, day)
    return Taken(account_id, count, minute, day)


async def give_back(limits: SendingLimits, taken: Taken) -> None:
    buckets = limits.store.buckets
    await buckets.give_back(taken.account_id, TEXTS_PER_MINUTE, taken.minute, count=taken.count)
    await buckets.give_back(taken.account_id, TEXTS_PER_DAY, taken.day, count=taken.count)


def _day_is_full(account_limits: TextingLimits, day: Window) -> LimitReached:
    return LimitReached(
        TEXTS_PER_DAY,
        f"this account has sent its {account_limits.texts_per_day} texts for today; the quota resets at "
        f"{day.resets_at:%Y-%m-%d %H:%M} UTC",
        resets_at=day.resets_at, allowed=account_limits.texts_per_day,
    )


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:24]


async def guard_recipients(
    limits: SendingLimits, store: MessagingStore, account_id: str, account_limits: TextingLimits, *,
    phones: list[str], body: str, confirm_duplicate: bool,
) -> None:
    """Refuse the same body to the same person a moment ago (DuplicateContent, unless confirmed) and a
    burst of texts to one person with no reply between (LimitReached); otherwise note this text."""
    digest = body_digest(body)
    for e164 in phones:
        for _ in range(RECIPIENT_TRIES):
            recent, version = await limits.store.recent_texts(account_id, e164)
            at = now()
            await _check_recipient(store, account_id, account_limits, e164, recent, digest, at=at, confirm_duplicate=confirm_duplicate)
            kept = [text for text in recent if text.at > at - max(account_limits.duplicate_window, account_limits.recipient_window)]
            if await limits.store.record_text(account_id, e164, [*kept, RecentText(at, digest)], version=version):
                break
        else:
            raise _recipient_is_busy(e164)


def _recipient_is_busy(e164: str) -> LimitReached:
    return LimitReached(
        "texts_per_recipient",
        f"too many texts are going to {e164} at this moment; try again in a few seconds",
        resets_at=now() + timedelta(seconds=5), allowed=1,
    )


async def _check_recipient(
    store: MessagingStore, account_id: str, account_limits: TextingLimits, e164: str, recent: list[RecentText],
    digest: str, *, at: datetime, confirm_duplicate: bool,
) -> None:
    repeat_until = duplicate_until(recent, digest, now=at, window=account_limits.duplicate_window)
    if repeat_until is not None and not confirm_duplicate:
        raise DuplicateContent(
            "duplicate_content",
            f"the same text went to {e164} less than {account_limits.duplicate_window_minutes} minutes ago; "
            "send it again with confirm_duplicate: true if it is meant to go twice",
            resets_at=repeat_until, allowed=1,
        )
    window, most = account_limits.recipient_window, account_limits.recipient_max_texts
    if burst_until(recent, last_reply_at=None, now=at, window=window, max_texts=most) is None:
        return
    last_reply = await _last_reply_at(store, account_id, e164, since=at - window)
    allowed_at = burst_until(recent, last_reply_at=last_reply, now=at, window=window, max_texts=most)
    if allowed_at is not None:
        raise LimitReached(
            "texts_per_recipient",
            f"{most} texts went to {e164} in the last {account_limits.recipient_window_minutes} minutes with no reply; "
            f"the next one is allowed at {_at(allowed_at)}",
            resets_at=allowed_at, allowed=most,
        )


async def _last_reply_at(store: MessagingStore, account_id: str, e164: str, *, since: datetime) -> datetime | None:
    thread = await store.conversation_messages(conversation_id_for(account_id, e164), limit=500, after=since)
    replies = [message["created_at"] for message in thread if message["direction"] == "inbound"]
    return max(replies) if replies else None


async def admit_bulk_send(
    limits: SendingLimits, account_id: str, account_limits: TextingLimits, *, fingerprint: str, job_id: str,
    confirm_duplicate: bool, is_over,
) -> None:
    """A new bulk send: refused when the same one went out a moment ago (unless confirmed), when the
    day's quota is used up, or when the account has its most bulk sends going at once."""
    at, store = now(), limits.store
    last = await store.last_bulk_send(account_id, fingerprint)
    if last is not None and last > at - account_limits.duplicate_window and not confirm_duplicate:
        raise DuplicateContent(
            "duplicate_content",
            f"the same bulk send (same body, same people) was started less than {account_limits.duplicate_window_minutes} "
            "minutes ago; send it again with confirm_duplicate: true if it is meant to go twice",
            resets_at=last + account_limits.duplicate_window, allowed=1,
        )
    day = day_window(at)
    if await store.buckets.used(account_id, TEXTS_PER_DAY, day) >= account_limits.texts_per_day:
        raise _day_is_full(account_limits, day)
    if not await store.claim_bulk_slot(account_id, job_id, cap=account_limits.concurrent_bulk_sends, is_over=is_over):
        raise LimitReached(
            "concurrent_bulk_sends",
            f"this account already has {account_limits.concurrent_bulk_sends} bulk sends going; "
            "start this one when one of them has finished (or cancel one)",
            resets_at=None, allowed=account_limits.concurrent_bulk_sends,
        )
    await store.note_bulk_send(account_id, fingerprint, at)


async def take_for_bulk_texts(limits: SendingLimits, account_id: str, account_limits: TextingLimits, *, count: int) -> int:
    """At send time: how many of `count` bulk texts the day's quota still allows (they are counted)."""
    return await limits.store.buckets.take_up_to(account_id, TEXTS_PER_DAY, day_window(now()), count=count, limit=account_limits.texts_per_day)


async def usage(limits: SendingLimits, account_id: str, account_limits: TextingLimits) -> dict[str, Usage]:
    at, buckets = now(), limits.store.buckets
    return {
        TEXTS_PER_MINUTE: await buckets.usage(account_id, TEXTS_PER_MINUTE, minute_window(at), limit=account_limits.texts_per_minute),
        TEXTS_PER_DAY: await buckets.usage(account_id, TEXTS_PER_DAY, day_window(at), limit=account_limits.texts_per_day),
    }
