"""Answering STOP, START and HELP: the opt-out or opt-in recorded here at once (for the whole
account), and a confirmation texted back from the number the person wrote to, even in quiet hours,
unless the carrier answers that text itself (Twilio's Advanced Opt-Out on the number): one reply, not two."""

from dataclasses import dataclass

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.adapters.store.messages import DuplicateMessage, message_id_for
from services.messaging.domain.help_reply import help_reply
from services.messaging.service_layer.sending import send_requested_event
from shared.keywords import carrier_answers


@dataclass(frozen=True)
class KeywordReplies:
    help: str
    opted_out: str
    opted_in: str

    @classmethod
    def from_settings(cls, settings) -> "KeywordReplies":
        return cls(help=settings.default_help_reply, opted_out=settings.opt_out_reply, opted_in=settings.opt_in_reply)


async def answer_keyword(inbound: dict, *, store: MessagingStore, replies: KeywordReplies) -> dict | None:
    """Act on the keyword of a stored inbound text; returns the auto reply (created once per inbound text)."""
    keyword = inbound.get("keyword")
    if keyword is None:
        return None
    account_id, settings = inbound["account_id"], await store.account_settings(inbound["account_id"])
    if keyword in ("opt_out", "opt_in"):
        await _record_consent(store, inbound, settings, opted_out=keyword == "opt_out")
    if carrier_answers(inbound["body"]) and await _carrier_answers_keywords_of(store, inbound["to_number"]):
        return None
    text = {
        "opt_out": settings.get("opt_out_reply") or replies.opted_out,
        "opt_in": settings.get("opt_in_reply") or replies.opted_in,
        "help": help_reply(settings, replies.help),
    }[keyword]
    return await _auto_reply(store, inbound, text, account_id)


async def _carrier_answers_keywords_of(store: MessagingStore, our_number: str) -> bool:
    owner = await store.owner_of_number(our_number)
    return await store.carrier_answers_keywords(owner.get("number_id") if owner else None)


async def _record_consent(store: MessagingStore, inbound: dict, settings: dict, *, opted_out: bool) -> None:
    fields = {"opted_out": opted_out, "opt_out_source": "keyword", "keyword": inbound.get("matched_keyword")}
    await store.flag_phone(inbound["account_id"], inbound["from_number"], **fields)
    if settings.get("opt_out_scope") == "person" and inbound.get("contact_id"):
        await store.flag_person(inbound["account_id"], inbound["contact_id"], **fields)


async def _auto_reply(store: MessagingStore, inbound: dict, text: str, account_id: str) -> dict:
    key = f"auto-reply:{inbound['carrier_sid']}"
    existing = await store.message_by_key(account_id, key)
    if existing is not None:
        return existing
    reply = {
        "_id": message_id_for(account_id, key),
        "account_id": account_id,
        "direction": "outbound",
        "auto_reply": True,
        "user_id": inbound["user_id"],
        "contact_id": inbound.get("contact_id") or "",
        "phone_id": inbound.get("phone_id") or "",
        "conversation_id": inbound["conversation_id"],
        "from_number": inbound["to_number"],
        "to_number": inbound["from_number"],
        "body": text,
        "idempotency_key": key,
        "created_at": now(),
    }
    try:
        await store.add_message(reply, [send_requested_event(reply)])
    except DuplicateMessage:
        return await store.message_by_key(account_id, key)
    await store.record_activity(inbound["conversation_id"], message=reply)
    return reply
