"""Scheduled sends: a text or a bulk send kept until its time, listed, edited and cancelled until then,
and at its time handed to the normal send path, so that eligibility, opt-outs, quotas and quiet hours
are those of that moment. Each start runs under the idempotency key `scheduled:<id>`: a start that
a dead process left half done, taken up again once its lease runs out, creates nothing twice."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from services.messaging.adapters.contacts_directory import ContactsDirectory, SelectionRejected
from services.messaging.adapters.idempotency import IdempotencyKeys, KeyReused
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import derived_id
from services.messaging.adapters.store.scheduled_sends import ScheduledSendStore
from services.messaging.domain.commands import SendText
from services.messaging.domain.fingerprints import request_fingerprint
from services.messaging.domain.limits import DuplicateContent, LimitReached
from services.messaging.domain.media import InvalidMedia
from services.messaging.domain.model import InvalidBody, clean_body
from services.messaging.domain.schedules import REFUSED, SCHEDULED, STARTED, InvalidSchedule, recipient_send_time, send_time
from services.messaging.service_layer import bulk, canned_replies, sending
from services.messaging.service_layer.canned_replies import CannedReplyNotFound
from services.messaging.service_layer.clock import Clock
from services.messaging.service_layer.limits import SendingLimits
from shared.caller import Caller
from shared.events import Envelope, ScheduledSendCancelled, ScheduledSendCreated, ScheduledSendStarted, ScheduledSendUpdated

EDITABLE = ("body", "send_at", "time_zone")


class ScheduleNotFound(Exception):
    pass


class NotYours(Exception):
    pass


class NoLongerWaiting(Exception):
    """The send has started, or was cancelled: it can no longer be changed."""


class TooManyForTexter(Exception):
    pass


@dataclass(frozen=True)
class ScheduleSend:
    caller: Caller
    kind: str  # "text" or "bulk_send"
    body: str
    send_at: datetime | None
    time_zone: str
    contact_id: str | None = None
    canned_reply_id: str | None = None
    contact_ids: list[str] | None = None
    selection_filter: dict | None = None
    idempotency_key: str | None = None
    confirm_duplicate: bool = False
    media_ids: tuple[str, ...] = ()
    recipient_time: tuple[date, time] | None = None  # a bulk send at this time in each recipient's own zone


@dataclass
class Starter:
    """What starting a due send needs: the stores and limits of the normal send path, and who is claiming."""

    schedules: ScheduledSendStore
    store: MessagingStore
    keys: IdempotencyKeys
    limits: SendingLimits
    directory: ContactsDirectory
    clock: Clock
    claimer: str
    lease: timedelta
    texter_bulk_max: int
    on_change: Any = field(default=lambda: None)


async def schedule_send(command: ScheduleSend, *, schedules: ScheduledSendStore, store: MessagingStore, now: datetime) -> dict:
    """Check everything, then store the schedule with its scheduled_send.created event; the same
    idempotency key with the same content answers with the first, with other content KeyReused."""
    recipient = recipient_send_time(*command.recipient_time, command.time_zone, now=now) if command.recipient_time else None
    when = recipient.shown if recipient else send_time(command.send_at, command.time_zone, now=now)
    await _check_content(command, store)
    account_id = command.caller.account_id
    content = {name: value for name, value in vars(command).items() if name not in ("caller", "idempotency_key", "recipient_time")}
    if recipient:
        content["recipient_time"] = recipient.wanted.stored()
    if not command.media_ids:
        del content["media_ids"]
    fingerprint = request_fingerprint(**{**content, "send_at": when.at.isoformat()})  # the moment, however it was written
    schedule_id = derived_id("schedule", account_id, command.idempotency_key) if command.idempotency_key else uuid4().hex
    schedule = {
        "_id": schedule_id,
        "account_id": account_id,
        "user_id": command.caller.user_id,
        "role": command.caller.role,
        "kind": command.kind,
        "body": command.body,
        "contact_id": command.contact_id,
        "canned_reply_id": command.canned_reply_id,
        "contact_ids": command.contact_ids,
        "selection_filter": command.selection_filter,
        "confirm_duplicate": command.confirm_duplicate,
        **({"media_ids": list(command.media_ids)} if command.media_ids else {}),
        "send_at": when.at,
        "time_zone": when.time_zone,
        "due_at": recipient.due_at if recipient else when.at,
        "starts_at": recipient.due_at if recipient else when.at,
        "recipient_time": recipient.wanted.stored() if recipient else None,
        "status": SCHEDULED,
        "version": 1,
        "attempts": 0,
        "fingerprint": fingerprint,
        "created_at": now,
        "updated_at": now,
    }
    event = ScheduledSendCreated(
        scheduled_send_id=schedule_id, kind=command.kind, user_id=command.caller.user_id, contact_id=command.contact_id,
        contacts=len(set(command.contact_ids)) if command.contact_ids is not None else None,
        body=command.body, send_at=when.at, time_zone=when.time_zone,
        recipient_time=recipient.wanted.stored() if recipient else None,
    )
    stored, created = await schedules.add(schedule, _wrap(event, account_id, schedule_id))
    if not created and stored["fingerprint"] != fingerprint:
        raise KeyReused(command.idempotency_key, stored["created_at"])
    return stored


async def _check_content(command: ScheduleSend, store: MessagingStore) -> None:
    account_id = command.caller.account_id
    media = await sending.attachments_of(store, account_id, list(command.media_ids))
    if command.canned_reply_id is not None:
        reply = await canned_replies.usable_canned_reply(account_id, command.caller.user_id, command.canned_reply_id, store=store)
        if not command.body.strip():
            clean_body(reply["body"], with_media=bool(media))
            return
    clean_body(command.body, with_media=bool(media))
    if command.contact_id is not None:
        contact = await store.contact(account_id, command.contact_id)
        if contact is None or contact.get("deleted"):
            raise sending.ContactNotFound(command.contact_id)


async def schedule_of(caller: Caller, schedule_id: str, *, schedules: ScheduledSendStore) -> dict:
    """The schedule, if the caller may see it (a texter only their own)."""
    schedule = await schedules.get(caller.account_id, schedule_id)
    if schedule is None:
        raise ScheduleNotFound(f"scheduled send {schedule_id} not found")
    if caller.role == "texter" and schedule["user_id"] != caller.user_id:
        raise NotYours("a texter may see and change only their own scheduled sends")
    return schedule


async def list_schedules(caller: Caller, *, schedules: ScheduledSendStore, status: str | None, limit: int) -> list[dict]:
    """The account's scheduled sends, latest time first (a texter's: their own)."""
    user_id = caller.user_id if caller.role == "texter" else None
    return await schedules.list(caller.account_id, user_id=user_id, status=status, limit=limit)


async def edit_schedule(
    caller: Caller, schedule_id: str, changes: dict, *, schedules: ScheduledSendStore, now: datetime
) -> dict:
    """Change the body or the time of a send that has not started; NoLongerWaiting once it has."""
    schedule = await schedule_of(caller, schedule_id, schedules=schedules)
    _still_waiting(schedule)
    fields: dict[str, Any] = {}
    if "body" in changes:
        if changes["body"].strip() or schedule.get("canned_reply_id") is None:
            clean_body(changes["body"], with_media=bool(schedule.get("media_ids")))
        fields["body"] = changes["body"]
    if "send_at" in changes or "time_zone" in changes:
        zone = changes.get("time_zone") or schedule["time_zone"]
        moment = changes.get("send_at") or schedule["send_at"]
        when = send_time(moment, zone, now=now)
        fields.update(send_at=when.at, due_at=when.at, starts_at=when.at, time_zone=when.time_zone, recipient_time=None)  # now one moment for all
    if not fields:
        return schedule
    fields["updated_at"] = now
    merged = {**schedule, **fields}
    event = ScheduledSendUpdated(
        scheduled_send_id=schedule_id, kind=schedule["kind"], user_id=schedule["user_id"], by_user_id=caller.user_id,
        body=merged["body"], send_at=merged["send_at"], time_zone=merged["time_zone"],
        changed=sorted(name for name in EDITABLE if name in changes),
    )
    changed = await schedules.change_waiting(schedule, fields, _wrap(event, caller.account_id, schedule_id))
    if changed is None:
        return await edit_schedule(caller, schedule_id, changes, schedules=schedules, now=now)  # changed meanwhile: look again
    return changed


async def cancel_schedule(caller: Caller, schedule_id: str, *, schedules: ScheduledSendStore, now: datetime) -> dict:
    """Cancel a send that has not started (cancelling it again answers the same)."""
    schedule = await schedule_of(caller, schedule_id, schedules=schedules)
    if schedule["status"] == "cancelled":
        return schedule
    _still_waiting(schedule)
    event = ScheduledSendCancelled(scheduled_send_id=schedule_id, kind=schedule["kind"], user_id=schedule["user_id"], by_user_id=caller.user_id)
    cancelled = await schedules.cancel(schedule, at=now, by_user_id=caller.user_id, event=_wrap(event, caller.account_id, schedule_id))
    if cancelled is None:
        return await cancel_schedule(caller, schedule_id, schedules=schedules, now=now)
    return cancelled


def _still_waiting(schedule: dict) -> None:
    if schedule["status"] != SCHEDULED:
        raise NoLongerWaiting(f"this scheduled send is {schedule['status']} and can no longer be changed")


async def start_due(starter: Starter, *, most: int = 50) -> int:
    """Start the sends whose time has come, one claim at a time; how many were started."""
    started = 0
    while started < most:
        schedule = await starter.schedules.claim_due(now=starter.clock(), claimer=starter.claimer, lease=starter.lease)
        if schedule is None:
            break
        await _start(starter, schedule)
        started += 1
        starter.on_change()
    return started


async def _start(starter: Starter, schedule: dict) -> None:
    caller = Caller(account_id=schedule["account_id"], user_id=schedule["user_id"], role=schedule["role"])
    key = f"scheduled:{schedule['_id']}"
    try:
        result = await (_start_text if schedule["kind"] == "text" else _start_bulk_send)(starter, schedule, caller, key)
    except LimitReached as error:
        if error.resets_at is not None and not isinstance(error, DuplicateContent):
            await starter.schedules.postpone(schedule, until=error.resets_at, note=str(error))
            return
        await _finish(starter, schedule, REFUSED, reason=str(error))
    except sending.NothingTextable as error:
        reasons = sorted({skipped["reason"] for skipped in error.skipped})
        await _finish(starter, schedule, REFUSED, reason=f"{error} ({', '.join(reasons)})")
    except (InvalidBody, InvalidMedia, sending.ContactNotFound, CannedReplyNotFound, KeyReused, SelectionRejected, TooManyForTexter) as error:
        await _finish(starter, schedule, REFUSED, reason=str(error) or type(error).__name__)
    else:
        await _finish(starter, schedule, STARTED, **result)


async def _start_text(starter: Starter, schedule: dict, caller: Caller, key: str) -> dict:
    command = SendText(
        account_id=caller.account_id, user_id=caller.user_id, contact_id=schedule["contact_id"], body=schedule["body"],
        idempotency_key=key, canned_reply_id=schedule.get("canned_reply_id"), confirm_duplicate=schedule["confirm_duplicate"],
        media_ids=tuple(schedule.get("media_ids", ())),
    )
    outcome = await sending.send_text(command, store=starter.store, keys=starter.keys, limits=starter.limits, contact_wait_seconds=0)
    return {"message_ids": [message["_id"] for message in outcome.messages]}


async def _start_bulk_send(starter: Starter, schedule: dict, caller: Caller, key: str) -> dict:
    contact_ids, selection_filter = schedule.get("contact_ids"), schedule.get("selection_filter")
    if caller.role == "texter":
        size = len(set(contact_ids)) if contact_ids is not None else await starter.directory.count(caller, selection_filter or {})
        if size > starter.texter_bulk_max:
            raise TooManyForTexter(f"a texter may bulk-send to at most {starter.texter_bulk_max} contacts and this selection now holds {size}")
    command = bulk.StartBulkSend(
        caller=caller, body=schedule["body"], contact_ids=contact_ids, selection_filter=selection_filter,
        idempotency_key=key, confirm_duplicate=schedule["confirm_duplicate"], media_ids=tuple(schedule.get("media_ids", ())),
        recipient_time=schedule.get("recipient_time"),
    )
    job = await bulk.start_bulk_send(command, store=starter.store, directory=starter.directory, keys=starter.keys, limits=starter.limits)
    return {"bulk_job_id": job["_id"]}


async def _finish(starter: Starter, schedule: dict, status: str, *, message_ids=(), bulk_job_id=None, reason=None) -> None:
    event = ScheduledSendStarted(
        scheduled_send_id=schedule["_id"], kind=schedule["kind"], user_id=schedule["user_id"],
        outcome="sent" if status == STARTED else "refused", message_ids=list(message_ids), bulk_job_id=bulk_job_id, reason=reason,
    )
    fields = {"started_at": starter.clock(), "message_ids": list(message_ids), "bulk_job_id": bulk_job_id, "refused_because": reason}
    await starter.schedules.finish(schedule, status=status, fields=fields, event=_wrap(event, schedule["account_id"], schedule["_id"]))


def _wrap(data, account_id: str, schedule_id: str) -> Envelope:
    return Envelope.wrap(data, account_id=account_id, subject=schedule_id)
