"""HTTP routes: parse the request into a command, hand it on, shape the answer."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from services.messaging.adapters.repository import MessagingStore
from services.messaging.domain.commands import MarkConversationRead, ReceiveText, SendText
from services.messaging.domain.model import InvalidBody
from services.messaging.entrypoints.schemas import (
    ConversationList,
    ConversationMessages,
    ConversationPublic,
    InboundResult,
    InboundText,
    MessageCreate,
    MessagePublic,
    SendResultPublic,
    SkippedPhone,
    StatusCallback,
    StatusCallbackResult,
)
from services.messaging.service_layer import queries, sending, webhooks
from shared.web import AccountCaller, SystemCaller

router = APIRouter(prefix="/v1")


def _store(request: Request) -> MessagingStore:
    return request.app.state.store


StoreDep = Annotated[MessagingStore, Depends(_store)]


def _kick_relay(request: Request) -> None:
    request.app.state.runtime.relay.kick()


def _not_found(error: queries.NotFound) -> HTTPException:
    return HTTPException(status_code=404, detail=str(error))


@router.post("/messages", status_code=202, response_model=SendResultPublic)
async def send_message(payload: MessageCreate, caller: AccountCaller, store: StoreDep, request: Request):
    command = SendText(
        account_id=caller.account_id,
        user_id=caller.user_id,
        contact_id=payload.contact_id,
        body=payload.body,
        idempotency_key=payload.idempotency_key,
    )
    try:
        outcome = await sending.send_text(
            command, store=store, contact_wait_seconds=request.app.state.settings.contact_wait_seconds
        )
    except InvalidBody as error:
        return JSONResponse(
            status_code=422, content={"detail": "invalid request", "errors": [{"field": "body", "problem": str(error)}]}
        )
    except sending.ContactNotFound:
        raise HTTPException(status_code=404, detail=f"contact {payload.contact_id} not found")
    except sending.NothingTextable as error:
        return JSONResponse(status_code=422, content={"detail": str(error), "skipped": error.skipped})
    _kick_relay(request)
    return SendResultPublic(
        messages=[MessagePublic.of(message) for message in outcome.messages],
        skipped=[SkippedPhone(**skipped) for skipped in outcome.skipped],
        warnings=outcome.warnings,
    )


@router.get("/messages/{message_id}", response_model=MessagePublic)
async def get_message(message_id: str, caller: AccountCaller, store: StoreDep):
    try:
        return MessagePublic.of(await queries.message(caller.account_id, message_id, store=store))
    except queries.NotFound as error:
        raise _not_found(error)


@router.get("/conversations", response_model=ConversationList)
async def list_conversations(
    caller: AccountCaller,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: datetime | None = None,
):
    found = await queries.conversations(caller.account_id, caller.user_id, store=store, limit=limit, before=before)
    return ConversationList(conversations=[ConversationPublic.of(conversation) for conversation in found])


@router.get("/conversations/{conversation_id}", response_model=ConversationPublic)
async def get_conversation(conversation_id: str, caller: AccountCaller, store: StoreDep):
    try:
        return ConversationPublic.of(await queries.conversation(caller.account_id, conversation_id, caller.user_id, store=store))
    except queries.NotFound as error:
        raise _not_found(error)


@router.get("/conversations/{conversation_id}/messages", response_model=ConversationMessages)
async def get_conversation_messages(
    conversation_id: str,
    caller: AccountCaller,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    after: datetime | None = None,
):
    try:
        found = await queries.conversation_messages(caller.account_id, conversation_id, store=store, limit=limit, after=after)
    except queries.NotFound as error:
        raise _not_found(error)
    return ConversationMessages(conversation_id=conversation_id, messages=[MessagePublic.of(message) for message in found])


@router.post("/conversations/{conversation_id}/read", response_model=ConversationPublic)
async def mark_conversation_read(conversation_id: str, caller: AccountCaller, store: StoreDep):
    command = MarkConversationRead(account_id=caller.account_id, user_id=caller.user_id, conversation_id=conversation_id)
    try:
        return ConversationPublic.of(await queries.mark_read(command, store=store))
    except queries.NotFound as error:
        raise _not_found(error)


@router.post("/webhooks/status", response_model=StatusCallbackResult)
async def status_callback(payload: StatusCallback, caller: SystemCaller, store: StoreDep, request: Request):
    params = payload.model_dump(mode="json")
    command = webhooks.status_command(params)
    outcome = await webhooks.record_status(command, store=store, params=params)
    _kick_relay(request)
    return StatusCallbackResult(ignored=outcome == "ignored", applied=outcome == "applied")


@router.post("/webhooks/inbound", response_model=InboundResult)
async def inbound_text(payload: InboundText, caller: SystemCaller, store: StoreDep, request: Request):
    params = payload.model_dump(mode="json")
    command = ReceiveText(
        carrier_sid=payload.MessageSid, from_number=payload.From, to_number=payload.To, body=payload.Body, params=params
    )
    outcome = await webhooks.receive_text(command, store=store)
    _kick_relay(request)
    return InboundResult(
        reply=None,
        stored=outcome.stored,
        message_id=outcome.message_id,
        conversation_id=outcome.conversation_id,
        keyword=outcome.keyword,
    )
