"""Saved replies: the account's shared ones (kept by owners and admins) and each user's own;
used by id when sending, their actions recorded with the text they go out with."""

from dataclasses import dataclass
from uuid import uuid4

from services.messaging.adapters.store import MessagingStore
from services.messaging.adapters.store.common import now
from services.messaging.domain import canned_replies as rules
from shared.caller import Caller
from shared.events import CannedReplySent, Envelope

KEEPERS_OF_SHARED_REPLIES = ("owner", "admin")


class CannedReplyNotFound(Exception):
    pass


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class CannedReplyFields:
    """A reply as given (create: every field; update: `given` names those to change)."""

    name: str | None = None
    body: str | None = None
    shortcut: str | None = None
    add_tags: tuple[str, ...] = ()
    opt_in_method: str | None = None
    opt_in_note: str | None = None
    close_conversation: bool = False
    given: frozenset[str] = frozenset()


async def list_canned_replies(caller: Caller, *, store: MessagingStore) -> list[dict]:
    """The account's shared replies, then the caller's own."""
    shared = await store.canned_replies_of(caller.account_id, None)
    own = await store.canned_replies_of(caller.account_id, caller.user_id)
    return shared + own


async def create_canned_reply(caller: Caller, fields: CannedReplyFields, *, personal: bool, store: MessagingStore) -> dict:
    owner = caller.user_id if personal else None
    if owner is None and caller.role not in KEEPERS_OF_SHARED_REPLIES:
        raise NotAllowed("only owners and admins keep the account's shared replies; save it as your own (personal: true)")
    document = {
        "name": rules.clean_name(fields.name or ""),
        "body": rules.clean_template(fields.body or ""),
        "shortcut": rules.clean_shortcut(fields.shortcut),
        "actions": _actions(fields).as_document(),
    }
    existing = await store.canned_replies_of(caller.account_id, owner)
    most = rules.MAX_PER_USER if personal else rules.MAX_PER_ACCOUNT
    if len(existing) >= most:
        raise rules.InvalidCannedReply("personal", f"at most {most} {'of your own' if personal else 'shared'} replies; delete one first")
    _refuse_taken_shortcut(existing, document["shortcut"])
    at = now()
    document |= {
        "_id": uuid4().hex,
        "account_id": caller.account_id,
        "owner_user_id": owner,
        "created_by": caller.user_id,
        "created_at": at,
        "updated_at": at,
    }
    return await store.add_canned_reply(document)


async def update_canned_reply(caller: Caller, canned_reply_id: str, fields: CannedReplyFields, *, store: MessagingStore) -> dict:
    reply = await _kept_by(caller, canned_reply_id, store)
    changes: dict = {}
    if "name" in fields.given:
        changes["name"] = rules.clean_name(fields.name or "")
    if "body" in fields.given:
        changes["body"] = rules.clean_template(fields.body or "")
    if "shortcut" in fields.given:
        changes["shortcut"] = rules.clean_shortcut(fields.shortcut)
        others = [other for other in await store.canned_replies_of(caller.account_id, reply["owner_user_id"]) if other["_id"] != reply["_id"]]
        _refuse_taken_shortcut(others, changes["shortcut"])
    if fields.given & {"add_tags", "opt_in_method", "opt_in_note", "close_conversation"}:
        kept = reply["actions"]
        merged = CannedReplyFields(
            add_tags=fields.add_tags if "add_tags" in fields.given else tuple(kept["add_tags"]),
            opt_in_method=fields.opt_in_method if "opt_in_method" in fields.given else kept["opt_in_method"],
            opt_in_note=fields.opt_in_note if "opt_in_note" in fields.given else kept["opt_in_note"],
            close_conversation=fields.close_conversation if "close_conversation" in fields.given else kept["close_conversation"],
        )
        changes["actions"] = _actions(merged).as_document()
    if not changes:
        return reply
    return await store.update_canned_reply(caller.account_id, canned_reply_id, changes)


async def delete_canned_reply(caller: Caller, canned_reply_id: str, *, store: MessagingStore) -> None:
    await _kept_by(caller, canned_reply_id, store)
    await store.delete_canned_reply(caller.account_id, canned_reply_id)


async def usable_canned_reply(account_id: str, user_id: str, canned_reply_id: str, *, store: MessagingStore) -> dict:
    """A reply the user may see and send: the account's shared ones and their own."""
    reply = await store.canned_reply(account_id, canned_reply_id)
    if reply is None or reply["owner_user_id"] not in (None, user_id):
        raise CannedReplyNotFound(f"no canned reply {canned_reply_id} in this account")
    return reply


def sent_event(reply: dict, *, account_id: str, user_id: str, contact_id: str, messages: list[dict]) -> Envelope:
    """What sending the reply asks of the services that own its actions; keyed by contact."""
    actions = reply["actions"]
    data = CannedReplySent(
        canned_reply_id=reply["_id"],
        contact_id=contact_id,
        user_id=user_id,
        message_ids=[message["_id"] for message in messages],
        phone_ids=[message["phone_id"] for message in messages],
        conversation_ids=[message["conversation_id"] for message in messages],
        add_tags=actions["add_tags"],
        opt_in_method=actions["opt_in_method"],
        opt_in_note=actions["opt_in_note"],
        close_conversation=actions["close_conversation"],
    )
    return Envelope.wrap(data, account_id=account_id, subject=contact_id)


async def _kept_by(caller: Caller, canned_reply_id: str, store: MessagingStore) -> dict:
    """The reply, if the caller may change it: their own, or a shared one for owners and admins."""
    reply = await usable_canned_reply(caller.account_id, caller.user_id, canned_reply_id, store=store)
    if reply["owner_user_id"] is None and caller.role not in KEEPERS_OF_SHARED_REPLIES:
        raise NotAllowed("only owners and admins change the account's shared replies")
    return reply


def _actions(fields: CannedReplyFields) -> rules.Actions:
    return rules.clean_actions(
        add_tags=list(fields.add_tags),
        opt_in_method=fields.opt_in_method,
        opt_in_note=fields.opt_in_note,
        close_conversation=fields.close_conversation,
    )


def _refuse_taken_shortcut(replies: list[dict], shortcut: str | None) -> None:
    if shortcut is not None and any(reply.get("shortcut") == shortcut for reply in replies):
        raise rules.InvalidCannedReply("shortcut", f"/{shortcut} is taken by another reply")
