"""Calls: forwarding a call to a user's number, click-to-call from a profile, and how calls end."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from services.numbers.adapters import twiml
from services.numbers.domain.calls import (
    FINAL_CALL_STATUSES,
    CallRecord,
    CallRefused,
    ContactCard,
    ContactPhone,
    check_callable,
    duration_of,
)
from services.numbers.domain.lines import LineState, line_id
from services.numbers.service_layer.ports import NumbersPorts
from shared.events import CallCompleted, ContactSnapshot, Envelope

log = logging.getLogger(__name__)

# Twilio's Direction of the leg it asks about: a caller reaching our number, or the user's
# phone answering a forwarded call (where the whisper is played).
INBOUND = "inbound"
FORWARDED_LEG = "outbound-dial"


class NotFound(Exception):
    pass


class NotReady(Exception):
    """The user cannot place calls yet (no number, no primary phone)."""


@dataclass(frozen=True)
class CallPlaced:
    call_sid: str
    record: CallRecord


def _now() -> datetime:
    return datetime.now(UTC)


async def record_contact(*, ports: NumbersPorts, account_id: str, contact: ContactSnapshot) -> None:
    """Keep the newest revision of a contact: its name, DNC tag and phones."""
    await ports.contacts.save(card_of(account_id, contact), revision=contact.revision)


async def forget_contact(*, ports: NumbersPorts, account_id: str, contact_id: str, revision: int) -> None:
    await ports.contacts.save(ContactCard(account_id, contact_id, "", False), revision=revision, deleted=True)


def card_of(account_id: str, contact: ContactSnapshot) -> ContactCard:
    name = " ".join(part for part in (contact.first_name, contact.last_name) if part).strip()
    phones = tuple(ContactPhone(p.phone_id, p.e164, p.wrong_number) for p in contact.phones)
    return ContactCard(account_id, contact.contact_id, name, contact.dnc, phones)


async def answer_call(*, ports: NumbersPorts, to_number: str, from_number: str, direction: str | None) -> str:
    """TwiML for a voice webhook: forward a call to its owner's primary phone, or tell the owner who calls."""
    if direction == FORWARDED_LEG:
        return await _whisper(ports=ports, user_phone=to_number, caller=from_number)
    line = await ports.lines.active_with_number(to_number)
    if line is None:
        return twiml.apologise_and_hang_up()
    # DNC limits the account's outreach; it never stops a contact from reaching the user.
    owner, caller_name = await asyncio.gather(
        ports.users.get(line.account_id, line.user_id), ports.contacts.name_for_number(line.account_id, from_number),
    )
    if owner is None or not owner.active or not owner.primary_cell:
        return twiml.apologise_and_hang_up()
    whisper_url = ports.voice_url if caller_name else None
    return twiml.dial(forward_to=owner.primary_cell, caller_id=from_number, whisper_url=whisper_url)


async def _whisper(*, ports: NumbersPorts, user_phone: str, caller: str) -> str:
    """The forwarded leg shows the caller's number, so the caller is found among the contacts of
    the account whose user answers on `user_phone`."""
    users = await ports.users.with_primary_cell(user_phone)
    names = await asyncio.gather(*(ports.contacts.name_for_number(user.account_id, caller) for user in users))
    name = next((name for name in names if name), None)
    return twiml.whisper(caller_name=name) if name else twiml.empty()


async def click_to_call(*, ports: NumbersPorts, account_id: str, user_id: str, contact_id: str, phone_id: str) -> CallPlaced:
    """Ring the user's primary phone; when they answer, dial the contact from the user's number."""
    contact = await ports.contacts.get(account_id, contact_id)
    if contact is None:
        raise NotFound(f"contact {contact_id} not found")
    phone = contact.phone(phone_id)
    if phone is None:
        raise NotFound(f"phone {phone_id} is not one of contact {contact_id}'s phones")
    check_callable(contact, phone)
    user = await ports.users.get(account_id, user_id)
    if user is None or not user.active or not user.primary_cell:
        raise NotReady("you have no primary phone to ring; add one to your profile first")
    line = await ports.lines.get(line_id(account_id, user_id))
    if line is None or line.state != LineState.ACTIVE:
        # The claim is durable: the retry pass buys the number if nothing else does first.
        await ports.lines.claim(account_id=account_id, user_id=user_id, reason="first_call", now=_now())
        raise NotReady("your number is not ready yet; it is being set up, try again in a moment")
    record = CallRecord(
        id=uuid4().hex, account_id=account_id, user_id=user_id, contact_id=contact_id, phone_id=phone_id,
        their_number=phone.e164, our_number=line.phone_number, user_phone=user.primary_cell, created_at=_now(),
    )
    # Recorded before the call is placed, so its status callback always finds it.
    await ports.calls.add(record)
    bridge = twiml.bridge(contact_name=contact.name, contact_number=phone.e164, caller_id=line.phone_number)
    try:
        call_sid = await ports.carrier.place_call(to=user.primary_cell, from_number=line.phone_number, twiml=bridge)
    except Exception:
        await ports.calls.forget(record.id)
        raise
    await ports.calls.set_call_sid(record.id, call_sid)
    record.call_sid = call_sid
    return CallPlaced(call_sid, record)


async def call_ended(*, ports: NumbersPorts, params: dict[str, str]) -> bool:
    """A voice status callback: once a call is over, emit call.completed (once per call)."""
    status = params.get("CallStatus", "")
    call_sid = params.get("CallSid", "")
    if status not in FINAL_CALL_STATUSES or not call_sid:
        return False
    duration = duration_of(params.get("CallDuration"))
    if params.get("Direction") == INBOUND:
        return await _inbound_call_ended(ports=ports, params=params, call_sid=call_sid, status=status, duration=duration)
    record = await ports.calls.by_call_sid(call_sid) or await ports.calls.placing(
        our_number=params.get("From", ""), user_phone=params.get("To", "")
    )
    if record is None:
        log.info("status of call %s that the product did not place; ignored", call_sid)
        return False
    event = _completed_event(record, call_sid=call_sid, outcome=status, duration=duration)
    done = await ports.calls.complete(record, call_sid=call_sid, outcome=status, duration_seconds=duration, now=_now(), events=[event])
    if done:
        ports.notify_written()
    return done


async def _inbound_call_ended(*, ports: NumbersPorts, params: dict[str, str], call_sid: str, status: str, duration: int) -> bool:
    our_number, their_number = params.get("To", ""), params.get("From", "")
    line = await ports.lines.active_with_number(our_number)
    if line is None:
        return False
    contact = await ports.contacts.with_number(line.account_id, their_number)
    phone = contact.phone_with_number(their_number) if contact else None
    record = CallRecord(
        id=call_sid, account_id=line.account_id, user_id=line.user_id,
        contact_id=contact.contact_id if contact else "", phone_id=phone.phone_id if phone else "",
        their_number=their_number, our_number=our_number, user_phone="", direction="inbound",
        call_sid=call_sid, outcome=status, duration_seconds=duration, created_at=_now(), completed_at=_now(),
    )
    event = _completed_event(record, call_sid=call_sid, outcome=status, duration=duration)
    done = await ports.calls.add_completed(record, [event])
    if done:
        ports.notify_written()
    return done


def _completed_event(record: CallRecord, *, call_sid: str, outcome: str, duration: int) -> Envelope:
    completed = CallCompleted(
        call_sid=call_sid, user_id=record.user_id, direction=record.direction, their_number=record.their_number,
        our_number=record.our_number, contact_id=record.contact_id or None, phone_id=record.phone_id or None,
        outcome=outcome, duration_seconds=duration,
    )
    return Envelope.wrap(completed, account_id=record.account_id, subject=record.contact_id or call_sid)


__all__ = ["CallRefused", "NotFound", "NotReady", "answer_call", "call_ended", "click_to_call", "record_contact"]
