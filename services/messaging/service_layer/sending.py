"""Accepting a text: one outbound message per textable cell phone, each with its
message.send_requested event, under an idempotency key so a retry creates nothing new."""

import asyncio
import time
from dataclasses import dataclass, field
from uuid import uuid4

from services.messaging.adapters.idempotency import Claim, IdempotencyKeys
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.conversations import conversation_id_for
from services.messaging.adapters.store.messages import DuplicateMessage, message_id_for
from services.messaging.domain.commands import SendText
from services.messaging.domain.fingerprints import request_fingerprint
from services.messaging.domain.lifecycle import message_view
from services.messaging.domain.limits import LimitReached
from services.messaging.domain.media import attachments, checked_media_ids
from services.messaging.domain.merge_fields import render
from services.messaging.domain.model import clean_body, skip_reason
from services.messaging.service_layer import canned_replies
from services.messaging.service_layer import limits as sending_limits
from services.messaging.service_layer.limits import SendingLimits
from shared.events import Envelope
from shared.events.messaging import MessageSendRequested


class ContactNotFound(Exception):
    pass


class NothingTextable(Exception):
    def __init__(self, skipped: list[dict]) -> None:
        super().__init__("none of the contact's phones can be texted")
        self.skipped = skipped


@dataclass
class SendOutcome:
    messages: list[dict]
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def new_id() -> str:
    return uuid4().hex


async def send_text(
    command: SendText, *, store: MessagingStore, keys: IdempotencyKeys, limits: SendingLimits, contact_wait_seconds: float
) -> SendOutcome:
    """Record one message per textable phone of the contact; InvalidBody, InvalidMedia, ContactNotFound,
    CannedReplyNotFound or NothingTextable otherwise, KeyReused for an idempotency key used for
    another text, and LimitReached (DuplicateContent) when the account's limits refuse it (a
    retry of a text accepted already is never refused). A canned reply's actions are recorded
    with the first message."""
    reply = await _canned_reply(command, store)
    template = command.body if command.body.strip() or reply is None else reply["body"]
    media = await attachments_of(store, command.account_id, list(command.media_ids))
    clean_body(template, with_media=bool(media))
    contact = await _wait_for_contact(store, command.account_id, command.contact_id, contact_wait_seconds)
    if contact is None or contact.get("deleted"):
        raise ContactNotFound(command.contact_id)
    body = clean_body(render(template, contact), with_media=bool(media))
    textable, skipped = await textable_phones(store, command.account_id, contact)
    if not textable:
        raise NothingTextable(skipped)
    claim = Claim.NEW
    if command.idempotency_key is not None:
        fingerprint = request_fingerprint(contact_id=command.contact_id, body=command.body, **_reply_of(command), **_media_of(command))
        claim = await keys.claim(account_id=command.account_id, kind="text", key=command.idempotency_key, fingerprint=fingerprint)
    if claim is Claim.NEW:
        try:
            content = body + "".join(f"\n[media {item['media_id']}]" for item in media)  # the same images are the same text
            await _within_limits(command, store=store, limits=limits, phones=[phone["e164"] for phone in textable], body=content)
        except LimitReached:
            if command.idempotency_key is not None:
                await keys.release(account_id=command.account_id, kind="text", key=command.idempotency_key, fingerprint=fingerprint)
            raise
    key_base = command.idempotency_key or new_id()
    keys_by_phone = [(phone, f"{key_base}:{phone['phone_id']}") for phone in textable]
    actions = _actions_event(reply, command, keys_by_phone)
    recorded = [
        await _record_outbound(store, command, body, phone, key, media=media, extra_events=actions if index == 0 else [])
        for index, (phone, key) in enumerate(keys_by_phone)
    ]
    if reply is not None and reply["actions"]["close_conversation"]:
        await store.close_conversations(command.account_id, [message["conversation_id"] for message in recorded], by_user_id=command.user_id)
    messages = [message_view(message, await store.states_of(message["_id"])) for message in recorded]
    warnings = await registration_warnings(store, command.account_id)
    if await store.sender_number(command.user_id) is None:
        warnings.append("you have no texting number yet: one is being set up and these messages will go out once it is ready")
    return SendOutcome(messages=messages, skipped=skipped, warnings=warnings)


async def _canned_reply(command: SendText, store: MessagingStore) -> dict | None:
    if command.canned_reply_id is None:
        return None
    return await canned_replies.usable_canned_reply(command.account_id, command.user_id, command.canned_reply_id, store=store)


def _reply_of(command: SendText) -> dict:
    return {"canned_reply_id": command.canned_reply_id} if command.canned_reply_id else {}


def _media_of(command: SendText) -> dict:
    return {"media_ids": list(command.media_ids)} if command.media_ids else {}


async def attachments_of(store: MessagingStore, account_id: str, media_ids: list[str]) -> list[dict]:
    """What a message records of the images it carries, checked (the account's own, at most 10 and
    5 MB together), or InvalidMedia."""
    if not media_ids:
        return []
    wanted = checked_media_ids(media_ids)
    return attachments(wanted, await store.media_of_account(account_id, wanted))


def _actions_event(reply: dict | None, command: SendText, keys_by_phone: list[tuple[dict, str]]) -> list[Envelope]:
    if reply is None:
        return []
    messages = [
        {
            "_id": message_id_for(command.account_id, key),
            "phone_id": phone["phone_id"],
            "conversation_id": conversation_id_for(command.account_id, phone["e164"]),
        }
        for phone, key in keys_by_phone
    ]
    event = canned_replies.sent_event(
        reply, account_id=command.account_id, user_id=command.user_id, contact_id=command.contact_id, messages=messages
    )
    return [event]


async def _within_limits(command: SendText, *, store: MessagingStore, limits: SendingLimits, phones: list[str], body: str) -> None:
    """Count the texts in the account's quotas and pass them through the recipient guards, or LimitReached."""
    account_limits = limits.of_account(await store.account_settings(command.account_id))
    taken = await sending_limits.take_texts(limits, command.account_id, account_limits, count=len(phones))
    try:
        await sending_limits.guard_recipients(
            limits, store, command.account_id, account_limits, phones=phones, body=body, confirm_duplicate=command.confirm_duplicate
        )
    except LimitReached:
        await sending_limits.give_back(limits, taken)
        raise


UNREGISTERED_WARNING = (
    "this account has not completed A2P 10DLC registration: texts are sent, but carriers may filter or block them"
)


async def registration_warnings(store: MessagingStore, account_id: str) -> list[str]:
    """The A2P warning, unless the account's registration is approved."""
    settings = await store.account_settings(account_id)
    return [] if settings.get("registration_state") == "approved" else [UNREGISTERED_WARNING]


async def _wait_for_contact(store: MessagingStore, account_id: str, contact_id: str, wait_seconds: float) -> dict | None:
    """The contact may have been created a moment ago and its event not applied here yet."""
    deadline = time.monotonic() + wait_seconds
    while True:
        contact = await store.contact(account_id, contact_id)
        if contact is not None or time.monotonic() >= deadline:
            return contact
        await asyncio.sleep(0.1)


async def textable_phones(
    store: MessagingStore, account_id: str, contact: dict, known_flags: dict[str, dict] | None = None
) -> tuple[list[dict], list[dict]]:
    """The contact's phones that may be texted, and the others with the reason (`known_flags`:
    the flags of many contacts read at once, see MessagingStore.flags_of_contacts)."""
    textable, skipped = [], []
    for phone in contact.get("phones", []):
        reason = skip_reason(contact, phone)
        if reason is None:
            if known_flags is None:
                flags = await store.phone_flags(account_id, phone["e164"], contact["contact_id"])
            else:
                flags = store.merged_flags(known_flags, account_id, phone["e164"], contact["contact_id"])
            reason = "opted_out" if flags.get("opted_out") else "unreachable" if flags.get("unreachable") else None
        if reason:
            skipped.append({"phone_id": phone["phone_id"], "reason": reason})
        else:
            textable.append(phone)
    return textable, skipped


async def _record_outbound(
    store: MessagingStore, command: SendText, body: str, phone: dict, key: str, *, media: list[dict], extra_events: list[Envelope] = ()
) -> dict:
    existing = await store.message_by_key(command.account_id, key)
    if existing is not None:
        return existing
    conversation = await store.conversation_for(
        account_id=command.account_id,
        user_id=command.user_id,
        their_number=phone["e164"],
        contact_id=command.contact_id,
        phone_id=phone["phone_id"],
    )
    message = {
        "_id": message_id_for(command.account_id, key),
        "account_id": command.account_id,
        "direction": "outbound",
        "user_id": command.user_id,
        "contact_id": command.contact_id,
        "phone_id": phone["phone_id"],
        "conversation_id": conversation["_id"],
        "to_number": phone["e164"],
        "body": body,
        **({"media": media} if media else {}),
        "idempotency_key": key,
        "created_at": now(),
    }
    try:
        await store.add_message(message, [send_requested_event(message), *extra_events])
    except DuplicateMessage:
        return await store.message_by_key(command.account_id, key)
    await store.record_activity(conversation["_id"], message=message)
    return message


def send_requested_event(message: dict) -> Envelope:
    """Keyed by contact, so that one contact's texts are handled in order by one worker
    (an auto reply to an unknown sender by its conversation)."""
    data = MessageSendRequested(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message["contact_id"],
        phone_id=message["phone_id"],
        to_number=message["to_number"],
        user_id=message["user_id"],
        body=message["body"],
        bulk_job_id=message.get("bulk_job_id"),
        media=message.get("media", []),
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["contact_id"] or message["conversation_id"])
