"""The send worker's batches: many message.send_requested at once, with a few store round trips
for the whole batch instead of some twenty for each text.

A text that is plainly ready (just accepted, textable now, its user has a number) is claimed,
sent and recorded together with the others of its batch. Anything else (a redelivered or
reconciled message, a skip, a quiet-hours hold, a missing number, a cancelled job, an auto
reply, a per-number rate limit) goes through `delivery.deliver` one message at a time, which
re-reads what it needs. Claims, leases and the reconciliation of ambiguous sends are the same
either way (delivery.py), so a text still goes out at most once, whichever worker holds it.

A recipient's texts keep their order: a batch is sent in waves, each holding at most one text
per recipient, in the order Kafka gave them.
"""

import asyncio
import logging
from dataclasses import dataclass

from services.messaging.adapters.carrier import CarrierMessage, CarrierRejected, CarrierUnavailable
from services.messaging.domain import lifecycle
from services.messaging.domain.commands import RecordStatusCallback
from services.messaging.domain.model import status_from_carrier
from services.messaging.service_layer import message_events
from services.messaging.service_layer.delivery import (
    Courier,
    SendDeferred,
    bulk_texts_within_daily_quota,
    deliver,
    lease_covers_a_call,
    media_of,
    new_lease,
    quiet_hours_hold,
    recipient_time_release,
    reason_not_to_text,
    record_rejection,
    record_sent,
    send_claimed,
    sender_of,
    stop_if_stopping,
)
from services.messaging.service_layer.webhooks import apply_carrier_status, replay_unmatched_statuses
from shared.events.messaging import MessageSendRequested
from shared.tracing import within_item

log = logging.getLogger(__name__)

Request = tuple[str, MessageSendRequested]  # (account id, event)


async def deliver_batch(requests: list[Request], *, courier: Courier) -> None:
    """Handle a batch of message.send_requested. When some text of a wave could not reach the
    carrier, raises its SendDeferred once the wave is done and before the next wave starts (a
    later text to the same recipient must not overtake it): the batch is then redelivered, and
    what was sent already is not sent again."""
    for wave in in_waves(requests):
        stop_if_stopping(courier, f"a batch of {len(requests)} send requests")
        deferred = await _deliver_wave(wave, courier)
        if deferred:
            raise deferred[0]


def in_waves(requests: list[Request]) -> list[list[Request]]:
    """At most one request per recipient in each wave, each recipient's in their order."""
    waves: list[list[Request]] = []
    seen: dict[tuple[str, str], int] = {}
    for account_id, event in requests:
        recipient = (account_id, event.to_number)
        position = seen.get(recipient, 0)
        seen[recipient] = position + 1
        if position == len(waves):
            waves.append([])
        waves[position].append((account_id, event))
    return waves


@dataclass
class ReadyText:
    message: dict
    from_number: str


async def _deliver_wave(wave: list[Request], courier: Courier) -> list[SendDeferred]:
    """Send one wave; returns the SendDeferred of texts that could not reach the carrier."""
    ready, one_by_one = await _sort_out(wave, courier)
    batch, *singles = await asyncio.gather(
        _send_ready(ready, courier),
        *(deliver(event, account_id=account_id, courier=courier) for account_id, event in one_by_one),
        return_exceptions=True,
    )
    return (batch if isinstance(batch, list) else []) + _deferred_among([batch, *singles])


def _deferred_among(outcomes: list) -> list[SendDeferred]:
    """The SendDeferred among gathered outcomes; any other exception is raised."""
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, SendDeferred):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, SendDeferred)]


async def _sort_out(wave: list[Request], courier: Courier) -> tuple[list[ReadyText], list[Request]]:
    """Which texts are plainly ready to send now, read for the whole wave at once; the rest go one by one."""
    store, policy = courier.store, courier.policy
    if policy.segments_per_second > 0:
        return [], wave  # each number's rate spaces its texts out: one at a time anyway
    messages = await store.messages_by_ids([event.message_id for _, event in wave])
    mine = {
        event.message_id: (account_id, event)
        for account_id, event in wave
        if (message := messages.get(event.message_id)) is not None
        and message["account_id"] == account_id
        and message.get("direction") == "outbound"
    }  # the others are stale events: nothing to do, as in `deliver`
    moved_on = await store.messages_with_states(list(mine))
    candidates = [messages[message_id] for message_id in mine if message_id not in moved_on and not messages[message_id].get("auto_reply")]
    context = await _context_of(candidates, courier)
    ready = []
    for message in candidates:
        from_number = _ready_from(message, context, courier)
        if from_number is not None:
            ready.append(ReadyText(message, from_number))
    ready_ids = {text.message["_id"] for text in ready}
    return ready, [mine[message_id] for message_id in mine if message_id not in ready_ids]


@dataclass
class BatchContext:
    contacts: dict[tuple[str, str], dict]
    flags: dict[tuple[str, str, str], dict]
    jobs: dict[str, dict]
    settings: dict[str, dict]
    senders: dict[str, dict]


async def _context_of(messages: list[dict], courier: Courier) -> BatchContext:
    store = courier.store
    contacts, flags, jobs, settings, senders = await asyncio.gather(
        store.contact_snapshots([(message["account_id"], message["contact_id"]) for message in messages]),
        store.flags_of_recipients([(message["account_id"], message["to_number"], message["contact_id"]) for message in messages]),
        store.jobs_by_ids([message["bulk_job_id"] for message in messages if message.get("bulk_job_id")]),
        store.settings_of_accounts(list({message["account_id"] for message in messages})),
        store.sender_numbers([message["user_id"] for message in messages if not message.get("from_number")]),
    )
    return BatchContext(contacts, flags, jobs, settings, senders)


def _ready_from(message: dict, context: BatchContext, courier: Courier) -> str | None:
    """The number to send `message` from now, or None when it needs more than a plain send."""
    job = context.jobs.get(message.get("bulk_job_id") or "")
    if job is not None and job.get("cancelled_at"):
        return None
    contact = context.contacts.get((message["account_id"], message["contact_id"]))
    flags = context.flags[(message["account_id"], message["to_number"], message["contact_id"])]
    if contact is None or reason_not_to_text(message, contact, flags) is not None:
        return None
    if flags.get("review_item_id"):
        return None  # held while a reply of this phone awaits review
    if message.get("recipient_time") and recipient_time_release(courier.clock(), message, contact) is not None:
        return None  # held until its recipient's own time
    settings = context.settings[message["account_id"]]
    if courier.policy.quiet_hours_enforced and quiet_hours_hold(courier.clock(), message, contact, settings) is not None:
        return None
    return message.get("from_number") or sender_of(message, context.senders.get(message["user_id"]))


async def _send_ready(ready: list[ReadyText], courier: Courier) -> list[SendDeferred]:
    """Claim, send and record the ready texts; returns the SendDeferred of those that could not be sent."""
    within = {message["_id"] for message in await bulk_texts_within_daily_quota(courier, [text.message for text in ready])}
    ready = [text for text in ready if text.message["_id"] in within]
    if not ready:
        return []
    claims = await courier.store.add_states(
        [(text.message, lifecycle.SENDING, {"from_number": text.from_number, "lease": new_lease(courier)}, []) for text in ready]
    )
    claimed = [text for text in ready if text.message["_id"] in claims]  # the others: another worker has them
    results = await asyncio.gather(*(_first_attempt(courier, text, claims[text.message["_id"]]) for text in claimed), return_exceptions=True)
    sent = [(text.message, result) for text, result in zip(claimed, results, strict=True) if isinstance(result, CarrierMessage)]
    await _record_sent_many(courier, sent)
    return _deferred_among(results)


async def _first_attempt(courier: Courier, text: ReadyText, claim: dict) -> CarrierMessage | None:
    """One call to the carrier; a rejection is recorded, an unavailable carrier is retried as usual."""
    message = text.message
    async with courier.account_calls(message["account_id"]):
        if not await lease_covers_a_call(courier, claim):
            raise SendDeferred(f"message {message['_id']}: the lease ran out before the carrier could be called")
        try:
            with within_item(message["_id"]):
                return await courier.carrier.send(
                    to=message["to_number"], from_=text.from_number, body=message["body"], status_callback=courier.policy.status_callback_url,
                    **media_of(courier.policy, message),
                )
        except CarrierRejected as error:
            await record_rejection(courier.store, message, error)
            return None
        except CarrierUnavailable as error:
            log.warning("carrier unavailable for message %s (attempt 1): %s", message["_id"], error)
            await send_claimed(courier, message, claim, check_first=error.may_have_gone_out, attempts_made=1)
            return None


async def _record_sent_many(courier: Courier, sent: list[tuple[dict, CarrierMessage]]) -> None:
    """`delivery.record_sent` for many texts: their sids, `queued` states and message.sent events in a few writes."""
    if not sent:
        return
    store = courier.store
    owners = await store.remember_carrier_sids({result.sid: message["_id"] for message, result in sent})
    mine = [(message, result) for message, result in sent if owners[result.sid] == message["_id"]]
    for message, result in sent:
        if owners[result.sid] != message["_id"]:
            log.error("carrier message %s belongs to another message than %s", result.sid, message["_id"])
    queued = await store.add_states([
        (
            message,
            lifecycle.QUEUED,
            {"carrier_sid": result.sid, "from_number": result.from_, "segments": result.segments},
            [message_events.sent(message, carrier_sid=result.sid, from_number=result.from_, segments=result.segments)],
        )
        for message, result in mine
    ])
    for message, result in mine:
        if message["_id"] not in queued:  # recorded already: the one-at-a-time path tells a second text apart
            await record_sent(store, message, result)
    early = await store.sids_with_unmatched_statuses([result.sid for message, result in mine if message["_id"] in queued])
    for message, result in mine:
        if result.sid in early:
            await replay_unmatched_statuses(message["_id"], result.sid, store=store)
        if message["_id"] in queued and lifecycle.carrier_state(status_from_carrier(result.status) or ""):
            command = RecordStatusCallback(result.sid, result.status)
            await apply_carrier_status(message["_id"], await store.states_of(message["_id"]), command, store=store)
