from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from ..domain.destinations import DestinationBehaviour
from ..domain.faults import Fault, StandingFault
from ..domain.records import Call, Message, OwnedNumber
from ..operations.inbound_traffic import InboundResult, UnroutableInbound, receive_call, receive_text
from ..runtime import Carrier
from ..twilio_api.auth import CarrierDep, require_credentials
from ..webhooks.sender import WebhookOutcome
from .schemas import (
    BehaviourRequest, ExhaustionRequest, FaultRequest, InboundCallRequest, InboundMessageRequest, StatusCallbackReplays,
)

# Every route is async: it runs on the event loop, so it never reads the carrier's memory from a
# worker thread while a send is adding to it.
router = APIRouter(prefix="/sandbox", dependencies=[Depends(require_credentials)], tags=["Sandbox control"])


@router.post("/inbound-messages")
async def inbound_message(request: InboundMessageRequest, carrier: CarrierDep, http: Request) -> dict:
    result = await _routed(receive_text(
        carrier, sender=request.from_, recipient=request.to, body=request.body,
        copies=2 if request.duplicate else request.copies, messaging_service_sid=request.messaging_service_sid,
        media=[(item.content_type, item.data()) for item in request.media], media_base_url=str(http.base_url),
    ))
    return {"message_sid": result.sid, **_webhook_summary(result)}


@router.post("/inbound-calls")
async def inbound_call(request: InboundCallRequest, carrier: CarrierDep) -> dict:
    result = await _routed(receive_call(carrier, caller=request.from_, recipient=request.to))
    return {"call_sid": result.sid, **_webhook_summary(result)}


@router.post("/behaviours")
async def set_behaviour(request: BehaviourRequest, carrier: CarrierDep) -> dict:
    if request.error_code is None:
        carrier.state.behaviours.pop(request.phone_number, None)
    else:
        carrier.state.behaviours[request.phone_number] = DestinationBehaviour(
            request.phone_number, request.error_code, request.delivery_status)
    return await read_behaviours(carrier)


@router.get("/behaviours")
async def read_behaviours(carrier: CarrierDep) -> dict:
    return {"behaviours": [asdict(b) for b in carrier.state.behaviours.values()]}


@router.delete("/behaviours", status_code=204)
async def clear_behaviours(carrier: CarrierDep) -> Response:
    carrier.state.behaviours.clear()
    return Response(status_code=204)


@router.post("/area-codes/{area_code}/exhausted")
async def set_area_code_exhausted(area_code: int, request: ExhaustionRequest, carrier: CarrierDep) -> dict:
    if request.exhausted:
        carrier.state.exhausted_area_codes.add(area_code)
    else:
        carrier.state.exhausted_area_codes.discard(area_code)
    return {"area_code": area_code, "exhausted": request.exhausted}


@router.post("/faults")
async def add_faults(request: FaultRequest, carrier: CarrierDep) -> dict:
    hold = request.hold_seconds or carrier.settings.fault_timeout_seconds
    fault = Fault(http_status=request.http_status, timeout=request.mode == "timeout",
                  hold_seconds=hold, message_created=request.message_created, operation=request.operation)
    if request.rate is not None:
        carrier.state.standing_faults.append(StandingFault(fault, request.rate))
    else:
        carrier.state.faults.extend(Fault(**asdict(fault)) for _ in range(request.count))
    return await read_faults(carrier)


@router.get("/faults")
async def read_faults(carrier: CarrierDep) -> dict:
    return {"faults": [asdict(f) for f in carrier.state.faults],
            "standing_faults": [asdict(s) for s in carrier.state.standing_faults]}


@router.delete("/faults", status_code=204)
async def clear_faults(carrier: CarrierDep) -> Response:
    carrier.state.faults.clear()
    carrier.state.standing_faults.clear()
    return Response(status_code=204)


@router.put("/status-callback-replays")
async def set_status_callback_replays(request: StatusCallbackReplays, carrier: CarrierDep) -> dict:
    carrier.state.status_callback_copies = request.copies
    carrier.state.shuffle_status_callbacks = request.shuffle
    return await read_status_callback_replays(carrier)


@router.get("/status-callback-replays")
async def read_status_callback_replays(carrier: CarrierDep) -> dict:
    return {"copies": carrier.state.status_callback_copies, "shuffle": carrier.state.shuffle_status_callbacks}


@router.get("/messages")
async def read_outbound_log(carrier: CarrierDep, to: str | None = None,
                            from_: Annotated[str | None, Query(alias="from")] = None) -> dict:
    """Every outbound message ever created, oldest first: the log that counts exactly-once delivery."""
    return {"messages": [_message_entry(m) for m in _outbound(carrier, to, from_)]}


@router.get("/messages/count")
async def count_outbound_log(carrier: CarrierDep, to: str | None = None,
                             from_: Annotated[str | None, Query(alias="from")] = None) -> dict:
    """How many messages the outbound log holds (same filters), without the log: to watch a long run."""
    return {"count": sum(1 for _ in _outbound(carrier, to, from_))}


def _outbound(carrier: Carrier, to: str | None, from_: str | None):
    return (m for m in carrier.state.messages.values()
            if m.is_outbound and (not to or m.to == to) and (not from_ or m.from_number == from_))


@router.get("/incoming-phone-numbers")
async def read_owned_numbers(carrier: CarrierDep) -> dict:
    return {"incoming_phone_numbers": [_number_entry(n) for n in carrier.state.numbers.values()]}


@router.get("/calls")
async def read_calls(carrier: CarrierDep) -> dict:
    return {"calls": [_call_entry(c) for c in carrier.state.calls.values()]}


@router.get("/webhooks")
async def read_webhook_log(carrier: CarrierDep) -> dict:
    return {"webhooks": [asdict(entry) for entry in carrier.state.webhook_log]}


@router.post("/reset", status_code=204)
async def reset(carrier: CarrierDep, request: Request) -> Response:
    await carrier.reset()
    request.app.state.a2p.clear()  # the Messaging API's brands, services and campaigns
    return Response(status_code=204)


async def _routed(inbound) -> InboundResult:
    try:
        return await inbound
    except UnroutableInbound as exc:
        raise HTTPException(exc.status_code, exc.detail) from exc


def _webhook_summary(result: InboundResult) -> dict:
    first = result.deliveries[0]
    return {
        "webhook_status": first.status_code,
        "response_body": first.body,
        "attempts": first.attempts,
        "webhook_error": first.error,
        "deliveries": [_delivery_entry(d) for d in result.deliveries],
    }


def _delivery_entry(outcome: WebhookOutcome) -> dict:
    return {"webhook_status": outcome.status_code, "response_body": outcome.body,
            "attempts": outcome.attempts, "webhook_error": outcome.error}


def _message_entry(message: Message) -> dict:
    return {
        "sid": message.sid, "to": message.to, "from": message.from_number, "body": message.body,
        "status": message.status, "error_code": message.error_code,
        "messaging_service_sid": message.messaging_service_sid, "status_callback": message.status_callback,
        "date_created": message.date_created.isoformat(),
        "media_urls": message.media_urls,
        "media_fetches": [asdict(fetch) for fetch in message.media_fetches],
    }


def _number_entry(owned: OwnedNumber) -> dict:
    return {
        "sid": owned.sid, "phone_number": owned.phone_number, "friendly_name": owned.friendly_name,
        "sms_url": owned.sms_url, "sms_method": owned.sms_method, "voice_url": owned.voice_url,
        "voice_method": owned.voice_method, "status_callback": owned.status_callback,
        "date_created": owned.date_created.isoformat(),
    }


def _call_entry(call: Call) -> dict:
    return {
        "sid": call.sid, "to": call.to, "from": call.from_number, "direction": call.direction,
        "status": call.status, "url": call.url, "twiml": call.twiml, "status_callback": call.status_callback,
        "duration": call.duration_seconds, "date_created": call.date_created.isoformat(),
    }
