"""Sandbox control: end a call the way the network would, sending the number's voice status callback."""

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from ..domain.timestamps import utc_now
from ..simulation.call_lifecycle import call_status_params
from ..twilio_api.auth import CarrierDep, require_credentials

router = APIRouter(prefix="/sandbox/calls", dependencies=[Depends(require_credentials)], tags=["Sandbox control"])


class CallEnding(BaseModel):
    status: Literal["completed", "busy", "no-answer", "failed", "canceled"] = "completed"
    duration: int = Field(0, ge=0, description="seconds the call lasted")


@router.post("/{sid}/end")
async def end_call(sid: str, ending: CallEnding, carrier: CarrierDep) -> dict:
    """An inbound call reports to its number's StatusCallback, an outbound one to the StatusCallback it was created with."""
    call = carrier.state.calls.get(sid)
    if call is None:
        raise HTTPException(404, f"no call {sid}")
    call.duration_seconds = ending.duration
    call.end_time = utc_now()
    call.move_to(ending.status)
    url = call.status_callback
    if call.direction == "inbound":
        owned = carrier.state.number_owning(call.to)
        url = owned.status_callback if owned else None
    if not url:
        return {"call_sid": sid, "webhook_status": None}
    outcome = await carrier.send_webhook("call-status", url, call_status_params(call))
    return {"call_sid": sid, "webhook_status": outcome.status_code, "attempts": outcome.attempts}
