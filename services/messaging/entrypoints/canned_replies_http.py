"""HTTP routes of canned replies: the account's shared ones and each user's own."""

from fastapi import APIRouter, HTTPException, Response

from services.messaging.domain.canned_replies import InvalidCannedReply
from services.messaging.entrypoints.canned_reply_schemas import (
    CannedReplyCreate,
    CannedReplyList,
    CannedReplyPublic,
    CannedReplyUpdate,
)
from services.messaging.entrypoints.deps import StoreDep, invalid
from services.messaging.service_layer import canned_replies
from services.messaging.service_layer.canned_replies import CannedReplyFields, CannedReplyNotFound, NotAllowed
from shared.web import AccountCaller

router = APIRouter(prefix="/v1/canned-replies")


@router.get("", response_model=CannedReplyList)
async def list_canned_replies(caller: AccountCaller, store: StoreDep):
    """The account's shared replies, then the caller's own."""
    found = await canned_replies.list_canned_replies(caller, store=store)
    return CannedReplyList(canned_replies=[CannedReplyPublic.of(reply) for reply in found])


@router.post("", status_code=201, response_model=CannedReplyPublic)
async def create_canned_reply(payload: CannedReplyCreate, caller: AccountCaller, store: StoreDep):
    fields = CannedReplyFields(
        name=payload.name,
        body=payload.body,
        shortcut=payload.shortcut,
        add_tags=tuple(payload.actions.add_tags),
        opt_in_method=payload.actions.opt_in_method,
        opt_in_note=payload.actions.opt_in_note,
        close_conversation=payload.actions.close_conversation,
    )
    try:
        return CannedReplyPublic.of(await canned_replies.create_canned_reply(caller, fields, personal=payload.personal, store=store))
    except InvalidCannedReply as error:
        return invalid(error.field, error.problem)
    except NotAllowed as error:
        raise HTTPException(status_code=403, detail=str(error))


@router.get("/{canned_reply_id}", response_model=CannedReplyPublic)
async def get_canned_reply(canned_reply_id: str, caller: AccountCaller, store: StoreDep):
    try:
        reply = await canned_replies.usable_canned_reply(caller.account_id, caller.user_id, canned_reply_id, store=store)
    except CannedReplyNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    return CannedReplyPublic.of(reply)


@router.patch("/{canned_reply_id}", response_model=CannedReplyPublic)
async def update_canned_reply(canned_reply_id: str, payload: CannedReplyUpdate, caller: AccountCaller, store: StoreDep):
    given = {name for name in payload.model_fields_set if name != "actions"}
    actions = payload.actions
    if actions is not None:
        given |= actions.model_fields_set
    fields = CannedReplyFields(
        name=payload.name,
        body=payload.body,
        shortcut=payload.shortcut,
        add_tags=tuple(actions.add_tags or ()) if actions else (),
        opt_in_method=actions.opt_in_method if actions else None,
        opt_in_note=actions.opt_in_note if actions else None,
        close_conversation=bool(actions.close_conversation) if actions else False,
        given=frozenset(given),
    )
    try:
        return CannedReplyPublic.of(await canned_replies.update_canned_reply(caller, canned_reply_id, fields, store=store))
    except InvalidCannedReply as error:
        return invalid(error.field, error.problem)
    except CannedReplyNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    except NotAllowed as error:
        raise HTTPException(status_code=403, detail=str(error))


@router.delete("/{canned_reply_id}", status_code=204)
async def delete_canned_reply(canned_reply_id: str, caller: AccountCaller, store: StoreDep):
    try:
        await canned_replies.delete_canned_reply(caller, canned_reply_id, store=store)
    except CannedReplyNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    except NotAllowed as error:
        raise HTTPException(status_code=403, detail=str(error))
    return Response(status_code=204)
