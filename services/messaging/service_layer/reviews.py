"""Review items: what a texter judges in a thread. A reply that may revoke consent holds every
text to that phone until a texter decides, or until ten business days pass and the opt-out
applies (the sweep below, durable: it finds due items in the store whichever process runs it,
however long it was down). A wrong-number reply suggests the Wrong Number tag, which contacts
applies when a texter confirms it (review_item.decided)."""

import logging
from datetime import datetime

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.review_items import ReviewStore, review_item_id_for
from services.messaging.domain.commands import DecideReviewItem
from services.messaging.domain.reply_classifier import Verdict
from services.messaging.domain.review import DECISIONS, fits, opts_out, review_deadline
from services.messaging.service_layer.clock import Clock
from shared.events import Envelope
from shared.events.replies import ReviewItemDecided, ReviewItemRaised
from shared.periodic import Periodic

log = logging.getLogger(__name__)


class ReviewItemNotFound(Exception):
    pass


class InvalidDecision(ValueError):
    pass


class AlreadyDecided(Exception):
    def __init__(self, item: dict) -> None:
        super().__init__(f"review item {item['_id']} was already decided: {item['decided']['decision']}")
        self.item = item


async def raise_review_items(inbound: dict, verdict: Verdict, *, store: MessagingStore, reviews: ReviewStore, at: datetime) -> list[dict]:
    """The review items a stored reply calls for, raised once per reply (also when a retry asks again)."""
    raised = []
    if verdict.kind == "ambiguous":
        item = await reviews.add_item(*_item(inbound, "revocation", verdict, deadline=review_deadline(at), at=at))
        if not item.get("decided"):
            await reviews.mark_phone_waiting(inbound["account_id"], inbound["from_number"], item_id=item["_id"], deadline=item["deadline"])
        raised.append(item)
    if verdict.wrong_number and inbound.get("phone_id"):
        raised.append(await reviews.add_item(*_item(inbound, "wrong_number", verdict, deadline=None, at=at)))
    return raised


def _item(inbound: dict, kind: str, verdict: Verdict, *, deadline: datetime | None, at: datetime) -> tuple[dict, list[Envelope]]:
    item = {
        "_id": review_item_id_for(inbound["_id"], kind),
        "account_id": inbound["account_id"],
        "kind": kind,
        "message_id": inbound["_id"],
        "conversation_id": inbound["conversation_id"],
        "contact_id": inbound.get("contact_id"),
        "phone_id": inbound.get("phone_id"),
        "user_id": inbound["user_id"],
        "their_number": inbound["from_number"],
        "body": inbound["body"],
        "matched": verdict.matched,
        "raised_at": at,
        "deadline": deadline,
    }
    if deadline is not None:
        item["open_until"] = deadline
    data = ReviewItemRaised(
        review_item_id=item["_id"],
        **{name: item[name] for name in ("kind", "message_id", "conversation_id", "contact_id", "phone_id", "user_id", "their_number", "body", "matched", "deadline")},
    )
    return item, [Envelope.wrap(data, account_id=item["account_id"], subject=item["conversation_id"])]


async def review_items(account_id: str, conversation_id: str, *, store: MessagingStore, reviews: ReviewStore) -> list[dict]:
    if await store.conversation(account_id, conversation_id) is None:
        raise ReviewItemNotFound(f"conversation {conversation_id} not found")
    return [item for item in await reviews.items_of_conversation(conversation_id) if item["account_id"] == account_id]


async def decide(command: DecideReviewItem, *, store: MessagingStore, reviews: ReviewStore, at: datetime) -> dict:
    """A texter's decision on an item; deciding again the same way changes nothing, the other way is refused."""
    item = await reviews.item(command.account_id, command.review_item_id)
    if item is None or item["conversation_id"] != command.conversation_id:
        raise ReviewItemNotFound(f"review item {command.review_item_id} not found in conversation {command.conversation_id}")
    if not fits(item["kind"], command.decision):
        raise InvalidDecision(f"a {item['kind']} item is decided with {' or '.join(DECISIONS[item['kind']])}, not {command.decision}")
    if item.get("decided") and item["decided"]["decision"] != command.decision:
        raise AlreadyDecided(item)
    return await _apply(item, command.decision, decided_by="user", user_id=command.user_id, store=store, reviews=reviews, at=at)


async def apply_deadline(item_id: str, *, store: MessagingStore, reviews: ReviewStore, at: datetime) -> dict | None:
    """The opt-out applies to an item nobody decided in time (a no-op once decided)."""
    item = await reviews.item_by_id(item_id)
    if item is None:
        return None
    if item.get("decided"):
        return item
    return await _apply(item, "opt_out", decided_by="deadline", user_id=None, store=store, reviews=reviews, at=at)


async def _apply(item: dict, decision: str, *, decided_by: str, user_id: str | None, store: MessagingStore, reviews: ReviewStore, at: datetime) -> dict:
    """Record the decision (once), then what it means; the follow-ups are idempotent, so a retry
    or the sweep finishes what a crash left undone."""
    record = {"_id": item["_id"], "account_id": item["account_id"], "decision": decision, "decided_by": decided_by, "user_id": user_id, "decided_at": at}
    data = ReviewItemDecided(
        review_item_id=item["_id"],
        kind=item["kind"],
        decision=decision,
        decided_by=decided_by,
        user_id=user_id,
        conversation_id=item["conversation_id"],
        contact_id=item.get("contact_id"),
        phone_id=item.get("phone_id"),
        their_number=item["their_number"],
    )
    standing, _ = await reviews.add_decision(record, [Envelope.wrap(data, account_id=item["account_id"], subject=item["conversation_id"])])
    if item["kind"] == "revocation":
        if opts_out(standing["decision"]):
            await _opt_out(store, item)
        await reviews.clear_phone_waiting(item["account_id"], item["their_number"], item_id=item["_id"])
        await reviews.release_held_messages(item["_id"], at=at)  # re-checked when released: sent, or skipped as opted out
    fields = {name: standing[name] for name in ("decision", "decided_by", "decided_at", "user_id")}
    return {**item, "decided": fields}


async def _opt_out(store: MessagingStore, item: dict) -> None:
    fields = {"opted_out": True, "opt_out_source": "keyword", "keyword": f"reviewed: {item['body'][:60]}"}
    await store.flag_phone(item["account_id"], item["their_number"], **fields)
    settings = await store.account_settings(item["account_id"])
    if settings.get("opt_out_scope") == "person" and item.get("contact_id"):
        await store.flag_person(item["account_id"], item["contact_id"], **fields)


async def apply_due_deadlines(*, store: MessagingStore, reviews: ReviewStore, clock: Clock) -> int:
    """Opt out every phone whose review item's deadline has come undecided; returns how many."""
    applied = 0
    for item in await reviews.items_due(clock()):
        await _apply(item, "opt_out", decided_by="deadline", user_id=None, store=store, reviews=reviews, at=clock())
        applied += 1
    return applied


def deadline_sweeper(*, store: MessagingStore, reviews: ReviewStore, clock: Clock, every: float, on_change) -> Periodic:
    async def sweep() -> None:
        if await apply_due_deadlines(store=store, reviews=reviews, clock=clock):
            on_change()

    return Periodic(sweep, every=every, what="applying review deadlines")
