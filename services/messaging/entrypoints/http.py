"""HTTP routes: parse the request into a command, hand it on, shape the answer."""

import math
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from services.messaging.adapters.carrier_media import MediumUnavailable
from services.messaging.adapters.idempotency import IdempotencyKeys, KeyReused
from services.messaging.adapters.store.common import now
from services.messaging.domain.commands import MarkConversationRead, ReceiveText, SendText
from services.messaging.domain.limits import LimitReached
from services.messaging.domain.media import InvalidMedia
from services.messaging.domain.model import InvalidBody, clean_body
from services.messaging.adapters.contacts_directory import SelectionRejected, SelectionUnavailable
from services.messaging.domain import encoding
from services.messaging.domain.help_reply import help_reply
from services.messaging.domain.merge_fields import render
from services.messaging.entrypoints import permissions
from services.messaging.entrypoints.schemas import (
    BulkSendPreviewPublic,
    BulkSendPreviewRequest,
    BulkSendCreate,
    BulkSendPublic,
    ConversationList,
    ConversationMessages,
    ConversationPublic,
    InboundResult,
    InboundText,
    MessageCreate,
    MessagePublic,
    PreviewPublic,
    PreviewRequest,
    ReplacementPublic,
    SendResultPublic,
    SkippedPhone,
    StatusCallback,
    StatusCallbackResult,
    TextingLimitsPublic,
    TextingSettingsPublic,
    TextingSettingsUpdate,
)
from services.messaging.service_layer import assignment as assignment_rules
from services.messaging.service_layer import bulk, bulk_preview, queries, sending, webhooks
from services.messaging.entrypoints.conversation_assignment_http import shown_conversation
from services.messaging.entrypoints.deps import StoreDep, clock_of
from services.messaging.service_layer.canned_replies import CannedReplyNotFound
from services.messaging.service_layer import limits as sending_limits
from services.messaging.service_layer.limits import SendingLimits
from services.messaging.service_layer.keywords import KeywordReplies
from shared.web import AccountCaller, SystemCaller

router = APIRouter(prefix="/v1")


def _idempotency_keys(request: Request) -> IdempotencyKeys:
    return request.app.state.idempotency_keys


KeysDep = Annotated[IdempotencyKeys, Depends(_idempotency_keys)]


def _limits(request: Request) -> SendingLimits:
    return request.app.state.limits


LimitsDep = Annotated[SendingLimits, Depends(_limits)]


def _refused(error: LimitReached) -> JSONResponse:
    """429 (or 409 for a duplicate) with the limit's name and when it resets."""
    headers = {}
    if error.resets_at is not None:
        headers["Retry-After"] = str(max(1, math.ceil((error.resets_at - now()).total_seconds())))
    content = {
        "detail": str(error),
        "limit": error.limit,
        "allowed": error.allowed,
        "resets_at": error.resets_at.isoformat() if error.resets_at else None,
    }
    return JSONResponse(status_code=error.status_code, content=content, headers=headers)


def _kick_relay(request: Request) -> None:
    request.app.state.runtime.relay.kick()


def _not_found(error: Exception) -> HTTPException:
    return HTTPException(status_code=404, detail=str(error))


def _invalid(field: str, problem: str) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": "invalid request", "errors": [{"field": field, "problem": problem}]})


@router.post("/messages/preview", response_model=PreviewPublic)
async def preview_message(payload: PreviewRequest, caller: AccountCaller, store: StoreDep, request: Request):
    """Encoding, segments and estimated cost of a text (merged for one contact if named), and the
    GSM-7 look-alike offered when smart quotes or similar force UCS-2."""
    body = payload.body
    if payload.contact_id is not None:
        contact = await store.contact(caller.account_id, payload.contact_id)
        if contact is None or contact.get("deleted"):
            raise HTTPException(status_code=404, detail=f"contact {payload.contact_id} not found")
        body = render(body, contact)
    try:
        media = await sending.attachments_of(store, caller.account_id, payload.media_ids)
        clean_body(body, with_media=bool(media))  # what sending would refuse, previewing refuses too
    except InvalidMedia as error:
        return _invalid(error.field, error.problem)
    except InvalidBody as error:
        return _invalid("body", str(error))
    settings = request.app.state.settings
    found = encoding.preview(body)

    def cost(segments: int | None):
        """An MMS is billed as one message per recipient whatever its length; an SMS by its segments."""
        if media:
            return encoding.cost_of(payload.recipients, settings.price_per_mms)
        return encoding.cost_of(segments * payload.recipients, settings.price_per_segment) if segments else None

    return PreviewPublic(
        body=found.body,
        encoding=found.encoding,
        characters=found.characters,
        segments=found.segments,
        price_per_segment=settings.price_per_segment,
        price_per_mms=settings.price_per_mms,
        mms=bool(media),
        media=media,
        recipients=payload.recipients,
        estimated_cost=cost(found.segments),
        replacements=[ReplacementPublic(**vars(item)) for item in found.replacements],
        suggested_body=found.suggested_body,
        suggested_encoding=found.suggested_encoding,
        suggested_segments=found.suggested_segments,
        suggested_estimated_cost=cost(found.suggested_segments),
        warnings=await sending.registration_warnings(store, caller.account_id),
    )


_SETTING_NAMES = (
    "quiet_hours", "opt_out_scope", "help_reply", "opt_out_reply", "opt_in_reply", "registration_state", "assignment_timeout_minutes"
)


def _settings_public(settings: dict, request: Request) -> TextingSettingsPublic:
    shown = {name: settings[name] for name in _SETTING_NAMES if settings.get(name) is not None}
    return TextingSettingsPublic(**shown, help_reply_sent=help_reply(settings, request.app.state.settings.default_help_reply))


@router.get("/messages/settings", response_model=TextingSettingsPublic)
async def get_texting_settings(caller: AccountCaller, store: StoreDep, request: Request):
    return _settings_public(await store.account_settings(caller.account_id), request)


@router.get("/messages/limits", response_model=TextingLimitsPublic)
async def get_texting_limits(caller: AccountCaller, store: StoreDep, limits: LimitsDep, request: Request):
    """The account's limits on paid sending, what is used of each now and when it resets."""
    account_limits = limits.of_account(await store.account_settings(caller.account_id))
    used = await sending_limits.usage(limits, caller.account_id, account_limits)
    holders = await limits.store.slot_holders(caller.account_id, cap=account_limits.concurrent_bulk_sends)
    running = [job_id for job_id, since in holders if not await bulk.job_is_over(store, job_id, since)]
    return TextingLimitsPublic(
        texts_per_minute=_quota(used[sending_limits.TEXTS_PER_MINUTE]),
        texts_per_day=_quota(used[sending_limits.TEXTS_PER_DAY]),
        concurrent_bulk_sends={"limit": account_limits.concurrent_bulk_sends, "used": len(running), "running": running},
        duplicate_window_minutes=account_limits.duplicate_window_minutes,
        per_recipient={"max_texts": account_limits.recipient_max_texts, "window_minutes": account_limits.recipient_window_minutes},
    )


def _quota(usage) -> dict:
    return {"limit": usage.limit, "used": usage.used, "remaining": usage.remaining, "resets_at": usage.resets_at}


@router.put("/messages/settings", response_model=TextingSettingsPublic)
async def put_texting_settings(payload: TextingSettingsUpdate, caller: AccountCaller, store: StoreDep, request: Request):
    """Set the account's texting choices; fields left out keep their value (a null reply: the product's own)."""
    fields = payload.model_dump(mode="json", exclude_unset=True)
    return _settings_public(await store.save_account_settings(caller.account_id, fields), request)


@router.post("/bulk-sends", status_code=202, response_model=BulkSendPublic)
async def start_bulk_send(
    payload: BulkSendCreate, caller: AccountCaller, store: StoreDep, keys: KeysDep, limits: LimitsDep, request: Request
):
    """Accept a bulk send: every message is recorded and queued when this answers."""
    command = bulk.StartBulkSend(
        caller=caller,
        body=payload.body,
        contact_ids=payload.contact_ids,
        selection_filter=payload.selection.filter if payload.selection else None,
        idempotency_key=payload.idempotency_key,
        confirm_duplicate=payload.confirm_duplicate,
        media_ids=tuple(payload.media_ids),
    )
    try:
        await permissions.check_texter_bulk_size(
            caller, contact_ids=command.contact_ids, selection_filter=command.selection_filter,
            directory=request.app.state.contacts_directory, most=request.app.state.settings.texter_bulk_send_max_contacts,
        )
        job = await bulk.start_bulk_send(
            command, store=store, directory=request.app.state.contacts_directory, keys=keys, limits=limits
        )
    except InvalidBody as error:
        return _invalid("body", str(error))
    except InvalidMedia as error:
        return _invalid(error.field, error.problem)
    except KeyReused as error:
        return _invalid("idempotency_key", str(error))
    except LimitReached as error:
        return _refused(error)
    except SelectionRejected as error:
        return _invalid("selection.filter", str(error))
    except SelectionUnavailable as error:
        raise HTTPException(status_code=503, detail=str(error))
    _kick_relay(request)
    return bulk.progress_of(job)


@router.post("/bulk-sends/preview", response_model=BulkSendPreviewPublic)
async def preview_bulk_send(payload: BulkSendPreviewRequest, caller: AccountCaller, store: StoreDep, request: Request):
    """Who a bulk send to these contacts would text, and why the others would be skipped; nothing is sent."""
    command = bulk.StartBulkSend(
        caller=caller, body="-", contact_ids=payload.contact_ids, selection_filter=payload.selection.filter if payload.selection else None
    )
    directory = request.app.state.contacts_directory
    try:
        await permissions.check_texter_bulk_size(
            caller, contact_ids=command.contact_ids, selection_filter=command.selection_filter,
            directory=directory, most=request.app.state.settings.texter_bulk_send_max_contacts,
        )
        found = await bulk_preview.preview_recipients(command, store=store, directory=directory)
    except SelectionRejected as error:
        return _invalid("selection.filter", str(error))
    except SelectionUnavailable as error:
        raise HTTPException(status_code=503, detail=str(error))
    return BulkSendPreviewPublic(**vars(found))


@router.get("/bulk-sends/{job_id}", response_model=BulkSendPublic)
async def get_bulk_send(job_id: str, caller: AccountCaller, store: StoreDep):
    try:
        return await bulk.job_progress(caller.account_id, job_id, store=store)
    except bulk.JobNotFound as error:
        raise _not_found(error)


@router.post("/bulk-sends/{job_id}/cancel", response_model=BulkSendPublic)
async def cancel_bulk_send(job_id: str, caller: AccountCaller, store: StoreDep):
    """Stop every message of the job that has not gone to the carrier yet."""
    job = await store.job_by_id(job_id)
    if job is not None and job["account_id"] == caller.account_id:
        permissions.check_may_cancel(caller, job.get("user_id"))
    try:
        return await bulk.cancel_job(caller.account_id, job_id, store=store)
    except bulk.JobNotFound as error:
        raise _not_found(error)


@router.post("/messages", status_code=202, response_model=SendResultPublic)
async def send_message(
    payload: MessageCreate, caller: AccountCaller, store: StoreDep, keys: KeysDep, limits: LimitsDep, request: Request
):
    command = SendText(
        account_id=caller.account_id,
        user_id=caller.user_id,
        contact_id=payload.contact_id,
        body=payload.body,
        idempotency_key=payload.idempotency_key,
        canned_reply_id=payload.canned_reply_id,
        confirm_duplicate=payload.confirm_duplicate,
        media_ids=tuple(payload.media_ids),
    )
    try:
        outcome = await sending.send_text(
            command, store=store, keys=keys, limits=limits, contact_wait_seconds=request.app.state.settings.contact_wait_seconds
        )
    except InvalidBody as error:
        return _invalid("body", str(error))
    except InvalidMedia as error:
        return _invalid(error.field, error.problem)
    except KeyReused as error:
        return _invalid("idempotency_key", str(error))
    except LimitReached as error:
        return _refused(error)
    except sending.ContactNotFound:
        raise HTTPException(status_code=404, detail=f"contact {payload.contact_id} not found")
    except CannedReplyNotFound as error:
        return _invalid("canned_reply_id", str(error))
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
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: datetime | None = None,
    inbox: Literal["all", "unknown"] = "all",
    status: Literal["all", "open", "closed"] = "all",
    assignment: Literal["all", "mine", "unassigned"] = "all",
    contact_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
):
    """Threads, latest activity first, with this user's unread counts; `inbox=unknown` lists only
    threads with numbers that match no contact; `contact_id` only that contact's threads (one per
    phone texted); `status=open` leaves out closed threads;
    `assignment=mine` the caller's own, `unassigned` those free to claim (a texter's `all` is both;
    owners and admins see every thread)."""
    closed = None if status == "all" else status == "closed"
    now, settings = clock_of(request)(), await store.account_settings(caller.account_id)
    found = await queries.conversations(
        caller.account_id,
        caller.user_id,
        store=store,
        limit=limit,
        before=before,
        unknown_senders_only=inbox == "unknown",
        contact_id=contact_id,
        closed=closed,
        assignees=assignment_rules.assignee_condition(assignment, user_id=caller.user_id, role=caller.role, now=now, settings=settings),
    )
    return ConversationList(
        conversations=[
            ConversationPublic.of(assignment_rules.with_assignment(conversation, now=now, settings=settings)) for conversation in found
        ]
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationPublic)
async def get_conversation(conversation_id: str, caller: AccountCaller, store: StoreDep, request: Request):
    try:
        return await shown_conversation(caller, conversation_id, store=store, now=clock_of(request)())
    except (queries.NotFound, assignment_rules.ConversationNotFound) as error:
        raise _not_found(error)


@router.get("/conversations/{conversation_id}/messages", response_model=ConversationMessages)
async def get_conversation_messages(
    conversation_id: str,
    caller: AccountCaller,
    store: StoreDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    after: datetime | None = None,
):
    try:
        await assignment_rules.visible_conversation(caller, conversation_id, store=store, now=clock_of(request)())
        found = await queries.conversation_messages(caller.account_id, conversation_id, store=store, limit=limit, after=after)
    except (queries.NotFound, assignment_rules.ConversationNotFound) as error:
        raise _not_found(error)
    return ConversationMessages(conversation_id=conversation_id, messages=[MessagePublic.of(message) for message in found])


@router.post("/conversations/{conversation_id}/read", response_model=ConversationPublic)
async def mark_conversation_read(conversation_id: str, caller: AccountCaller, store: StoreDep, request: Request):
    """The caller opened the thread: its replies are read, and if it is theirs nothing waits on them."""
    command = MarkConversationRead(account_id=caller.account_id, user_id=caller.user_id, conversation_id=conversation_id)
    now = clock_of(request)()
    try:
        await assignment_rules.visible_conversation(caller, conversation_id, store=store, now=now)
        await queries.mark_read(command, store=store)
        return await shown_conversation(caller, conversation_id, store=store, now=now)
    except (queries.NotFound, assignment_rules.ConversationNotFound) as error:
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
    replies = KeywordReplies.from_settings(request.app.state.settings)
    state = request.app.state
    try:
        outcome = await webhooks.receive_text(
            command, store=store, replies=replies, reviews=state.reviews, clock=state.clock, media_source=state.carrier_media
        )
    except MediumUnavailable as error:  # nothing stored yet: the carrier sends the webhook again
        raise HTTPException(status_code=503, detail=f"the text's media could not be fetched yet: {error}") from None
    _kick_relay(request)
    return InboundResult(
        reply=None,
        stored=outcome.stored,
        message_id=outcome.message_id,
        conversation_id=outcome.conversation_id,
        keyword=outcome.keyword,
        auto_reply_id=outcome.auto_reply_id,
        reply_class=outcome.reply_class,
        review_item_ids=list(outcome.review_item_ids),
    )
