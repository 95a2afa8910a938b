"""What the carrier tells us: delivery status of our texts, and texts people send us."""

import logging
from dataclasses import dataclass
from collections.abc import Awaitable, Callable
from typing import Literal

from services.messaging.adapters.carrier_media import MediumUnavailable
from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.messages import DuplicateMessage, message_id_for
from services.messaging.domain import lifecycle
from services.messaging.domain.carrier_errors import meaning_of
from services.messaging.domain.commands import ReceiveText, RecordStatusCallback
from services.messaging.domain.model import detect_keyword, moves_forward, status_from_carrier
from services.messaging.domain.reply_classifier import Verdict, classify
from services.messaging.service_layer import assignment, message_events
from services.messaging.service_layer.keywords import KeywordReplies, answer_keyword
from services.messaging.service_layer.phone_verdicts import remember_error_meaning
from services.messaging.service_layer.reviews import raise_review_items
from services.messaging.adapters.store.review_items import ReviewStore
from services.messaging.service_layer.clock import Clock, system_clock
from services.messaging.service_layer.inbound_media import MediaSource, store_received_media
from shared.events import Envelope
from shared.events.messaging import MessageReceived
from shared.events.replies import RevocationDetected
from shared.phones import InvalidPhoneNumber, parse_phone
from shared.tracing import TRACE_FIELD, link_current_span

log = logging.getLogger(__name__)

StatusOutcome = Literal["applied", "unchanged", "ignored"]


async def record_status(command: RecordStatusCallback, *, store: MessagingStore, params: dict | None = None) -> StatusOutcome:
    """Move the message's status forward; late, repeated or unknown statuses change nothing."""
    outcome = await _apply_if_known(command, store=store)
    if outcome is None:
        # Maybe another environment's text, or a callback that beat the worker recording the sid:
        # keep it so the worker can replay it, then look once more in case it just did.
        log.info("status callback for unknown message sid %s (%s)", command.carrier_sid, command.carrier_status)
        await store.log_unmatched_status(command.carrier_sid, params or _params_of(command))
        outcome = await _apply_if_known(command, store=store)
    return outcome or "ignored"


async def _apply_if_known(command: RecordStatusCallback, *, store: MessagingStore) -> StatusOutcome | None:
    message_id = await store.message_id_of_sid(command.carrier_sid)
    states = await store.states_of(message_id) if message_id else []
    if not any(state.get("carrier_sid") == command.carrier_sid for state in states):
        return None  # not recorded as sent (yet)
    return await apply_carrier_status(message_id, states, command, store=store)


async def apply_carrier_status(
    message_id: str, states: list[dict], command: RecordStatusCallback, *, store: MessagingStore
) -> StatusOutcome:
    """Record the status the carrier reported for a message it took, if that is a step forward."""
    new_status = status_from_carrier(command.carrier_status)
    state = lifecycle.carrier_state(new_status) if new_status else None
    if state is None or not moves_forward(lifecycle.current_status(states), state.status):
        return "unchanged"
    message = await store.message_by_id(message_id)
    link_current_span(message.get(TRACE_FIELD))  # this callback's trace, linked to the text's
    if state.status in ("undelivered", "failed"):
        await remember_error_meaning(store, message, command.error_code)  # first, so no later send slips through
    recorded = await store.add_state(
        message,
        state,
        details=_error_details(command.error_code),
        events=_status_events(message, state.status, carrier_sid=command.carrier_sid, error_code=command.error_code),
    )
    return "applied" if recorded else "unchanged"


def _error_details(error_code: int | None) -> dict | None:
    if not error_code:
        return None
    meaning = meaning_of(error_code)
    if meaning is None:
        return {"error_code": error_code}
    return {"error_code": error_code, "failure_reason": meaning.reason, "failure_kind": meaning.verdict}


def _status_events(message: dict, status: str, *, carrier_sid: str, error_code: int | None) -> list[Envelope]:
    events = [message_events.status_updated(message, status, carrier_sid=carrier_sid, error_code=error_code)]
    if status in ("undelivered", "failed"):
        meaning = meaning_of(error_code)
        reason = meaning.reason if meaning else f"the carrier reported the text {status}"
        events.append(message_events.failed(message, reason=reason, error_code=error_code))
    return events


async def replay_unmatched_statuses(message_id: str, carrier_sid: str, *, store: MessagingStore) -> None:
    """Apply callbacks that arrived before the message's sid was recorded."""
    logged_callbacks = await store.unmatched_statuses(carrier_sid)
    if not logged_callbacks:
        return
    for logged in logged_callbacks:
        command = status_command(logged["params"])
        if command is not None:
            await apply_carrier_status(message_id, await store.states_of(message_id), command, store=store)
    await store.forget_unmatched_statuses(carrier_sid)


def status_command(params: dict) -> RecordStatusCallback | None:
    sid = params.get("MessageSid") or params.get("SmsSid")
    status = params.get("MessageStatus") or params.get("SmsStatus")
    if not sid or not status:
        return None
    return RecordStatusCallback(carrier_sid=sid, carrier_status=status, error_code=_error_code(params.get("ErrorCode")))


def _error_code(raw) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _params_of(command: RecordStatusCallback) -> dict:
    return {"MessageSid": command.carrier_sid, "MessageStatus": command.carrier_status, "ErrorCode": command.error_code}


@dataclass(frozen=True)
class InboundOutcome:
    stored: bool
    message_id: str | None = None
    conversation_id: str | None = None
    keyword: str | None = None
    auto_reply_id: str | None = None
    reply_class: str | None = None
    review_item_ids: tuple[str, ...] = ()


async def receive_text(
    command: ReceiveText, *, store: MessagingStore, replies: KeywordReplies, reviews: ReviewStore, clock: Clock = system_clock,
    media_source: MediaSource | None = None,
) -> InboundOutcome:
    """Store a text once per carrier sid, thread it and announce it (message.received); act on
    what it means for consent (an opt-out at once, or a review item for a texter). An MMS's media
    are fetched from the carrier (`media_source`) and stored first (MediumUnavailable: try again)."""
    from_number, to_number = _normalised(command.from_number), _normalised(command.to_number)
    owner = await store.owner_of_number(to_number)
    if owner is None:
        log.warning("inbound text %s to %s, which is no user's number here", command.carrier_sid, to_number)
        await store.log_unknown_number(command.carrier_sid, to_number, command.params)
        return InboundOutcome(stored=False)
    account_id, user_id = owner["account_id"], owner["_id"]
    key = f"inbound:{command.carrier_sid}"
    message = await store.message_by_key(account_id, key)
    if message is None:
        contact, phone = await _identify_sender(store, account_id, user_id, from_number)
        conversation = await store.conversation_for(
            account_id=account_id,
            user_id=user_id,
            their_number=from_number,
            contact_id=contact["contact_id"] if contact else None,
            phone_id=phone["phone_id"] if phone else None,
        )
        media = await store_received_media(
            command.params, account_id=account_id, carrier_sid=command.carrier_sid, store=store, source=media_source
        ) if media_source is not None else []
        message = await _store_inbound(store, command, key, owner, conversation, from_number, to_number, media=media)
    # This reply's trace, linked to that of the text it answers.
    link_current_span(await store.trace_of_latest_outbound(message["conversation_id"]))
    # Also on a retry: the first attempt may have stopped before this.
    await store.record_activity(message["conversation_id"], message=message, our_number=to_number)
    items = await raise_review_items(message, classify(message["body"]), store=store, reviews=reviews, at=clock())
    thread = await store.conversation(account_id, message["conversation_id"])
    if thread is not None:
        await assignment.route_reply(thread, store=store, at=clock())
    auto_reply = await answer_keyword(message, store=store, replies=replies)
    return InboundOutcome(
        stored=True,
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        keyword=message.get("keyword"),
        auto_reply_id=auto_reply["_id"] if auto_reply else None,
        reply_class=message.get("reply_class"),
        review_item_ids=tuple(item["_id"] for item in items),
    )


async def _identify_sender(store: MessagingStore, account_id: str, user_id: str, e164: str) -> tuple[dict | None, dict | None]:
    """The contact with this number, preferring the one the thread already belongs to."""
    candidates = await store.contacts_with_number(account_id, e164)
    if not candidates:
        return None, None
    conversation = await store.conversation_for_number(account_id=account_id, their_number=e164)
    known = conversation.get("contact_id") if conversation else None
    contact = next((candidate for candidate in candidates if candidate["contact_id"] == known), candidates[0])
    phone = next(phone for phone in contact["phones"] if phone.get("e164") == e164)
    return contact, phone


async def _store_inbound(
    store: MessagingStore, command: ReceiveText, key: str, owner: dict, conversation: dict, from_number: str, to_number: str,
    *, media: list[dict],
) -> dict:
    """Insert the message with its message.received event (and revocation.detected when it revokes):
    once per carrier sid, whatever the retries."""
    verdict = classify(command.body)
    keyword, matched_keyword = _keyword_of(command.body, verdict)
    message = {
        "_id": message_id_for(owner["account_id"], key),
        "account_id": owner["account_id"],
        "direction": "inbound",
        "user_id": owner["_id"],
        "contact_id": conversation.get("contact_id"),
        "phone_id": conversation.get("phone_id"),
        "conversation_id": conversation["_id"],
        "from_number": from_number,
        "to_number": to_number,
        "body": command.body,
        **({"media": media} if media else {}),
        "status": "received",
        "carrier_sid": command.carrier_sid,
        "keyword": keyword,
        "matched_keyword": matched_keyword,
        "reply_class": verdict.kind,
        "idempotency_key": key,
        "created_at": now(),
    }
    events = [_received_event(message)] + ([_revocation_event(message, verdict)] if verdict.revokes else [])
    try:
        return await store.add_message(message, events)
    except DuplicateMessage:
        return await store.message_by_key(owner["account_id"], key)  # the same webhook, retried concurrently


# What contacts records as the opt-out's keyword for a revocation in other words: the reply itself.
REVOCATION_KEYWORD_CHARS = 60


def _keyword_of(body: str, verdict: Verdict) -> tuple[str | None, str | None]:
    """The keyword a reply amounts to: STOP, START or HELP as typed, or an opt-out for any revocation."""
    detected = detect_keyword(body)
    if detected is not None:
        return detected.keyword, detected.word
    if verdict.kind == "opt_out_keyword":
        return "opt_out", verdict.matched
    if verdict.kind == "revocation":
        return "opt_out", " ".join(body.split())[:REVOCATION_KEYWORD_CHARS]
    return None, None


def _revocation_event(message: dict, verdict: Verdict) -> Envelope:
    data = RevocationDetected(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message.get("contact_id"),
        phone_id=message.get("phone_id"),
        user_id=message["user_id"],
        from_number=message["from_number"],
        to_number=message["to_number"],
        reply_class=verdict.kind,
        matched=verdict.matched,
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["conversation_id"])


def _received_event(message: dict) -> Envelope:
    data = MessageReceived(
        message_id=message["_id"],
        conversation_id=message["conversation_id"],
        contact_id=message.get("contact_id"),
        phone_id=message.get("phone_id"),
        user_id=message["user_id"],
        from_number=message["from_number"],
        to_number=message["to_number"],
        body=message["body"],
        carrier_sid=message["carrier_sid"],
        keyword=message.get("keyword"),
        matched_keyword=message.get("matched_keyword"),
        media=message.get("media", []),
    )
    return Envelope.wrap(data, account_id=message["account_id"], subject=message["conversation_id"])


def _normalised(number: str) -> str:
    try:
        return parse_phone(number).e164
    except InvalidPhoneNumber:
        return (number or "").strip()


async def receive_texts_that_waited(
    phone_number: str, *, store: MessagingStore, receive: Callable[[ReceiveText], Awaitable[InboundOutcome]]
) -> int:
    """Texts that reached `phone_number` before its owner was known here (the number was bought a
    moment before): each is received now, as if it had just arrived; returns how many were taken in."""
    taken = 0
    for logged in await store.texts_to_unknown_number(_normalised(phone_number)):
        params = logged["params"]
        command = ReceiveText(
            carrier_sid=logged["_id"], from_number=params.get("From", ""), to_number=params.get("To", phone_number),
            body=params.get("Body", ""), params=params,
        )
        try:
            outcome = await receive(command)
        except MediumUnavailable as error:  # kept in the log; the carrier's copy of the media is not there yet
            log.warning("text %s that waited for %s: its media could not be fetched: %s", logged["_id"], phone_number, error)
            continue
        if outcome.stored:
            await store.forget_text_to_unknown_number(logged["_id"])
            taken += 1
    return taken
