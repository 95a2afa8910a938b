"""A bulk send: one job, one message per (contact, textable cell phone), each under an
idempotency key of the job, written many at a time; live progress and cancel."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from services.messaging.adapters.contacts_directory import ContactsDirectory
from services.messaging.adapters.idempotency import Claim, IdempotencyKeys
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import derived_id, now
from services.messaging.adapters.store.conversations import conversation_id_for
from services.messaging.adapters.store.messages import message_id_for
from services.messaging.domain.fingerprints import request_fingerprint
from services.messaging.domain.limits import LimitReached
from services.messaging.domain.merge_fields import render
from services.messaging.domain.model import InvalidBody, clean_body
from services.messaging.service_layer.limits import SendingLimits, admit_bulk_send
from services.messaging.service_layer.sending import attachments_of, registration_warnings, send_requested_event, textable_phones
from shared.caller import Caller

# Contacts are read by id, a page at a time.
PAGE = 10_000
MAX_EXPLICIT_IDS = 50_000
# A job still enqueuing this long after it was created was left by a process that died: it holds no slot.
ENQUEUING_GIVEN_UP_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class StartBulkSend:
    caller: Caller
    body: str
    contact_ids: list[str] | None = None
    selection_filter: dict | None = None
    idempotency_key: str | None = None
    confirm_duplicate: bool = False
    media_ids: tuple[str, ...] = ()  # uploaded images: every text goes as an MMS
    recipient_time: dict | None = None  # {"date", "local_time"}: each text waits for that time where its recipient is


class JobNotFound(Exception):
    pass


async def start_bulk_send(
    command: StartBulkSend, *, store: MessagingStore, directory: ContactsDirectory | None, keys: IdempotencyKeys,
    limits: SendingLimits,
) -> dict:
    """Create the job and enqueue all its messages (returns once every one is recorded with its event).
    Everything is checked before anything is written: the body, the selection (its first page is
    read first, so a filter the contacts service refuses writes nothing), the idempotency key
    (KeyReused when it was used for other content) and, for a new request, the account's limits
    (LimitReached, DuplicateContent)."""
    account_id = command.caller.account_id
    media = await attachments_of(store, account_id, list(command.media_ids))
    clean_body(command.body, with_media=bool(media))
    pages = pages_of_ids(command, directory)
    first_page = await anext(pages, None)
    fingerprint, claim = fingerprint_of(command), Claim.NEW
    if command.idempotency_key is not None:
        claim = await keys.claim(account_id=account_id, kind="bulk_send", key=command.idempotency_key, fingerprint=fingerprint)
    job_id = derived_id("bulk", account_id, command.idempotency_key or uuid4().hex)
    if claim is Claim.NEW:
        try:
            await _admit(command, store=store, limits=limits, job_id=job_id, fingerprint=fingerprint)
        except LimitReached:
            if command.idempotency_key is not None:
                await keys.release(account_id=account_id, kind="bulk_send", key=command.idempotency_key, fingerprint=fingerprint)
            raise
    job = await store.add_job(_new_job(job_id, command, media, await registration_warnings(store, account_id)))
    if job.get("enqueued_at"):
        return job  # the same request again
    if first_page is not None:
        await _enqueue_page(store, job, 0, first_page)
        page = 1
        async for contact_ids in pages:
            await _enqueue_page(store, job, page, contact_ids)
            page += 1
    await store.update_job(job_id, set_fields={"enqueued_at": now()})
    return await store.job_by_id(job_id)


async def _admit(command: StartBulkSend, *, store: MessagingStore, limits: SendingLimits, job_id: str, fingerprint: str) -> None:
    account_id = command.caller.account_id
    account_limits = limits.of_account(await store.account_settings(account_id))

    async def is_over(held_by: str, held_since: datetime) -> bool:
        return await job_is_over(store, held_by, held_since)

    await admit_bulk_send(
        limits, account_id, account_limits, fingerprint=fingerprint, job_id=job_id,
        confirm_duplicate=command.confirm_duplicate, is_over=is_over,
    )


async def job_is_over(store: MessagingStore, job_id: str, held_since: datetime) -> bool:
    """Whether a bulk send no longer holds one of its account's slots: done, cancelled, or given up."""
    job = await store.job_by_id(job_id)
    if job is None:  # its request stopped between taking the slot and storing the job
        return now() - held_since > ENQUEUING_GIVEN_UP_AFTER
    status = progress_of(job)["status"]
    if status == "enqueuing":
        return now() - job["created_at"] > ENQUEUING_GIVEN_UP_AFTER
    return status in ("completed", "cancelled", "cancelling")


def fingerprint_of(command: StartBulkSend) -> str:
    media = {"media_ids": list(command.media_ids)} if command.media_ids else {}
    return request_fingerprint(body=command.body, contact_ids=command.contact_ids, selection_filter=command.selection_filter, **media)


def _new_job(job_id: str, command: StartBulkSend, media: list[dict], warnings: list[str]) -> dict:
    return {
        "_id": job_id,
        "account_id": command.caller.account_id,
        "user_id": command.caller.user_id,
        "body": command.body,
        **({"media": media} if media else {}),
        "selection": {"filter": command.selection_filter} if command.selection_filter is not None else None,
        "contacts": 0,
        "total": 0,
        "counts": {},
        "warnings": warnings,
        "created_at": now(),
        "enqueued_at": None,
        "cancelled_at": None,
        "recipient_time": command.recipient_time,
    }


async def pages_of_ids(command: StartBulkSend, directory: ContactsDirectory | None) -> AsyncIterator[list[str]]:
    if command.contact_ids is not None:
        unique = list(dict.fromkeys(command.contact_ids))
        for start in range(0, len(unique), PAGE):
            yield unique[start : start + PAGE]
        return
    async for page in directory.selected_ids(command.caller, command.selection_filter or {}):
        for start in range(0, len(page), PAGE):
            yield page[start : start + PAGE]


async def _enqueue_page(store: MessagingStore, job: dict, page: int, contact_ids: list[str]) -> None:
    """One page of contacts: their messages and events in one write; skips counted by reason.
    A page enqueued again (the same request retried, or resumed after a crash) counts once."""
    account_id, found = job["account_id"], await store.contacts_by_ids(job["account_id"], contact_ids)
    known_flags = await store.flags_of_contacts(account_id, list(found.values()))
    messages, skipped = [], {}
    for contact_id in contact_ids:
        contact = found.get(contact_id)
        if contact is None:
            skipped["contact_not_found"] = skipped.get("contact_not_found", 0) + 1
            continue
        textable, not_textable = await textable_phones(store, account_id, contact, known_flags)
        for phone in not_textable:
            skipped[phone["reason"]] = skipped.get(phone["reason"], 0) + 1
        try:
            body = clean_body(render(job["body"], contact), with_media=bool(job.get("media")))
        except InvalidBody:
            skipped["empty_body"] = skipped.get("empty_body", 0) + len(textable)
            continue
        messages.extend(_message(job, contact_id, phone, body) for phone in textable)
    await asyncio.gather(
        store.add_messages(messages, [send_requested_event(message) for message in messages]),
        store.touch_conversations(account_id=account_id, user_id=job["user_id"], messages=messages),
    )
    inc: dict[str, Any] = {"contacts": len(contact_ids), "total": len(messages) + sum(skipped.values())}
    inc.update({f"counts.skipped.{reason}": count for reason, count in skipped.items()})
    inc["counts.done"] = sum(skipped.values())
    await store.count_page(job["_id"], page, inc)


def _message(job: dict, contact_id: str, phone: dict, body: str) -> dict:
    key = f"bulk:{job['_id']}:{contact_id}:{phone['phone_id']}"
    return {
        "_id": message_id_for(job["account_id"], key),
        "account_id": job["account_id"],
        "direction": "outbound",
        "user_id": job["user_id"],
        "contact_id": contact_id,
        "phone_id": phone["phone_id"],
        "conversation_id": conversation_id_for(job["account_id"], phone["e164"]),
        "to_number": phone["e164"],
        "body": body,
        **({"media": job["media"]} if job.get("media") else {}),
        "bulk_job_id": job["_id"],
        "idempotency_key": key,
        "created_at": now(),
        **({"recipient_time": job["recipient_time"]} if job.get("recipient_time") else {}),
    }


async def job_progress(account_id: str, job_id: str, *, store: MessagingStore) -> dict:
    job = await store.job(account_id, job_id)
    if job is None:
        raise JobNotFound(f"bulk send {job_id} not found")
    return progress_of(job)


async def cancel_job(account_id: str, job_id: str, *, store: MessagingStore) -> dict:
    """Stop every message of the job not sent yet (workers record them cancelled as they reach them)."""
    job = await store.cancel_job(account_id, job_id)
    if job is None:
        raise JobNotFound(f"bulk send {job_id} not found")
    return progress_of(job)


def progress_of(job: dict) -> dict:
    counts = job.get("counts") or {}
    done = counts.get("done", 0)
    if job.get("cancelled_at"):
        status = "cancelled" if done >= job["total"] else "cancelling"
    elif not job.get("enqueued_at"):
        status = "enqueuing"
    else:
        status = "completed" if done >= job["total"] else "sending"
    return {
        "job_id": job["_id"],
        "status": status,
        "contacts": job.get("contacts", 0),
        "total": job["total"],
        "queued": max(job["total"] - done, 0),
        "sent": counts.get("sent", 0),
        "delivered": counts.get("delivered", 0),
        "failed": counts.get("failed", 0),
        "cancelled": counts.get("cancelled", 0),
        "skipped": dict(counts.get("skipped") or {}),
        "warnings": job.get("warnings") or [],
        "created_at": job["created_at"],
        "enqueued_at": job.get("enqueued_at"),
        "cancelled_at": job.get("cancelled_at"),
    }
