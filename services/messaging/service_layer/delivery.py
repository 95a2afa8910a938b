"""The send worker's job: turn an accepted message into exactly one text at the carrier.

Two workers can never both send a message: sending starts by recording the
`sending` state, which only one insert can do (domain/lifecycle.py), and that
state holds a lease. A message found `sending` once its lease has run out is
ambiguous (a crash or timeout mid-call): the worker that takes it over (again one
insert) first looks for the text at the carrier and sends only if it is not there.

A worker calls the carrier only while its lease outlasts the call's timeout, extending
the lease first when it must (which succeeds only before the lease runs out). So by the
time a lease has run out, its holder has no carrier call in flight, and the worker taking
over sees at the carrier every text the holder sent.
"""

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from services.messaging.adapters.carrier import Carrier, CarrierMessage, CarrierRejected, CarrierUnavailable
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.review_items import ReviewStore
from services.messaging.domain import lifecycle, quiet_hours, recipient_time
from services.messaging.domain.carrier_errors import meaning_of
from services.messaging.domain.commands import RecordStatusCallback
from services.messaging.domain.encoding import segments_of
from services.messaging.domain.media_links import MediaLinks
from services.messaging.domain.model import find_phone, skip_reason, status_from_carrier
from services.messaging.service_layer import message_events
from services.messaging.service_layer.clock import Clock, system_clock
from services.messaging.service_layer.limits import SendingLimits, take_for_bulk_texts
from services.messaging.service_layer.phone_verdicts import remember_error_meaning
from services.messaging.service_layer.reviews import apply_deadline
from services.messaging.service_layer.sending import send_requested_event
from services.messaging.service_layer.webhooks import apply_carrier_status, replay_unmatched_statuses
from shared.events import Envelope
from shared.metrics.carrier_calls import count_retry
from shared.events.messaging import MessageSendRequested, NumberNeeded
from shared.tracing import within_item

log = logging.getLogger(__name__)

# A reconciled carrier message may have been created a little before our clock said we started.
CLOCK_SKEW = timedelta(minutes=2)
# Room between the end of a carrier call that timed out and the end of the lease it ran under.
LEASE_MARGIN = timedelta(seconds=2)


@dataclass(frozen=True)
class SendPolicy:
    status_callback_url: str
    attempts: int = 4
    backoff_seconds: float = 0.25
    lease: timedelta = timedelta(seconds=30)
    carrier_timeout: timedelta = timedelta(seconds=10)
    number_request_interval: timedelta = timedelta(seconds=60)
    segments_per_second: float = 1.0  # per sender number; 0 lifts the limit
    rate_max_wait: timedelta = timedelta(seconds=5)
    account_concurrency: int = 4
    quiet_hours_enforced: bool = True
    media_links: MediaLinks | None = None  # how a text's images are offered to the carrier


def media_urls_of(policy: SendPolicy, message: dict) -> list[str]:
    """Fresh signed links to the message's images (an MMS), made just before the carrier call."""
    media = message.get("media") or []
    if not media:
        return []
    if policy.media_links is None:
        raise RuntimeError("this worker has no media links configured, so it cannot send an MMS")
    return policy.media_links.urls_of(media, now=now())


@dataclass
class Courier:
    """What the send worker works with (the carrier is connected when the worker starts)."""

    store: MessagingStore
    policy: SendPolicy
    worker_id: str
    carrier: Carrier | None = None
    clock: Clock = system_clock
    reviews: ReviewStore | None = None
    limits: SendingLimits | None = None  # the day's quota, taken by bulk texts as they are sent
    # Set when the worker stops: calls in flight finish, no new one starts (see `lease_covers_a_call`).
    stopping: bool = False
    _account_calls: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    def account_calls(self, account_id: str) -> asyncio.Semaphore:
        """At most `account_concurrency` carrier calls at once for one account, in this process."""
        if account_id not in self._account_calls:
            self._account_calls[account_id] = asyncio.Semaphore(self.policy.account_concurrency)
        return self._account_calls[account_id]


class SendDeferred(Exception):
    """The carrier could not be reached (or the worker is stopping): the message stays `sending` and
    is reconciled when redelivered."""


def stop_if_stopping(courier: Courier, what: str) -> None:
    """Raise SendDeferred once the worker stops: its batch is then redelivered to the next worker."""
    if courier.stopping:
        raise SendDeferred(f"{what}: this worker is stopping; the next one takes it")


async def deliver(event: MessageSendRequested, *, account_id: str, courier: Courier) -> None:
    """Handle message.send_requested; a redelivered or stale event changes nothing."""
    message = await courier.store.message(account_id, event.message_id)
    if message is None or message.get("direction") != "outbound":
        return
    states = await courier.store.states_of(message["_id"])
    status = lifecycle.current_status(states)
    if status == "sending":
        await _reconcile(courier, message, states)
    elif status == "accepted":
        await _send_accepted(courier, message, states)
    elif status == "waiting_for_number":
        await _ask_for_number(courier, message)  # redelivered: finish what a crash may have left undone


async def _send_accepted(courier: Courier, message: dict, states: list[dict]) -> None:
    store = courier.store
    contact = await store.contact(message["account_id"], message["contact_id"]) if message["contact_id"] else None
    if await _stopped_before_sending(courier, message, contact):
        return
    if not message.get("auto_reply") and await _held_for_review(courier, message, states):
        return
    if message.get("recipient_time"):
        release = recipient_time_release(courier.clock(), message, contact)
        if release is not None:
            await _hold(courier, message, states, until=release.at, reason="recipient_time", zone=release.zone)
            return
    if not message.get("auto_reply"):
        quiet = await _quiet_hours_hold(courier, message, contact)
        if quiet is not None:
            await _hold(courier, message, states, until=quiet.until, reason="quiet_hours", zone=quiet.zone)
            return
    sender_number = await _sender_number(store, message)
    if sender_number is None:
        await _wait_for_number(courier, message, states)
        return
    waited = await _wait_for_rate(courier, message, states, sender_number)
    if waited is None:
        return  # held: the number's rate allows this text only later
    if waited and await _stopped_before_sending(courier, message):
        return  # tagged or cancelled while it waited
    if not await bulk_texts_within_daily_quota(courier, [message]):
        return
    async with courier.account_calls(message["account_id"]):
        claim = await store.add_state(
            message, lifecycle.SENDING, details={"from_number": sender_number, "lease": new_lease(courier)}
        )
        if claim is not None:  # else another worker has it
            await send_claimed(courier, message, claim, check_first=False)


async def bulk_texts_within_daily_quota(courier: Courier, messages: list[dict]) -> list[dict]:
    """The messages that may go now: every text not of a bulk send, and the bulk texts the day's
    quota still allows (counted now); the others are recorded skipped, reason `daily_limit`."""
    bulk_by_account: dict[str, list[dict]] = {}
    for message in messages:
        if message.get("bulk_job_id") and courier.limits is not None:
            bulk_by_account.setdefault(message["account_id"], []).append(message)
    if not bulk_by_account:
        return messages
    settings = await courier.store.settings_of_accounts(list(bulk_by_account))
    over: set[str] = set()
    for account_id, texts in bulk_by_account.items():
        account_limits = courier.limits.of_account(settings[account_id])
        granted = await take_for_bulk_texts(courier.limits, account_id, account_limits, count=len(texts))
        over.update(message["_id"] for message in texts[granted:])
    skipped = [message for message in messages if message["_id"] in over]
    if skipped:
        await courier.store.add_states([
            (message, lifecycle.final("skipped"), {"skip_reason": "daily_limit"}, [message_events.status_updated(message, "skipped")])
            for message in skipped
        ])
    return [message for message in messages if message["_id"] not in over]


async def _stopped_before_sending(courier: Courier, message: dict, contact: dict | None = None) -> bool:
    """Record why the message will not go out (its job cancelled, the phone no longer textable); True if so."""
    store = courier.store
    if message.get("bulk_job_id"):
        job = await store.job_by_id(message["bulk_job_id"])
        if job is not None and job.get("cancelled_at"):
            await store.add_state(
                message, lifecycle.final("cancelled"), events=[message_events.status_updated(message, "cancelled")]
            )
            return True
    reason = await _reason_not_to_text(store, message, contact)
    if reason:
        await store.add_state(
            message,
            lifecycle.final("skipped"),
            details={"skip_reason": reason},
            events=[message_events.status_updated(message, "skipped")],
        )
        return True
    return False


async def _reason_not_to_text(store: MessagingStore, message: dict, contact: dict | None = None) -> str | None:
    """Eligibility as of now: the contact may have been tagged DNC since the text was requested."""
    if message.get("auto_reply"):
        return None
    contact = contact or await store.contact(message["account_id"], message["contact_id"])
    reason = reason_not_to_text(message, contact, flags={})
    if reason is None:
        flags = await store.phone_flags(message["account_id"], message["to_number"], message["contact_id"])
        reason = reason_not_to_text(message, contact, flags)
    return reason


def reason_not_to_text(message: dict, contact: dict | None, flags: dict) -> str | None:
    """Why `message` must not go out, given its contact and what messaging learnt of the phone
    and the person (`flags`); None when it may. Confirmations of keywords (auto replies) go out
    whatever the phone's state."""
    if message.get("auto_reply"):
        return None
    phone = find_phone(contact, message["phone_id"])
    reason = skip_reason(contact, phone)
    if reason is None and phone["e164"] != message["to_number"]:
        return "number_changed"
    if reason is None and flags.get("opted_out"):
        return "opted_out"
    if reason is None and flags.get("unreachable"):
        return "unreachable"
    return reason


async def _held_for_review(courier: Courier, message: dict, states: list[dict]) -> bool:
    """Hold the text while a reply of this phone that may revoke consent awaits a texter's
    decision (until its deadline, or sooner when decided); past the deadline the opt-out applies
    here and now. True when the message did not go on."""
    flags = await courier.store.phone_flags(message["account_id"], message["to_number"], None)
    item_id = flags.get("review_item_id")
    if not item_id or courier.reviews is None:
        return False
    deadline = flags["review_deadline"]
    if courier.clock() >= deadline:
        await apply_deadline(item_id, store=courier.store, reviews=courier.reviews, at=courier.clock())
        return await _stopped_before_sending(courier, message)
    hold_id = await _hold(courier, message, states, until=deadline, reason="opt_out_review")
    await courier.reviews.note_held_message(item_id=item_id, hold_id=hold_id, message_id=message["_id"])
    return True


async def _quiet_hours_hold(courier: Courier, message: dict, contact: dict | None) -> quiet_hours.Hold | None:
    """Until when quiet hours hold the text (and where), or None while it may go."""
    if not courier.policy.quiet_hours_enforced:
        return None
    settings = await courier.store.account_settings(message["account_id"])
    return quiet_hours_hold(courier.clock(), message, contact, settings)


def quiet_hours_hold(at: datetime, message: dict, contact: dict | None, settings: dict) -> quiet_hours.Hold | None:
    """Until when the text must wait after `at` so that it is allowed everywhere the recipient
    may be (each zone of their number, and their address), or None while it may go."""
    phone = find_phone(contact, message["phone_id"]) or {"e164": message["to_number"]}
    contact = contact or {}
    places = quiet_hours.places_of(phone, contact.get("address_state"), contact.get("address_zip"))
    return quiet_hours.held_until(at, places, account_window(settings))


def recipient_time_release(at: datetime, message: dict, contact: dict | None) -> recipient_time.Release | None:
    """For a text scheduled in its recipient's own time: when that time comes everywhere they may
    be, or None once it has."""
    phone = find_phone(contact, message["phone_id"]) or {"e164": message["to_number"]}
    contact = contact or {}
    places = quiet_hours.places_of(phone, contact.get("address_state"), contact.get("address_zip"))
    release = recipient_time.release_for(recipient_time.RecipientTime.of(message["recipient_time"]), places)
    return release if release.at > at else None


def account_window(settings: dict) -> quiet_hours.Window | None:
    chosen = settings.get("quiet_hours")
    if not chosen:
        return None
    return quiet_hours.Window(time.fromisoformat(chosen["start"]), time.fromisoformat(chosen["end"]))


async def _sender_number(store: MessagingStore, message: dict) -> str | None:
    """The user's own number; an auto reply goes from the number the person texted."""
    if message.get("from_number"):
        return message["from_number"]
    return sender_of(message, await store.sender_number(message["user_id"]))


def sender_of(message: dict, sender: dict | None) -> str | None:
    """The number the message's user texts from, given their `sender_numbers` entry."""
    if sender is None or sender["account_id"] != message["account_id"]:
        return None
    return sender["phone_number"]


async def _hold(
    courier: Courier, message: dict, states: list[dict], *, until: datetime, reason: str, zone: str | None = None
) -> str:
    """Keep the message until `until` (durably: the holds releaser sends it again then); the hold's id."""
    held = lifecycle.held(lifecycle.next_round(states, "pause"))
    state_id = f"{message['_id']}:{held.key}"
    await courier.store.add_hold(state_id, message_id=message["_id"], key=held.key, release_at=until)
    details = {"release_at": until, "hold_reason": reason} | ({"hold_zone": zone} if zone else {})
    await courier.store.add_state(message, held, details=details)
    return state_id


async def _wait_for_rate(courier: Courier, message: dict, states: list[dict], sender_number: str) -> float | None:
    """Seconds waited for the sender number's next free slot; None when the wait is too long
    and the message was held instead."""
    policy = courier.policy
    if policy.segments_per_second <= 0:
        return 0.0
    cost = timedelta(seconds=segments_of(message["body"]) / policy.segments_per_second)
    at = now()
    slot = await courier.store.reserve_send_slot(sender_number, at=at, cost=cost, horizon=policy.rate_max_wait)
    wait = (slot - at).total_seconds()
    if slot - at > policy.rate_max_wait:
        await _hold(courier, message, states, until=courier.clock() + (slot - at), reason="sender_rate")
        return None
    if wait > 0:
        await asyncio.sleep(wait)
    return max(wait, 0.0)


async def _wait_for_number(courier: Courier, message: dict, states: list[dict]) -> None:
    store = courier.store
    waiting = await store.add_state(
        message,
        lifecycle.waiting(lifecycle.next_round(states, "pause")),
        events=[message_events.status_updated(message, "waiting_for_number")],
    )
    if waiting is not None:
        await _ask_for_number(courier, message)


async def _ask_for_number(courier: Courier, message: dict) -> None:
    """number.needed, at most once per interval per user: one request per window of the clock
    (a unique insert), and none in a window that starts less than an interval after the last."""
    store, at, interval = courier.store, now(), courier.policy.number_request_interval
    window = number_request_window(at, interval)
    last = await store.number_request(message["user_id"], window - 1)
    if last is None or at - last["at"] >= interval:
        needed = Envelope.wrap(NumberNeeded(user_id=message["user_id"]), account_id=message["account_id"], subject=message["user_id"])
        await store.request_number(user_id=message["user_id"], account_id=message["account_id"], window=window, event=needed)
    # The number may have been provisioned between our look-up and the insert above.
    if await store.sender_number(message["user_id"]) is not None:
        await release_waiting_messages(store, message["user_id"])


def number_request_window(at: datetime, interval: timedelta) -> int:
    return int(at.timestamp() // interval.total_seconds())


async def release_waiting_messages(store: MessagingStore, user_id: str) -> int:
    """Request again every message of this user that waits for a number; returns how many."""
    released = 0
    for waiting in await store.waiting_states(user_id):
        states = await store.states_of(waiting["message_id"])
        if lifecycle.current(states)["key"] != waiting["key"]:
            continue  # released already, or moved on
        message = await store.message_by_id(waiting["message_id"])
        round_ = int(waiting["key"].split(":")[1])
        moved = await store.add_state(message, lifecycle.released(round_), events=[send_requested_event(message)])
        released += moved is not None
    return released


async def _reconcile(courier: Courier, message: dict, states: list[dict]) -> None:
    """A message left `sending`: wait out a live lease, take it over, then look before sending."""
    latest = lifecycle.current(states)
    while True:
        claim = await _await_lease(courier, message, latest)
        if claim is None:
            return
        states = await courier.store.states_of(message["_id"])
        latest = lifecycle.current(states)
        if latest["_id"] == claim["_id"]:
            break
        if latest["status"] != "sending":
            return
        # another worker took it over while we waited: wait out their lease in turn
    takeover = lifecycle.takeover(lifecycle.next_round(states, "takeover"))
    details = {"from_number": claim["from_number"], "lease": new_lease(courier, started_at=claim["lease"]["started_at"])}
    mine = await courier.store.add_state(message, takeover, details=details)
    if mine is not None:  # else another worker took it over first
        log.warning("reconciling message %s left in 'sending' by %s", message["_id"], claim["lease"]["by"])
        await send_claimed(courier, message, mine, check_first=True)


async def _await_lease(courier: Courier, message: dict, claim: dict) -> dict | None:
    """`claim` once no other worker's lease on it is live; None once the message moved on."""
    while True:
        lease = claim["lease"]
        if lease["by"] == courier.worker_id or lease["until"] <= now():
            return claim
        stop_if_stopping(courier, f"message {message['_id']}")
        await asyncio.sleep(min(1.0, (lease["until"] - now()).total_seconds()) + 0.01)
        latest = lifecycle.current(await courier.store.states_of(message["_id"]))
        if latest["status"] != "sending":
            return None
        claim = latest


async def send_claimed(courier: Courier, message: dict, claim: dict, *, check_first: bool, attempts_made: int = 0) -> None:
    policy, must_look = courier.policy, check_first
    for attempt in range(attempts_made, policy.attempts):
        if attempt:
            await asyncio.sleep(_backoff(policy, attempt))
            if not await _still_mine(courier, message, claim):
                return
            count_retry("messages.create")
        if not await lease_covers_a_call(courier, claim):
            raise SendDeferred(f"message {message['_id']}: the lease ran out before the carrier could be called")
        try:
            if must_look:
                found = await _find_at_carrier(courier, message, claim)
                if found is not None:
                    await record_sent(courier.store, message, found)
                    return
                must_look = False
            with within_item(message["_id"]):
                result = await courier.carrier.send(
                    to=message["to_number"],
                    from_=claim["from_number"],
                    body=message["body"],
                    status_callback=policy.status_callback_url,
                    **media_of(policy, message),
                )
        except CarrierRejected as error:
            await record_rejection(courier.store, message, error)
            return
        except CarrierUnavailable as error:
            must_look = must_look or error.may_have_gone_out
            log.warning("carrier unavailable for message %s (attempt %d): %s", message["_id"], attempt + 1, error)
            continue
        await record_sent(courier.store, message, result)
        return
    raise SendDeferred(f"message {message['_id']}: carrier unavailable after {policy.attempts} attempts")


def media_of(policy: SendPolicy, message: dict) -> dict:
    """The carrier call's media_urls argument, for a text with images only."""
    urls = media_urls_of(policy, message)
    return {"media_urls": urls} if urls else {}


async def _still_mine(courier: Courier, message: dict, claim: dict) -> bool:
    """Whether our claim is still the message's latest state (no other worker took it over)."""
    latest = lifecycle.current(await courier.store.states_of(message["_id"]))
    return latest["_id"] == claim["_id"]


async def lease_covers_a_call(courier: Courier, claim: dict) -> bool:
    """Make sure our lease outlasts a carrier call that starts now; False once it has run out.

    A stopping worker starts no call: it ends its lease (no call of its is in flight for this
    text), so the worker that reads the text next takes it over at once, looking at the carrier
    first, instead of waiting the lease out."""
    if courier.stopping:
        await courier.store.release_lease(claim["_id"])
        stop_if_stopping(courier, f"claim {claim['_id']}")
    policy = courier.policy
    if claim["lease"]["until"] - now() > policy.carrier_timeout + LEASE_MARGIN:
        return True
    until = now() + policy.lease
    if not await courier.store.extend_lease(claim["_id"], until):
        return False
    claim["lease"]["until"] = until
    return True


async def _find_at_carrier(courier: Courier, message: dict, claim: dict) -> CarrierMessage | None:
    """The carrier's record of this very text, if an earlier attempt reached it."""
    since = claim["lease"]["started_at"] - CLOCK_SKEW
    try:
        candidates = await courier.carrier.messages_between(to=message["to_number"], from_=claim["from_number"], sent_after=since)
    except CarrierRejected as error:
        raise CarrierUnavailable(f"cannot list the carrier's messages: {error}", may_have_gone_out=True) from error
    for candidate in candidates:
        recent = candidate.date_created is None or candidate.date_created >= since
        if recent and candidate.body == message["body"]:
            owner = await courier.store.message_id_of_sid(candidate.sid)
            if owner in (None, message["_id"]):  # not another message's text
                return candidate
    return None


async def record_sent(store: MessagingStore, message: dict, result: CarrierMessage) -> None:
    if await store.remember_carrier_sid(result.sid, message["_id"]) != message["_id"]:
        log.error("carrier message %s belongs to another message than %s", result.sid, message["_id"])
        return
    details = {"carrier_sid": result.sid, "from_number": result.from_, "segments": result.segments}
    event = message_events.sent(message, carrier_sid=result.sid, from_number=result.from_, segments=result.segments)
    queued = await store.add_state(message, lifecycle.QUEUED, details=details, events=[event])
    if queued is None:
        states = await store.states_of(message["_id"])
        if not any(state.get("carrier_sid") == result.sid for state in states):
            log.error("message %s was already recorded as sent; carrier message %s is a second text", message["_id"], result.sid)
        return
    await replay_unmatched_statuses(message["_id"], result.sid, store=store)
    if lifecycle.carrier_state(status_from_carrier(result.status) or ""):  # a reconciled text may be further along
        command = RecordStatusCallback(result.sid, result.status)
        await apply_carrier_status(message["_id"], await store.states_of(message["_id"]), command, store=store)


async def record_rejection(store: MessagingStore, message: dict, error: CarrierRejected) -> None:
    log.info("carrier rejected message %s: %s (code %s)", message["_id"], error, error.code)
    meaning = meaning_of(error.code)
    reason = meaning.reason if meaning else str(error)
    await remember_error_meaning(store, message, error.code)  # first, so no later send slips through
    await store.add_state(
        message,
        lifecycle.final("failed"),
        details={
            "error_code": error.code,
            "failure_reason": reason,
            "failure_kind": meaning.verdict if meaning else "rejected",
            "rejected": True,
        },
        events=[
            message_events.status_updated(message, "failed", error_code=error.code),
            message_events.failed(message, reason=reason, error_code=error.code),
        ],
    )


def new_lease(courier: Courier, *, started_at: datetime | None = None) -> dict:
    at = now()
    return {"by": courier.worker_id, "until": at + courier.policy.lease, "started_at": started_at or at}


def _backoff(policy: SendPolicy, attempt: int) -> float:
    """Exponential, with jitter so that many workers do not retry in step."""
    return policy.backoff_seconds * (2 ** (attempt - 1)) * (0.5 + random.random())
