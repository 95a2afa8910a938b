"""Kafka subscriptions: a person's opt-out/opt-in keywords and carrier unsubscribes, review
decisions on their replies (an opt-out, the Wrong Number tag), and the texts, replies and calls
that go on a contact's timeline."""

import logging

from faststream.kafka import KafkaBroker

from services.contacts.domain.commands import ApplyCannedReplyActions, RecordActivity, RecordOptIn, RecordOptOut, TagContact
from services.contacts.domain.errors import ContactNotFound, InvalidContact
from services.contacts.domain.model import Actor
from services.contacts.domain.tags import WRONG_NUMBER
from services.contacts.service_layer import handlers
from services.contacts.service_layer.ports import Ports
from shared import topics
from shared.consumers import subscribe
from shared.events import (
    CallCompleted,
    CannedReplySent,
    ConversationAssigned,
    Envelope,
    MessageFailed,
    MessageReceived,
    MessageSent,
    ReviewItemDecided,
)
from shared.phones import InvalidPhoneNumber, parse_phone

log = logging.getLogger(__name__)

UNSUBSCRIBED_ERROR = 21610  # Twilio: "Attempt to send to unsubscribed recipient"


def register_consumers(broker: KafkaBroker, *, ports: Ports, group_id: str, activity_history: bool = True) -> None:
    async def on_message_received(envelope: Envelope[MessageReceived]) -> None:
        """STOP-like keywords opt the sender's number out, START-like ones opt it back in,
        on every contact of the account with that number."""
        data = envelope.data
        if data.contact_id:
            await handlers.record_activity(
                RecordActivity(
                    account_id=envelope.account_id, contact_id=data.contact_id, kind="replied", event_id=envelope.id,
                    at=envelope.time, detail={"message_id": data.message_id, "phone_id": data.phone_id, "keyword": data.keyword},
                ),
                ports=ports,
            )
        if data.keyword not in ("opt_out", "opt_in"):
            return
        e164 = _e164(data.from_number, ports.default_region)
        keyword = data.matched_keyword or data.keyword
        if data.keyword == "opt_out":
            command = RecordOptOut(
                account_id=envelope.account_id,
                e164=e164,
                source="keyword",
                keyword=keyword,
                event_id=envelope.id,
                event_time=envelope.time,
            )
            changed = await handlers.record_opt_out(command, ports=ports)
        else:
            command = RecordOptIn(
                account_id=envelope.account_id, e164=e164, keyword=keyword, event_id=envelope.id, event_time=envelope.time
            )
            changed = await handlers.record_opt_in(command, ports=ports)
        _log_outcome(f"{data.keyword} from {e164}", changed)

    async def on_message_failed(envelope: Envelope[MessageFailed]) -> None:
        """Carrier error 21610 means the person unsubscribed: opt their number out."""
        data = envelope.data
        if data.error_code != UNSUBSCRIBED_ERROR:
            return
        command = RecordOptOut(
            account_id=envelope.account_id,
            e164=_e164(data.to_number, ports.default_region),
            source="carrier",
            event_id=envelope.id,
            event_time=envelope.time,
        )
        changed = await handlers.record_opt_out(command, ports=ports)
        _log_outcome(f"carrier opt-out of {command.e164}", changed)

    async def on_message_sent(envelope: Envelope[MessageSent]) -> None:
        """A text went out to the contact: on their timeline, and they were last contacted now."""
        data = envelope.data
        await handlers.record_activity(
            RecordActivity(
                account_id=envelope.account_id, contact_id=data.contact_id, kind="texted", event_id=envelope.id,
                at=envelope.time, by_user_id=data.user_id,
                detail={"message_id": data.message_id, "to_number": data.to_number},
            ),
            ports=ports,
        )

    async def on_call_completed(envelope: Envelope[CallCompleted]) -> None:
        """A call with the contact (by id, else by their number) goes on their timeline."""
        data = envelope.data
        if data.contact_id:
            contact_ids = [data.contact_id]
        else:
            contact_ids = await ports.contacts.ids_with_number(envelope.account_id, _e164(data.their_number, ports.default_region))
        for contact_id in contact_ids:
            await handlers.record_activity(
                RecordActivity(
                    account_id=envelope.account_id, contact_id=contact_id, kind="called", event_id=envelope.id,
                    at=envelope.time, by_user_id=data.user_id,
                    detail={"call_sid": data.call_sid, "direction": data.direction, "outcome": data.outcome,
                            "duration_seconds": data.duration_seconds, "phone_id": data.phone_id},
                ),
                ports=ports,
            )

    async def on_canned_reply_sent(envelope: Envelope[CannedReplySent]) -> None:
        """A saved reply went out: its tags go on the contact, its consent on the phones texted."""
        data = envelope.data
        command = ApplyCannedReplyActions(
            account_id=envelope.account_id,
            contact_id=data.contact_id,
            user_id=data.user_id,
            add_tags=data.add_tags,
            phone_ids=data.phone_ids,
            opt_in_method=data.opt_in_method,
            opt_in_note=data.opt_in_note,
        )
        for problem in await handlers.apply_canned_reply_actions(command, ports=ports):
            log.warning("canned reply %s not fully applied: %s", data.canned_reply_id, problem)
    async def on_review_item_decided(envelope: Envelope[ReviewItemDecided]) -> None:
        """A reply judged a revocation (by a texter, or by its deadline passing) opts the number out;
        a wrong-number reply a texter confirmed tags the phone Wrong Number."""
        data = envelope.data
        if data.kind == "revocation" and data.decision == "opt_out":
            command = RecordOptOut(
                account_id=envelope.account_id,
                e164=_e164(data.their_number, ports.default_region),
                source="keyword",
                keyword="REVIEWED REPLY" if data.decided_by == "user" else "REPLY UNREVIEWED FOR 10 BUSINESS DAYS",
                event_id=envelope.id,
                event_time=envelope.time,
            )
            _log_outcome(f"reviewed opt-out of {command.e164}", await handlers.record_opt_out(command, ports=ports))
        elif data.kind == "wrong_number" and data.decision == "wrong_number" and data.contact_id and data.phone_id:
            command = TagContact(
                account_id=envelope.account_id,
                contact_id=data.contact_id,
                actor=Actor(user_id=data.user_id, source="user"),
                tag=WRONG_NUMBER,
                phone_id=data.phone_id,
            )
            try:
                await handlers.tag_contact(command, ports=ports)
            except (ContactNotFound, InvalidContact) as error:
                log.info("wrong-number tag of %s not applied: %s", data.phone_id, error)  # contact or phone gone since

    async def on_conversation_assigned(envelope: Envelope[ConversationAssigned]) -> None:
        """A thread with the contact changed hands: on their timeline, with who did it."""
        data = envelope.data
        if not data.contact_id:
            return
        detail = {
            "conversation_id": data.conversation_id,
            "assigned_user_id": data.assigned_user_id,
            "previous_user_id": data.previous_user_id,
            "reason": data.reason,
        }
        await handlers.record_activity(
            RecordActivity(
                account_id=envelope.account_id, contact_id=data.contact_id, kind="assigned", event_id=envelope.id,
                at=envelope.time, by_user_id=data.by_user_id, detail=detail,
            ),
            ports=ports,
        )

    subscribe(broker, topics.MESSAGE_RECEIVED, group_id=group_id, handler=on_message_received)
    subscribe(broker, topics.REVIEW_ITEM_DECIDED, group_id=group_id, handler=on_review_item_decided)
    subscribe(broker, topics.MESSAGE_SENT, group_id=group_id, handler=on_message_sent, from_beginning=activity_history)
    subscribe(broker, topics.CALL_COMPLETED, group_id=group_id, handler=on_call_completed, from_beginning=activity_history)
    subscribe(broker, topics.MESSAGE_FAILED, group_id=group_id, handler=on_message_failed)
    subscribe(broker, topics.CANNED_REPLY_SENT, group_id=group_id, handler=on_canned_reply_sent)
    subscribe(broker, topics.CONVERSATION_ASSIGNED, group_id=group_id, handler=on_conversation_assigned)


def _log_outcome(what: str, changed: int) -> None:
    # Most events on these topics are about other accounts or numbers we do not hold.
    log.log(logging.INFO if changed else logging.DEBUG, "%s: %d contact(s) changed", what, changed)


def _e164(number: str, region: str) -> str:
    try:
        return parse_phone(number, default_region=region).e164
    except InvalidPhoneNumber:
        return number
