"""HTTP routes of scheduled sends: a text or a bulk send set for a later time, until it starts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from services.messaging.adapters.contacts_directory import SelectionRejected, SelectionUnavailable
from services.messaging.adapters.idempotency import KeyReused
from services.messaging.adapters.store.scheduled_sends import ScheduledSendStore
from services.messaging.domain.media import InvalidMedia
from services.messaging.domain.model import InvalidBody
from services.messaging.domain.schedules import InvalidSchedule
from services.messaging.entrypoints import permissions
from services.messaging.entrypoints.deps import StoreDep, clock_of, invalid
from services.messaging.entrypoints.scheduled_send_schemas import (
    ScheduledSendCreate,
    ScheduledSendList,
    ScheduledSendPublic,
    ScheduledSendUpdate,
)
from services.messaging.service_layer import schedules as scheduling
from services.messaging.service_layer.canned_replies import CannedReplyNotFound
from services.messaging.service_layer.sending import ContactNotFound
from shared.web import AccountCaller

router = APIRouter(prefix="/v1/scheduled-sends")


def _schedules(request: Request) -> ScheduledSendStore:
    return request.app.state.schedules


SchedulesDep = Annotated[ScheduledSendStore, Depends(_schedules)]


@router.post("", status_code=201, response_model=ScheduledSendPublic)
async def schedule_send(payload: ScheduledSendCreate, caller: AccountCaller, store: StoreDep, schedules: SchedulesDep, request: Request):
    """Keep a text or a bulk send until `send_at`; eligibility, opt-outs, limits and quiet hours are
    checked when it goes, as for a send made then."""
    prefix = "text" if payload.text is not None else "bulk_send"
    command = _command(payload, caller)
    try:
        if payload.bulk_send is not None:
            await permissions.check_texter_bulk_size(
                caller, contact_ids=command.contact_ids, selection_filter=command.selection_filter,
                directory=request.app.state.contacts_directory, most=request.app.state.settings.texter_bulk_send_max_contacts,
            )
            if command.selection_filter is not None:
                await request.app.state.contacts_directory.count(caller, command.selection_filter)  # a filter contacts refuses is a 422 now
        schedule = await scheduling.schedule_send(command, schedules=schedules, store=store, now=clock_of(request)())
    except InvalidSchedule as error:
        return invalid(error.field, error.problem)
    except InvalidBody as error:
        return invalid(f"{prefix}.body", str(error))
    except InvalidMedia as error:
        return invalid(f"{prefix}.{error.field}", error.problem)
    except KeyReused as error:
        return invalid(f"{prefix}.idempotency_key", str(error))
    except CannedReplyNotFound as error:
        return invalid("text.canned_reply_id", str(error))
    except SelectionRejected as error:
        return invalid("bulk_send.selection.filter", str(error))
    except SelectionUnavailable as error:
        raise HTTPException(status_code=503, detail=str(error))
    except ContactNotFound:
        raise HTTPException(status_code=404, detail=f"contact {command.contact_id} not found")
    return ScheduledSendPublic.of(schedule)


def _command(payload: ScheduledSendCreate, caller) -> scheduling.ScheduleSend:
    common = {"caller": caller, "send_at": payload.send_at, "time_zone": payload.time_zone}
    if payload.recipient_time is not None:
        common["recipient_time"] = (payload.recipient_time.date, payload.recipient_time.at)
    if payload.text is not None:
        text = payload.text
        return scheduling.ScheduleSend(
            kind="text", body=text.body, contact_id=text.contact_id, canned_reply_id=text.canned_reply_id,
            idempotency_key=text.idempotency_key, confirm_duplicate=text.confirm_duplicate, media_ids=tuple(text.media_ids), **common,
        )
    send = payload.bulk_send
    return scheduling.ScheduleSend(
        kind="bulk_send", body=send.body, contact_ids=send.contact_ids,
        selection_filter=send.selection.filter if send.selection else None,
        idempotency_key=send.idempotency_key, confirm_duplicate=send.confirm_duplicate, media_ids=tuple(send.media_ids), **common,
    )


@router.get("", response_model=ScheduledSendList)
async def list_scheduled_sends(
    caller: AccountCaller,
    schedules: SchedulesDep,
    status: Literal["scheduled", "starting", "started", "refused", "cancelled"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """The account's scheduled sends, latest time first (a texter sees their own)."""
    found = await scheduling.list_schedules(caller, schedules=schedules, status=status, limit=limit)
    return ScheduledSendList(scheduled_sends=[ScheduledSendPublic.of(schedule) for schedule in found])


@router.get("/{scheduled_send_id}", response_model=ScheduledSendPublic)
async def get_scheduled_send(scheduled_send_id: str, caller: AccountCaller, schedules: SchedulesDep):
    try:
        return ScheduledSendPublic.of(await scheduling.schedule_of(caller, scheduled_send_id, schedules=schedules))
    except _REFUSALS as error:
        raise _refusal(error)


@router.patch("/{scheduled_send_id}", response_model=ScheduledSendPublic)
async def edit_scheduled_send(
    scheduled_send_id: str, payload: ScheduledSendUpdate, caller: AccountCaller, schedules: SchedulesDep, request: Request
):
    """Change the body or the time of a send that has not started (409 once it has)."""
    changes = {name: getattr(payload, name) for name in payload.model_fields_set if getattr(payload, name) is not None}
    try:
        edited = await scheduling.edit_schedule(caller, scheduled_send_id, changes, schedules=schedules, now=clock_of(request)())
    except InvalidSchedule as error:
        return invalid(error.field, error.problem)
    except InvalidBody as error:
        return invalid("body", str(error))
    except _REFUSALS as error:
        raise _refusal(error)
    return ScheduledSendPublic.of(edited)


@router.post("/{scheduled_send_id}/cancel", response_model=ScheduledSendPublic)
async def cancel_scheduled_send(scheduled_send_id: str, caller: AccountCaller, schedules: SchedulesDep, request: Request):
    """Cancel a send that has not started: it never goes (409 once it has started)."""
    try:
        return ScheduledSendPublic.of(
            await scheduling.cancel_schedule(caller, scheduled_send_id, schedules=schedules, now=clock_of(request)())
        )
    except _REFUSALS as error:
        raise _refusal(error)


_REFUSALS = (scheduling.ScheduleNotFound, scheduling.NotYours, scheduling.NoLongerWaiting)


def _refusal(error: Exception) -> HTTPException:
    if isinstance(error, scheduling.ScheduleNotFound):
        return HTTPException(status_code=404, detail=str(error))
    if isinstance(error, scheduling.NotYours):
        return HTTPException(status_code=403, detail=str(error))
    if isinstance(error, scheduling.NoLongerWaiting):
        return HTTPException(status_code=409, detail=str(error))
    raise error
