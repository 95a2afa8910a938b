"""Messages.json: send a text, fetch one, list them."""

import asyncio
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from pydantic import BaseModel, Field

from ..domain.faults import FAULT_ERROR_CODES, Fault
from ..domain.twilio_errors import TwilioError
from ..operations.outbound_messages import MessageFilter, SendText, get_message, list_messages, send_text
from ..runtime import Carrier
from .auth import CarrierDep
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, list_envelope
from .representations import account_path, message_json

router = APIRouter()
DISCONNECT_POLL_SECONDS = 0.05


class CreateMessageForm(BaseModel):
    to: str | None = Field(None, alias="To")
    from_: str | None = Field(None, alias="From")
    messaging_service_sid: str | None = Field(None, alias="MessagingServiceSid")
    body: str | None = Field(None, alias="Body")
    status_callback: str | None = Field(None, alias="StatusCallback")
    media_url: list[str] = Field(default_factory=list, alias="MediaUrl")


class ListMessagesQuery(BaseModel):
    to: str | None = Field(None, alias="To")
    from_: str | None = Field(None, alias="From")
    date_sent: str | None = Field(None, alias="DateSent")
    date_sent_before: str | None = Field(None, alias="DateSent<")
    date_sent_after: str | None = Field(None, alias="DateSent>")
    page_size: int = Field(DEFAULT_PAGE_SIZE, alias="PageSize", ge=1, le=MAX_PAGE_SIZE)
    page: int = Field(0, alias="Page", ge=0)


@router.post("/Messages.json", status_code=201, operation_id="CreateMessage")
async def create_message(form: Annotated[CreateMessageForm, Form()], request: Request,
                         carrier: CarrierDep) -> dict:
    command = SendText(to=form.to, from_number=form.from_, messaging_service_sid=form.messaging_service_sid,
                       body=form.body, status_callback=form.status_callback, media_urls=tuple(form.media_url))
    fault = carrier.take_fault()
    if fault is None:
        return message_json(send_text(carrier, command))
    return await _answer_with_fault(fault, request, carrier, command)


@router.get("/Messages/{Sid}.json", operation_id="FetchMessage")
async def fetch_message(sid: Annotated[str, Path(alias="Sid")], carrier: CarrierDep) -> dict:
    return message_json(get_message(carrier, sid))


@router.get("/Messages.json", operation_id="ListMessage")
async def read_messages(query: Annotated[ListMessagesQuery, Query()], carrier: CarrierDep) -> dict:
    fault = carrier.state.take_fault("list_messages")
    if fault is not None:
        raise TwilioError(FAULT_ERROR_CODES[fault.http_status])
    wanted = MessageFilter(
        to=query.to, from_number=query.from_,
        sent_on=_date_bound("DateSent", query.date_sent),
        sent_on_or_before=_date_bound("DateSent<", query.date_sent_before),
        sent_on_or_after=_date_bound("DateSent>", query.date_sent_after),
    )
    filters = {"To": query.to, "From": query.from_, "DateSent": query.date_sent,
               "DateSent<": query.date_sent_before, "DateSent>": query.date_sent_after}
    return list_envelope(
        list_messages(carrier, wanted), key="messages", path=f"{account_path(carrier.account_sid)}/Messages.json",
        filters=filters, page=query.page, page_size=query.page_size, render=message_json,
    )


async def _answer_with_fault(fault: Fault, request: Request, carrier: Carrier, command: SendText) -> dict:
    if not fault.timeout:
        raise TwilioError(FAULT_ERROR_CODES[fault.http_status])
    message = send_text(carrier, command) if fault.message_created else None
    await _stall_until_client_gives_up(request, fault.hold_seconds)
    if message is None:
        raise TwilioError(20503)
    return message_json(message)


async def _stall_until_client_gives_up(request: Request, seconds: float) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline and not await request.is_disconnected():
        await asyncio.sleep(DISCONNECT_POLL_SECONDS)


def _date_bound(name: str, text: str | None) -> date | datetime | None:
    """The SDK sends a date ('2024-05-01') or a UTC timestamp ('2024-05-01T10:00:00Z')."""
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TwilioError(20001, f"{name}: {text}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
