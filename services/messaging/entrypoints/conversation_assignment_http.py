"""HTTP routes that change who a conversation belongs to: claim a free thread, or (owners and
admins) reassign one."""

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from services.messaging.adapters.store import MessagingStore
from services.messaging.entrypoints.deps import StoreDep, clock_of, invalid
from services.messaging.entrypoints.schemas import ConversationPublic
from services.messaging.service_layer import assignment, queries
from shared.caller import Caller
from shared.web import AccountCaller

router = APIRouter(prefix="/v1/conversations")


class ConversationAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str | None = Field(min_length=1, max_length=100, description="An active user of the account; null: unassigned")


async def shown_conversation(caller: Caller, conversation_id: str, *, store: MessagingStore, now: datetime) -> ConversationPublic:
    """The thread as the caller sees it: unread counts and whether it is free to claim."""
    await assignment.visible_conversation(caller, conversation_id, store=store, now=now)
    found = await queries.conversation(caller.account_id, conversation_id, caller.user_id, store=store)
    settings = await store.account_settings(caller.account_id)
    return ConversationPublic.of(assignment.with_assignment(found, now=now, settings=settings))


@router.post("/{conversation_id}/claim", response_model=ConversationPublic)
async def claim_conversation(conversation_id: str, caller: AccountCaller, store: StoreDep, request: Request):
    """Take a thread nobody holds (or whose reply waited unopened past the account's N minutes)."""
    now = clock_of(request)()
    try:
        await assignment.claim(caller, conversation_id, store=store, now=now)
        return await shown_conversation(caller, conversation_id, store=store, now=now)
    except assignment.ConversationNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    except assignment.AlreadyAssigned as error:
        raise HTTPException(status_code=409, detail=str(error))


@router.post("/{conversation_id}/assign", response_model=ConversationPublic)
async def assign_conversation(conversation_id: str, payload: ConversationAssign, caller: AccountCaller, store: StoreDep, request: Request):
    """Give the thread to a user of the account, or leave it unassigned (owners and admins)."""
    now = clock_of(request)()
    try:
        await assignment.reassign(caller, conversation_id, payload.user_id, store=store, now=now)
        return await shown_conversation(caller, conversation_id, store=store, now=now)
    except assignment.NotAllowed as error:
        raise HTTPException(status_code=403, detail=str(error))
    except assignment.UnknownUser as error:
        return invalid("user_id", str(error))
    except assignment.ConversationNotFound as error:
        raise HTTPException(status_code=404, detail=str(error))
    except assignment.AlreadyAssigned as error:
        raise HTTPException(status_code=409, detail=str(error))
